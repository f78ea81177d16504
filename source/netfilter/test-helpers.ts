/**
 * Shared by the module tests in matches/ and targets/: reads option text the way rule-spec does
 * (canonical option names, `! --opt v` and the old `--opt ! v`, values up to the option's
 * arity), builds packets and a MatchContext/TargetContext with everything a test may override.
 * Test code only; nothing in the program imports it.
 */
import type {
  ConntrackView,
  Family,
  HostConfig,
  ModuleOption,
  Packet,
  Ruleset,
  SocketView,
  TargetEffect,
} from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { tokenize } from '../rules/tokenize.js';
import type {
  ExtensionText,
  MatchContext,
  MatchModule,
  MatchResult,
  TargetContext,
  TargetModule,
} from './vocabulary.js';

/** `--dports 80,443 ! --uid-owner 1337` → the ModuleOption list rule-spec would build. */
export function optionsOf(module: ExtensionText<unknown>, text: string): ModuleOption[] {
  const t = tokenize(text);
  if (!t.ok) throw new Error(`cannot tokenize ${JSON.stringify(text)}: ${t.message}`);
  const tokens = t.tokens;
  const out: ModuleOption[] = [];
  let i = 0;
  while (i < tokens.length) {
    let negated = false;
    let token = tokens[i++];
    if (token?.text === '!' && !token.quoted) {
      negated = true;
      token = tokens[i++];
    }
    if (!token?.text.startsWith('-')) throw new Error(`not an option: ${token?.text}`);
    const name = token.text.replace(/^--?/, '');
    const spec = module.options[name];
    if (tokens[i]?.text === '!' && !tokens[i]?.quoted && spec?.arity !== 0) {
      negated = true;
      i++;
    }
    const values: string[] = [];
    const arity = spec ? spec.arity : Number.POSITIVE_INFINITY;
    while (values.length < arity && i < tokens.length) {
      const v = tokens[i] as (typeof tokens)[number];
      if (!v.quoted && (v.text === '!' || (v.text.startsWith('-') && !/^-\d/.test(v.text)))) break;
      values.push(v.text);
      i++;
    }
    out.push({ name: spec?.canonical ?? name, values, negated });
  }
  return out;
}

/** The module's parse of the option text; throws with the module's message when it refuses. */
export function parsed<D>(module: ExtensionText<D>, text: string, family: Family = 'ipv4'): D {
  const r = module.parse(optionsOf(module as ExtensionText<unknown>, text), family);
  if (!r.ok) throw new Error(`${module.name} refused ${JSON.stringify(text)}: ${r.message}`);
  return r.data;
}

/** The module's error message for option text it must refuse, or undefined if it accepts it. */
export function refusal(
  module: ExtensionText<unknown>,
  text: string,
  family: Family = 'ipv4',
): string | undefined {
  const r = module.parse(optionsOf(module, text), family);
  return r.ok ? undefined : `${r.message}${r.expected ? ` (expected ${r.expected})` : ''}`;
}

/** What iptables-save prints after `-m name ` / `-j NAME ` for this option text. */
export function saved(module: ExtensionText<unknown>, text: string, family: Family = 'ipv4') {
  return module.save(parsed(module, text, family));
}

/** The module's part of an `iptables -L -n -v` line for this option text. */
export function listed(module: ExtensionText<unknown>, text: string, family: Family = 'ipv4') {
  return module.list(parsed(module, text, family));
}

/** A TCP SYN from a pod to a service, with every field a test may change. */
export function packet(overrides: Partial<Packet> = {}): Packet {
  const protocol = overrides.protocol ?? 'tcp';
  return {
    family: 'ipv4',
    protocol,
    protocolNumber: protocol === 'udp' ? 17 : protocol === 'icmp' ? 1 : 6,
    src: '10.244.1.5',
    dst: '10.96.0.10',
    sport: 43210,
    dport: 80,
    tcpFlags:
      protocol === 'tcp'
        ? { syn: true, ack: false, fin: false, rst: false, psh: false, urg: false }
        : undefined,
    length: 60,
    ttl: 64,
    mark: 0,
    fragment: false,
    pktType: 'unicast',
    ...overrides,
  };
}

