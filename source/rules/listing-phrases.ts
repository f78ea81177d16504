/**
 * The words `iptables -L -v -n` prints for each match and target module (each module's
 * `list()`), read back into the iptables options that print them. listing-format.ts walks the
 * text after a rule's fixed columns left to right and tries these phrases at each position;
 * the options they give are then read by the same rule-spec reader every other format uses,
 * so the modules check their values in one place.
 *
 * A phrase that matches but shows a value the listing made lossy (a service name where a
 * port number belongs: the listing was made without -n) says so with `lost`: the rule keeps
 * the phrase as text and is not simulated, nothing is guessed.
 */

import type { Family } from '../model/index.js';
import { findMatch } from '../netfilter/registry.js';

/** An option word (`--dport`, `!`), or a value, which is never taken for an option. */
export type Arg = string | { readonly value: string };

export type PhraseResult = readonly Arg[] | { readonly lost: string };

export interface MatchPhrase {
  /** The `-m` module the phrase belongs to. */
  readonly module: string;
  /** Matched at the current position; it must end at a space or the end of the line. */
  readonly pattern: RegExp;
  /**
   * For modules that print one phrase per option (conntrack, owner, iprange): adjacent
   * phrases of the module share one `-m` when their ranks rise, as one match prints them.
   */
  readonly rank?: number;
  /** The options, `lost` when the listing hid a value, undefined when the text is not this. */
  readonly args: (m: RegExpExecArray, family: Family) => PhraseResult | undefined;
}

export interface TargetPhrase {
  /** Matched at the current position; the target's text ends the line (else: a warning). */
  readonly pattern: RegExp;
  readonly args: (m: RegExpExecArray, family: Family) => PhraseResult | undefined;
}

const val = (value: string): Arg => ({ value });
const bang = (negated: unknown): Arg[] => (negated ? ['!'] : []);
const opt = (name: string, value: string | undefined): Arg[] =>
  value === undefined ? [] : [name, val(value)];
const flag = (name: string, present: unknown): Arg[] => (present ? [name] : []);

function matchPattern(source: string): RegExp {
  return new RegExp(`${source}(?= |$)`, 'y');
}

function targetPattern(source: string): RegExp {
  return new RegExp(`${source}(?= |$)`, 'y');
}

/** `spt:80`, `dpts:!1024:65535` items of tcp and udp; a port name is lost information. */
function portArgs(items: string): PhraseResult {
  const args: Arg[] = [];
  for (const m of items.matchAll(/(spt|dpt)s?:(!?)(\S+)/g)) {
    const value = m[3] ?? '';
    if (!/^\d{1,5}(:\d{1,5})?$/.test(value)) {
      return {
        lost: `"${value}" is a service name, not a port number: the listing was made without -n`,
      };
    }
    args.push(...bang(m[2]), m[1] === 'spt' ? '--sport' : '--dport', val(value));
  }
  return args;
}

const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] as const;

function flagNames(hex: string): string {
  const bits = Number.parseInt(hex, 16);
  if (bits === 0) return 'NONE';
  return TCP_FLAGS.filter((_, i) => (bits & (1 << i)) !== 0).join(',');
}

/** Whether a module takes this option value (icmp type names, which only -n turns to numbers). */
function accepts(module: string, option: string, value: string, family: Family): boolean {
  const m = findMatch(module);
  return m?.parse([{ name: option, values: [value], negated: false }], family).ok === true;
}

const CONNTRACK_OPTIONS = [
  'ctstate',
  'ctproto',
  'ctorigsrc',
  'ctorigdst',
  'ctreplsrc',
  'ctrepldst',
  'ctorigsrcport',
  'ctorigdstport',
  'ctreplsrcport',
  'ctrepldstport',
  'ctstatus',
  'ctexpire',
  'ctdir',
];

const HASHLIMIT_TAIL = [
  'mode',
  'htable-size',
  'htable-max',
  'htable-gcinterval',
  'htable-expire',
  'srcmask',
  'dstmask',
];

const RECENT_COMMANDS: Readonly<Record<string, string>> = {
  SET: '--set',
  CHECK: '--rcheck',
  UPDATE: '--update',
  REMOVE: '--remove',
};

