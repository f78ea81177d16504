/**
 * The one table of every match and target nfdb knows, like the kernel's xtables registry:
 * adding a module is adding a file and a line here; the module file holds all its text
 * (options, save, `-L` phrases, examples). A name not in this table is kept as
 * written and marked "not simulated".
 */
import type { ModuleOption } from '../model/index.js';
import { addrtype } from './matches/addrtype.js';
import { comment } from './matches/comment.js';
import { connlimit } from './matches/connlimit.js';
import { connmarkMatch } from './matches/connmark.js';
import { conntrack } from './matches/conntrack.js';
import { hashlimit } from './matches/hashlimit.js';
import { icmp } from './matches/icmp.js';
import { icmp6 } from './matches/icmp6.js';
import { iprange } from './matches/iprange.js';
import { length } from './matches/length.js';
import { limit } from './matches/limit.js';
import { markMatch } from './matches/mark.js';
import { multiport } from './matches/multiport.js';
import { owner } from './matches/owner.js';
import { pkttype } from './matches/pkttype.js';
import { recent } from './matches/recent.js';
import { rpfilter } from './matches/rpfilter.js';
import { sctp } from './matches/sctp.js';
import { set } from './matches/set.js';
import { socket } from './matches/socket.js';
import { state } from './matches/state.js';
import { statistic } from './matches/statistic.js';
import { tcp } from './matches/tcp.js';
import { udp } from './matches/udp.js';
import { CONNMARK } from './targets/CONNMARK.js';
import { CT } from './targets/CT.js';
import { DNAT } from './targets/DNAT.js';
import { LOG } from './targets/LOG.js';
import { MARK } from './targets/MARK.js';
import { MASQUERADE } from './targets/MASQUERADE.js';
import { NFQUEUE } from './targets/NFQUEUE.js';
import { NOTRACK } from './targets/NOTRACK.js';
import { CHECKSUM, TCPMSS, TRACE } from './targets/noops.js';
import { REDIRECT } from './targets/REDIRECT.js';
import { REJECT } from './targets/REJECT.js';
import { SNAT } from './targets/SNAT.js';
import { TPROXY } from './targets/TPROXY.js';
import type { ExtensionModule, MatchModule, TargetModule } from './vocabulary.js';

const matchList: readonly MatchModule[] = [
  addrtype,
  comment,
  connlimit,
  connmarkMatch,
  conntrack,
  hashlimit,
  icmp,
  icmp6,
  iprange,
  length,
  limit,
  markMatch,
  multiport,
  owner,
  pkttype,
  recent,
  rpfilter,
  sctp,
  set,
  socket,
  state,
  statistic,
  tcp,
  udp,
];

const targetList: readonly TargetModule[] = [
  CHECKSUM,
  CONNMARK,
  CT,
  DNAT,
  LOG,
  MARK,
  MASQUERADE,
  NFQUEUE,
  NOTRACK,
  REDIRECT,
  REJECT,
  SNAT,
  TCPMSS,
  TPROXY,
  TRACE,
];

/**
 * Modules by name. Two modules of one name would make the second unreachable and its rules
 * silently read by the first: a programmer error, refused when the program loads.
 */
export function register<M extends ExtensionModule>(modules: readonly M[]): ReadonlyMap<string, M> {
  const byName = new Map<string, M>();
  for (const module of modules) {
    if (byName.has(module.name))
      throw new Error(`${module.kind} module "${module.name}" is registered twice`);
    byName.set(module.name, module);
  }
  return byName;
}

// Matches and targets are apart, as in xtables: `-m mark` and `-j MARK` are two modules.
export const MATCHES: ReadonlyMap<string, MatchModule> = register(matchList);
export const TARGETS: ReadonlyMap<string, TargetModule> = register(targetList);

/** `-p icmpv6` loads the module called icmp6; `-m ipv6-icmp` is the same. */
const MATCH_ALIASES: Readonly<Record<string, string>> = { 'ipv6-icmp': 'icmp6', icmpv6: 'icmp6' };

/** MATCHES and their aliases in one map: every `-m` of a 230,000-line dump is looked up here. */
const MATCH_NAMES: ReadonlyMap<string, MatchModule> = new Map([
  ...MATCHES,
  ...Object.entries(MATCH_ALIASES).flatMap(([alias, name]) => {
    const module = MATCHES.get(name);
    return module ? [[alias, module] as const] : [];
  }),
]);

export function findMatch(name: string): MatchModule | undefined {
  return MATCH_NAMES.get(name);
}

export function findTarget(name: string): TargetModule | undefined {
  return TARGETS.get(name);
}

/** How an unknown module's options are saved: as written, since nfdb cannot canonicalise them. */
export function rawSave(options: readonly ModuleOption[]): string {
  return options
    .map((o) => `${o.negated ? '! ' : ''}--${o.name}${o.values.map((v) => ` ${v}`).join('')}`)
    .join(' ');
}
