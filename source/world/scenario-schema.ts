/**
 * The scenario file format (JSON), as a zod schema: zod gives exact error paths
 * (`hosts[1].processes[0].uid`) and the JSON Schema kept in the repo (scenario.schema.json) is
 * generated from it, so the two cannot drift. Snapshots extend this format.
 */
import { z } from 'zod';
import { IPSET_TYPES, STRAY_SEGMENTS } from '../model/index.js';
import { address, fwmark, interfaceAddress, mark, prefix } from './scenario-fields.js';

const port = z.number().int().min(0).max(65535);
const id = z.number().int().min(0).max(4294967294);
const protocol = z.enum(['tcp', 'udp']);
const endpoint = z.object({ address: address(), port, protocol }).strict();

const rules = z.union([
  z.string().describe('iptables-save (or any format nfdb reads) inline'),
  z.object({ file: z.string().describe('path, relative to the scenario file') }).strict(),
]);

const response = z
  .union([z.number().int().min(0), z.literal('echo')])
  .optional()
  .describe('bytes of each answer, or echo: as many as the request carried');

const process = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('server'),
      name: z.string().min(1),
      uid: id,
      gid: id,
      listen: z.array(endpoint).min(1),
      response,
    })
    .strict(),
  z.object({ kind: z.literal('client'), name: z.string().min(1), uid: id, gid: id }).strict(),
  z
    .object({
      kind: z.literal('envoy'),
      name: z.string().min(1),
      uid: id,
      gid: id,
      inboundPort: port.default(15006),
      outboundPort: port.default(15001),
      inboundBind: address('ipv4').default('127.0.0.6'),
      inboundBind6: address('ipv6').default('::6'),
      tproxy: z
        .object({ mark: mark.optional() })
        .strict()
        .optional()
        .describe('TPROXY transparency: upstream connections marked with mark (none: unmarked)'),
      mark: mark
        .optional()
        .describe(
          "SO_MARK on every connection the proxy opens, apart from tproxy (ztunnel's 0x539); wins over tproxy.mark",
        ),
      extraListen: z.array(endpoint).optional(),
      /** `rewrite` is nfdb's hypothesis (no kernel to compare with); absent: terminate. */
      mode: z.enum(['terminate', 'rewrite']).optional(),
      maxConnections: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          'connections it accepts in all on its inbound and outbound listeners; later ones it closes at once',
        ),
    })
    .strict(),
  z
    .object({
      kind: z.literal('dns-proxy'),
      name: z.string().min(1),
      uid: id,
      gid: id,
      port: port.default(15053),
      address: address().default('127.0.0.1'),
      response,
    })
    .strict(),
]);

const ipset = z
  .object({
    // IPSET_MAXNAMELEN is 32 with the terminating NUL.
    name: z.string().min(1).max(31),
    type: z.enum(IPSET_TYPES),
    family: z.enum(['inet', 'inet6']).default('inet').describe('as `ipset create ... family`'),
    members: z
      .array(z.string())
      .default([])
      .describe('as `ipset add` takes them: "10.0.0.5", "10.0.0.0/24 nomatch", "10.0.0.5,tcp:80"'),
  })
  .strict();

const host = z
  .object({
    name: z.string().min(1),
    interfaces: z
      .array(
        z
          .object({
            name: z.string().min(1),
            addresses: z.array(interfaceAddress),
            link: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    routes: z
      .array(
        z
          .object({
            destination: prefix(true),
            via: address().optional(),
            dev: z.string(),
            type: z.enum(['unicast', 'local', 'blackhole', 'unreachable']).optional(),
            table: z.number().int().min(0).optional(),
            src: address().optional(),
          })
          .strict(),
      )
      .default([]),
    ipRules: z
      .array(
        z
          .object({
            priority: z.number().int().min(0),
            fwmark: fwmark.optional(),
            from: prefix(false).optional(),
            to: prefix(false).optional(),
            table: z.number().int().min(0),
          })
          .strict(),
      )
      .default([]),
    rules: rules.optional().describe('IPv4 rules'),
    rules6: rules.optional().describe('IPv6 rules'),
    nft: rules
      .optional()
      .describe(
        'native nftables tables beside the iptables rules: an nft script (what `nft -f` loads) or `nft -j list ruleset`; a host of nft tables alone may give them as `rules` instead',
      ),
    iptablesLoadedLast: z
      .boolean()
      .optional()
      .describe(
        "iptables' tables were loaded after the native nft tables (default: before): of hooks of equal priority the later registered runs first",
      ),
    processes: z.array(process).default([]),
    forwarding: z.boolean().default(false),
    ipsets: z.array(ipset).optional().describe('the ipsets `-m set --match-set` reads'),
    conntrack: z
      .object({
        tcpLoose: z
          .boolean()
          .optional()
          .describe(
            'net.netfilter.nf_conntrack_tcp_loose (default true): pick up a connection from a mid-stream ACK',
          ),
        tcpBeLiberal: z
          .boolean()
          .optional()
          .describe(
            'net.netfilter.nf_conntrack_tcp_be_liberal (default false): no segment is INVALID for its window',
          ),
      })
      .strict()
      .optional()
      .describe("the host's conntrack sysctls that decide which TCP segments are INVALID"),
  })
  .strict();

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().default('scenario'),
    settings: z
      .object({
        seed: z.number().int().min(0).max(0xffff_ffff).default(1),
        unknownMatch: z.enum(['stop', 'match', 'no-match']).default('stop'),
        loopLimit: z.number().int().min(1).max(100).default(3),
        backend: z
          .enum(['nft', 'legacy'])
          .optional()
          .describe(
            "the iptables that loads every host's rules: nft (iptables-nft: a built-in chain exists only once named, and counts its policy only if given one) or legacy; default: the program a command line names, else nft",
          ),
      })
      .strict()
      .default({ seed: 1, unknownMatch: 'stop', loopLimit: 3 }),
    hosts: z.array(host).min(1),
    traffic: z
      .array(
        z
          .object({
            label: z.string().optional(),
            fromHost: z.string(),
            process: z.string(),
            to: z.object({ address: address(), port }).strict(),
            protocol,
            payload: z.number().int().min(0).max(65000).default(100),
            bind: z
              .object({ address: address().optional(), port: port.optional() })
              .strict()
              .optional(),
            stray: z
              .enum(STRAY_SEGMENTS)
              .optional()
              .describe(
                "TCP: after the answer the client sends one segment outside the window: out-of-window (SEQ over the receiver's window), unseen-ack (ACKs data never sent), old-retransmission (data already ACKed)",
              ),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type HostFile = ScenarioFile['hosts'][number];

/** The JSON Schema of the file format, for editors and for scenario.schema.json. */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { io: 'input' });
}