/** In the order they are tried: longer phrases before the ones they start with. */
export const MATCH_PHRASES: readonly MatchPhrase[] = [
  {
    module: 'comment',
    pattern: matchPattern(String.raw`\/\* (.*?) \*\/`),
    args: (m) => ['--comment', val(m[1] ?? '')],
  },
  {
    module: 'tcp',
    pattern: matchPattern(
      String.raw`tcp((?: +(?:spt|dpt)s?:!?\S+)*)(?: +option=(!?)(\d+))?(?: +flags:(!?)0x([0-9A-Fa-f]{2})\/0x([0-9A-Fa-f]{2}))?`,
    ),
    args(m) {
      const ports = portArgs(m[1] ?? '');
      if ('lost' in ports) return ports;
      return [
        ...ports,
        ...(m[3] !== undefined ? [...bang(m[2]), '--tcp-option', val(m[3])] : []),
        ...(m[5] !== undefined && m[6] !== undefined
          ? [...bang(m[4]), '--tcp-flags', val(flagNames(m[5])), val(flagNames(m[6]))]
          : []),
      ];
    },
  },
  {
    module: 'udp',
    pattern: matchPattern(String.raw`udp((?: +(?:spt|dpt)s?:!?\S+)*)`),
    args: (m) => portArgs(m[1] ?? ''),
  },
  {
    module: 'icmp',
    pattern: matchPattern(String.raw`icmptype +(!?)(\d{1,3})(?: +code +(\d{1,3}))?`),
    args: (m) => [...bang(m[1]), '--icmp-type', val(m[3] ? `${m[2]}/${m[3]}` : (m[2] ?? ''))],
  },
  {
    module: 'icmp',
    // `icmp any`, and the type names a listing without -n prints (`icmp echo-request`).
    pattern: matchPattern('icmp +(!?)([a-z][a-z-]*)'),
    args: (m, family) =>
      accepts('icmp', 'icmp-type', m[2] ?? '', family)
        ? [...bang(m[1]), '--icmp-type', val(m[2] ?? '')]
        : undefined,
  },
  { module: 'icmp', pattern: matchPattern('icmp'), args: () => [] },
  {
    module: 'icmp6',
    pattern: matchPattern(String.raw`ipv6-icmptype +(!?)(\d{1,3})(?: +code +(\d{1,3}))?`),
    args: (m) => [...bang(m[1]), '--icmpv6-type', val(m[3] ? `${m[2]}/${m[3]}` : (m[2] ?? ''))],
  },
  {
    module: 'icmp6',
    pattern: matchPattern('ipv6-icmp +(!?)([a-z][a-z-]*)'),
    args: (m, family) =>
      accepts('icmp6', 'icmpv6-type', m[2] ?? '', family)
        ? [...bang(m[1]), '--icmpv6-type', val(m[2] ?? '')]
        : undefined,
  },
  { module: 'icmp6', pattern: matchPattern('ipv6-icmp'), args: () => [] },
  {
    module: 'multiport',
    pattern: matchPattern(String.raw`multiport((?: +(?:sports|dports|ports) +!?\S+)+)`),
    args(m) {
      const args: Arg[] = [];
      for (const item of (m[1] ?? '').matchAll(/(sports|dports|ports) +(!?)(\S+)/g)) {
        const value = item[3] ?? '';
        if (!/^[\d,:]+$/.test(value)) {
          return {
            lost: `"${value}" holds service names, not port numbers: the listing was made without -n`,
          };
        }
        args.push(...bang(item[2]), `--${item[1]}`, val(value));
      }
      return args;
    },
  },
  ...CONNTRACK_OPTIONS.map(
    (name, rank): MatchPhrase => ({
      module: 'conntrack',
      rank,
      pattern: matchPattern(String.raw`(! +)?${name} +(\S+)`),
      args: (m) => [...bang(m[1]), `--${name}`, val(m[2] ?? '')],
    }),
  ),
  {
    module: 'state',
    pattern: matchPattern(String.raw`(! +)?state +(\S+)`),
    args: (m) => [...bang(m[1]), '--state', val(m[2] ?? '')],
  },
  {
    module: 'connmark',
    // libxt_connmark prints "match ", the "!", then " VALUE".
    pattern: matchPattern(String.raw`connmark match +(!?) *(\S+)`),
    args: (m) => [...bang(m[1]), '--mark', val(m[2] ?? '')],
  },
  {
    module: 'mark',
    pattern: matchPattern(String.raw`mark match +(! +)?(\S+)`),
    args: (m) => [...bang(m[1]), '--mark', val(m[2] ?? '')],
  },
  // libxt_owner prints socket-exists first, then UID, GID, suppl. groups.
  {
    module: 'owner',
    rank: 0,
    pattern: matchPattern('(! +)?owner socket exists'),
    args: (m) => [...bang(m[1]), '--socket-exists'],
  },
  {
    module: 'owner',
    rank: 1,
    pattern: matchPattern(String.raw`(! +)?owner UID match +(\S+)`),
    args: (m) => [...bang(m[1]), '--uid-owner', val(m[2] ?? '')],
  },
  {
    module: 'owner',
    rank: 2,
    pattern: matchPattern(String.raw`(! +)?owner GID match +(\S+)`),
    args: (m) => [...bang(m[1]), '--gid-owner', val(m[2] ?? '')],
  },
  {
    module: 'owner',
    rank: 3,
    pattern: matchPattern(String.raw`incl\. suppl\. groups`),
    args: () => ['--suppl-groups'],
  },
  {
    module: 'addrtype',
    pattern: matchPattern(
      String.raw`ADDRTYPE match(?: +src-type +(!?)(\S+))?(?: +dst-type +(!?)(\S+))?( +limit-in)?( +limit-out)?`,
    ),
    args: (m) => [
      ...(m[2] !== undefined ? [...bang(m[1]), '--src-type', val(m[2])] : []),
      ...(m[4] !== undefined ? [...bang(m[3]), '--dst-type', val(m[4])] : []),
      ...flag('--limit-iface-in', m[5]),
      ...flag('--limit-iface-out', m[6]),
    ],
  },
  {
    module: 'iprange',
    rank: 0,
    pattern: matchPattern(String.raw`source IP range +(! +)?(\S+)`),
    args: (m) => [...bang(m[1]), '--src-range', val(m[2] ?? '')],
  },
  {
    module: 'iprange',
    rank: 1,
    pattern: matchPattern(String.raw`destination IP range +(! +)?(\S+)`),
    args: (m) => [...bang(m[1]), '--dst-range', val(m[2] ?? '')],
  },
  {
    module: 'length',
    pattern: matchPattern(String.raw`length +(!?)(\d+(?::\d+)?)`),
    args: (m) => [...bang(m[1]), '--length', val(m[2] ?? '')],
  },
  {
    module: 'limit',
    pattern: matchPattern(String.raw`limit: +(! +)?avg +(\S+) +burst +(\d+)`),
    args: (m) => [...bang(m[1]), '--limit', val(m[2] ?? ''), '--limit-burst', val(m[3] ?? '')],
  },
  {
    module: 'hashlimit',
    pattern: matchPattern(
      String.raw`limit: +(above|up to) +(\S+) +burst +(\d+)${HASHLIMIT_TAIL.map((n) => `(?: +${n} +(\\S+))?`).join('')}`,
    ),
    args: (m) => [
      m[1] === 'above' ? '--hashlimit-above' : '--hashlimit-upto',
      val(m[2] ?? ''),
      '--hashlimit-burst',
      val(m[3] ?? ''),
      ...HASHLIMIT_TAIL.flatMap((name, i) => opt(`--hashlimit-${name}`, m[4 + i])),
    ],
  },
  {
    module: 'pkttype',
    pattern: matchPattern(String.raw`PKTTYPE +(!?)= +(\S+)`),
    args: (m) => [...bang(m[1]), '--pkt-type', val(m[2] ?? '')],
  },
  {
    module: 'recent',
    pattern: matchPattern(
      String.raw`recent:(?: +(!))? +(SET|CHECK|UPDATE|REMOVE)(?: +seconds: +(\d+))?( +reap)?(?: +hit_count: +(\d+))?( +TTL-Match)? +name: +(\S+) +side: +(source|dest) +mask: +(\S+)`,
    ),
    args: (m) => [
      ...bang(m[1]),
      RECENT_COMMANDS[m[2] ?? ''] ?? '--rcheck',
      ...opt('--seconds', m[3]),
      ...flag('--reap', m[4]),
      ...opt('--hitcount', m[5]),
      ...flag('--rttl', m[6]),
      '--name',
      val(m[7] ?? ''),
      m[8] === 'dest' ? '--rdest' : '--rsource',
      '--mask',
      val(m[9] ?? ''),
    ],
  },
  {
    module: 'rpfilter',
    pattern: matchPattern('rpfilter( +loose)?( +validmark)?( +accept-local)?( +invert)?'),
    args: (m) => [
      ...flag('--loose', m[1]),
      ...flag('--validmark', m[2]),
      ...flag('--accept-local', m[3]),
      ...flag('--invert', m[4]),
    ],
  },
  {
    module: 'set',
    pattern: matchPattern(String.raw`(! +)?match-set +(\S+) +(\S+)`),
    args: (m) => [...bang(m[1]), '--match-set', val(m[2] ?? ''), val(m[3] ?? '')],
  },
  {
    module: 'socket',
    pattern: matchPattern('socket( +--transparent)?( +--nowildcard)?( +--restore-skmark)?'),
    args: (m) => [
      ...flag('--transparent', m[1]),
      ...flag('--nowildcard', m[2]),
      ...flag('--restore-skmark', m[3]),
    ],
  },
  {
    module: 'statistic',
    pattern: matchPattern(String.raw`statistic mode random( +!)? +probability +(\S+)`),
    args: (m) => ['--mode', val('random'), ...bang(m[1]), '--probability', val(m[2] ?? '')],
  },
  {
    module: 'statistic',
    // `nth ! every 3 packet 1` (libxt_statistic); `packet 0` may be left out.
    pattern: matchPattern(
      String.raw`statistic mode nth( +!)? +every +(!?)(\d+)(?: +packet +(\d+))?`,
    ),
    args: (m) => [
      '--mode',
      val('nth'),
      ...bang(m[1] || m[2]),
      '--every',
      val(m[3] ?? ''),
      ...(m[4] !== undefined && m[4] !== '0' ? opt('--packet', m[4]) : []),
    ],
  },
  {
    module: 'connlimit',
    pattern: matchPattern(String.raw`#conn +(src|dst)\/(\d+) +(>|<=) +(\d+)`),
    args: (m) => [
      m[3] === '>' ? '--connlimit-above' : '--connlimit-upto',
      val(m[4] ?? ''),
      '--connlimit-mask',
      val(m[2] ?? ''),
      m[1] === 'dst' ? '--connlimit-daddr' : '--connlimit-saddr',
    ],
  },
];

