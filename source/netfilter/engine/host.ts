/**
 * A host while a simulation runs: its compiled rulesets and routing tables, and the mutable
 * state the kernel keeps per network namespace (conntrack, sockets, nth counters).
 */
import type { Family, HostConfig } from '../../model/index.js';
import { type CompiledRuleset, RulesetCompiler } from './compile.js';
import { ConntrackTable } from './conntrack.js';
import { compileNft } from './nft/compile.js';
import { type HookPrograms, hookPrograms } from './programs.js';
import {
  buildRouting,
  familyOf,
  type HostAddress,
  hostAddresses,
  localRoute,
  type RoutingTables,
} from './routing.js';
import { SocketTable } from './sockets.js';

export interface HostRuntime {
  readonly name: string;
  readonly config: HostConfig;
  readonly rulesets: ReadonlyMap<Family, CompiledRuleset>;
  /** What each hook runs, per family, in priority order. */
  readonly programs: ReadonlyMap<Family, HookPrograms>;
  readonly routing: ReadonlyMap<Family, RoutingTables>;
  readonly addresses: readonly HostAddress[];
  readonly conntrack: ConntrackTable;
  readonly sockets: SocketTable;
  readonly nth: Map<string, number>;
  /** Elements nft rules added to dynamic sets (`update @set { ip saddr }`), by set. */
  readonly nftSets: Map<string, Set<string>>;
  nextPort: number;
}

export function makeHost(
  config: HostConfig,
  compiler: RulesetCompiler = new RulesetCompiler(),
): HostRuntime {
  const rulesets = new Map(config.rulesets.map((r) => [r.family, compiler.compile(r)]));
  const nft = config.nft ? compileNft(config.nft) : [];
  return {
    name: config.name,
    config,
    rulesets,
    programs: new Map(
      (['ipv4', 'ipv6'] as const).map(
        (f) => [f, hookPrograms(rulesets.get(f), nft, f, config.iptablesLoadedLast)] as const,
      ),
    ),
    routing: new Map((['ipv4', 'ipv6'] as const).map((f) => [f, buildRouting(config, f)] as const)),
    addresses: hostAddresses(config),
    conntrack: new ConntrackTable(config.name),
    sockets: new SocketTable(),
    nth: new Map(),
    nftSets: new Map(),
    nextPort: 40000,
  };
}

/** The first address of an interface in a family: what REDIRECT in PREROUTING uses. */
export function primaryAddress(host: HostRuntime, iface: string, family: Family) {
  return host.addresses.find((a) => a.iface === iface && a.family === family)?.address;
}

/**
 * An address of this host, as `-m addrtype --dst-type LOCAL` asks: a `local` route for it in the
 * local table (inet_addr_type; for IPv6, ipv6_chk_addr finds the same addresses). So all of
 * 127.0.0.0/8, and ::1, are local whatever else lo has.
 */
export function isLocalAddress(host: HostRuntime, address: string): boolean {
  const table = host.routing.get(familyOf(address));
  return table !== undefined && localRoute(table, address) !== undefined;
}

export function ephemeralPort(host: HostRuntime): number {
  while (host.sockets.used(host.nextPort)) host.nextPort++;
  return host.nextPort++;
}