export function socketView(overrides: Partial<SocketView> = {}): SocketView {
  return {
    uid: 1000,
    gid: 1000,
    supplementaryGids: [],
    transparent: false,
    wildcard: false,
    ...overrides,
  };
}

export function conntrackView(overrides: Partial<ConntrackView> = {}): ConntrackView {
  return {
    id: 'ct1',
    state: 'ESTABLISHED',
    direction: 'original',
    original: { protocol: 'tcp', src: '10.244.1.5', dst: '10.96.0.10', sport: 43210, dport: 80 },
    reply: { protocol: 'tcp', src: '10.244.2.7', dst: '10.244.1.5', sport: 8080, dport: 43210 },
    mark: 0,
    zone: 0,
    status: ['SEEN_REPLY', 'CONFIRMED', 'DNAT'],
    ...overrides,
  };
}

export type ContextOverrides = Partial<Omit<TargetContext, 'addressType'>> & {
  /** Addresses that are LOCAL on this host; every other one is UNICAST. */
  readonly local?: readonly string[];
};

/** A MatchContext (and TargetContext) with no socket, no conntrack entry, random() = 0.5. */
export function context(overrides: ContextOverrides = {}): TargetContext {
  const local = overrides.local ?? ['127.0.0.1', '10.244.1.5'];
  const nth = new Map<string, number>();
  return {
    hook: 'OUTPUT',
    table: 'filter',
    ruleId: 'r1',
    addressType: (address) => (local.includes(address) ? ['LOCAL'] : ['UNICAST']),
    findSocket: () => undefined,
    random: () => 0.5,
    // The engine's counter (engine/stack.ts): start from `start`, wrap to 0 after every - 1.
    nextNth: (id, every, start) => {
      const count = nth.get(id) ?? start;
      const next = count >= every - 1 ? 0 : count + 1;
      nth.set(id, next);
      return next;
    },
    primaryAddress: (iface) => (iface === 'eth0' ? '10.244.1.5' : undefined),
    ipset: () => undefined,
    ...overrides,
  };
}

export function matchOf<D>(
  module: MatchModule<D>,
  text: string,
  p: Packet = packet(),
  ctx: MatchContext = context(),
): MatchResult {
  return module.match(parsed(module, text, p.family), p, ctx);
}

export function actOf<D>(
  module: TargetModule<D>,
  text: string,
  p: Packet = packet(),
  ctx: TargetContext = context(),
): TargetEffect {
  return module.act(parsed(module, text, p.family), p, ctx);
}

/** `match`, `no-match`, `assumed`, `unknown`: what most assertions look at. */
export function kindOf(result: MatchResult): MatchResult['kind'] {
  return result.kind;
}

/**
 * iptables-save text as the one Ruleset it holds. Diagnostics are not refused: a jump to a
 * missing chain is an error the parser reports and keeps, which is what some engine tests want.
 */
export function rulesetOf(text: string, family: Family = 'ipv4'): Ruleset {
  const [ruleset] = parseRules(text, { file: 'test.rules', family }).rulesets;
  if (!ruleset) throw new Error(`no ruleset in ${JSON.stringify(text)}`);
  return ruleset;
}

/** `*table`, its lines, `COMMIT`: one table of iptables-save text. */
export function saveText(table: string, ...lines: string[]): string {
  return [`*${table}`, ...lines, 'COMMIT', ''].join('\n');
}

/** The nat table with its four built-in chains (ACCEPT) and these lines. */
export function natText(...lines: string[]): string {
  return saveText(
    'nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...lines,
  );
}

/**
 * A host for the engine tests: eth0 10.0.0.2/24 on link `lan` with a default route via
 * 10.0.0.1, lo, no rules, no processes, not forwarding; every field may be overridden.
 */
export function hostConfig(overrides: Partial<HostConfig> = {}): HostConfig {
  return {
    name: 'host',
    interfaces: [
      { name: 'lo', addresses: ['127.0.0.1/8'] },
      { name: 'eth0', addresses: ['10.0.0.2/24'], link: 'lan' },
    ],
    routes: [{ destination: 'default', via: '10.0.0.1', dev: 'eth0' }],
    ipRules: [],
    rulesets: [],
    processes: [],
    forwarding: false,
    ...overrides,
  };
}