/** `and 0xff`, `set 0x539`, `xset 0x1/0xff` as MARK and CONNMARK print their one xmark. */
function xmarkArgs(kind: string | undefined, value: string | undefined): Arg[] {
  const v = value ?? '';
  switch (kind) {
    case 'and':
      return ['--and-mark', val(v)];
    case 'or':
      return ['--or-mark', val(v)];
    case 'xor':
      return ['--xor-mark', val(v)];
    case 'set':
      return ['--set-xmark', val(`${v}/0xffffffff`)];
    default:
      return ['--set-xmark', val(v)];
  }
}

/** By target name: what the target prints after the matches, up to the end of the line. */
export const TARGET_PHRASES: Readonly<Record<string, readonly TargetPhrase[]>> = {
  REDIRECT: [
    {
      pattern: targetPattern(String.raw`(?:redir ports +(\S+))?(?: *(random))?`),
      args: (m) => [...opt('--to-ports', m[1]), ...flag('--random', m[2])],
    },
  ],
  DNAT: [
    {
      pattern: targetPattern(String.raw`to:(\S+)( +random)?( +persistent)?`),
      args: (m) => [
        '--to-destination',
        val(m[1] ?? ''),
        ...flag('--random', m[2]),
        ...flag('--persistent', m[3]),
      ],
    },
  ],
  SNAT: [
    {
      pattern: targetPattern(String.raw`to:(\S+)( +random)?( +random-fully)?( +persistent)?`),
      args: (m) => [
        '--to-source',
        val(m[1] ?? ''),
        ...flag('--random', m[2]),
        ...flag('--random-fully', m[3]),
        ...flag('--persistent', m[4]),
      ],
    },
  ],
  MASQUERADE: [
    {
      pattern: targetPattern(
        String.raw`(?:masq ports: +(\S+))?(?: *(random))?(?: *(random-fully))?`,
      ),
      args: (m) => [
        ...opt('--to-ports', m[1]),
        ...flag('--random', m[2]),
        ...flag('--random-fully', m[3]),
      ],
    },
  ],
  MARK: [
    {
      pattern: targetPattern(String.raw`MARK +(and|or|xor|set|xset) +(\S+)`),
      args: (m) => xmarkArgs(m[1], m[2]),
    },
  ],
  CONNMARK: [
    {
      pattern: targetPattern(String.raw`CONNMARK +(and|or|xor|set|xset) +(\S+)`),
      args: (m) => xmarkArgs(m[1], m[2]),
    },
    {
      // libxt_CONNMARK: `save nfmask N ctmask ~C`, `restore ctmask C ~nfmask N` (`~` is text).
      pattern: targetPattern(
        String.raw`CONNMARK +(save|restore)(?: +mask +(\S+)| +nfmask +(\S+) +ctmask +~(\S+)| +ctmask +(\S+) +~nfmask +(\S+))?`,
      ),
      args: (m) => [
        m[1] === 'save' ? '--save-mark' : '--restore-mark',
        ...opt('--mask', m[2]),
        ...opt('--nfmask', m[3] ?? m[6]),
        ...opt('--ctmask', m[4] ?? m[5]),
      ],
    },
  ],
  CT: [
    {
      pattern: targetPattern(
        String.raw`CT( +notrack)?(?: +helper +(\S+))?(?: +events +(\S+))?(?: +expevents +(\S+))?(?: +zone +(\S+))?(?: +timeout +(\S+))?`,
      ),
      args: (m) => [
        ...flag('--notrack', m[1]),
        ...opt('--helper', m[2]),
        ...opt('--ctevents', m[3]),
        ...opt('--expevents', m[4]),
        ...opt('--zone', m[5]),
        ...opt('--timeout', m[6]),
      ],
    },
  ],
  LOG: [
    {
      pattern: targetPattern(String.raw`LOG +flags +(\d+) +level +(\d+)(?: +prefix +"(.*)")?`),
      args(m) {
        const bits = Number(m[1]);
        return [
          ...flag('--log-tcp-sequence', bits & 1),
          ...flag('--log-tcp-options', bits & 2),
          ...flag('--log-ip-options', bits & 4),
          ...flag('--log-uid', bits & 8),
          ...flag('--log-macdecode', bits & 32),
          '--log-level',
          val(m[2] ?? '4'),
          ...opt('--log-prefix', m[3]),
        ];
      },
    },
  ],
  REJECT: [
    {
      pattern: targetPattern(String.raw`reject-with +(\S+)`),
      args: (m) => ['--reject-with', val(m[1] ?? '')],
    },
  ],
  TPROXY: [
    {
      pattern: targetPattern(String.raw`TPROXY redirect +(\S+):(\d+) +mark +(\S+)`),
      args: (m) => [
        '--on-port',
        val(m[2] ?? ''),
        '--on-ip',
        val(m[1] ?? ''),
        '--tproxy-mark',
        val(m[3] ?? ''),
      ],
    },
  ],
  NOTRACK: [{ pattern: targetPattern('NOTRACK'), args: () => [] }],
  CHECKSUM: [
    {
      pattern: targetPattern('CHECKSUM( +fill)?'),
      args: (m) => flag('--checksum-fill', m[1]),
    },
  ],
  TCPMSS: [
    {
      pattern: targetPattern(String.raw`TCPMSS +(?:(clamp to PMTU)|set +(\d+))`),
      args: (m) => [...flag('--clamp-mss-to-pmtu', m[1]), ...opt('--set-mss', m[2])],
    },
  ],
  TRACE: [{ pattern: targetPattern(''), args: () => [] }],
};
