/**
 * The single-rule files of the verdict differential: for every option of every module in nfdb's
 * registry, valid values, invalid ones, edge values, negations, repeats and missing values,
 * each placed where the module may be used (and, once, where it may not). The real
 * iptables-restore of each backend judges every file, and `nfdb check` is held to its verdict.
 * A new option without samples here fails the coverage test, so the registry cannot outgrow it.
 */
import type { Family } from '../../source/model/index.js';

export interface VerdictCase {
  /** Stable and readable: `tcp --dport 65536`, the module and the rule's words. */
  readonly id: string;
  readonly family: Family;
  /** The whole restore input. */
  readonly text: string;
}

interface Place {
  readonly table: string;
  readonly chain: string;
  /** Words the module needs before it (`-p tcp`). */
  readonly prefix?: string;
}

/** Sample values of one option: what should load, and what should not. */
interface Samples {
  readonly valid: readonly string[];
  readonly invalid: readonly string[];
}

interface ModuleCases {
  readonly kind: 'match' | 'target';
  readonly family?: Family;
  readonly place: Place;
  /** Places where the module is refused (or should be): judged with the base options. */
  readonly elsewhere?: readonly Place[];
  /** The smallest option set the module loads with, added to flags and lone options. */
  readonly base: string;
  readonly options: Readonly<Record<string, Samples | 'flag'>>;
  /** Whole option lists worth judging as they are: combinations, orders. */
  readonly extra?: readonly string[];
}

const v = (valid: readonly string[], invalid: readonly string[]): Samples => ({ valid, invalid });

const PORT = v(
  ['80', '0', '65535', '1024:65535', ':1023', '1024:', 'ssh', '0x10', '5:1'],
  ['65536', '-1', 'nosuchservice', '1:2:3'],
);
const MARK = v(
  ['0x1', '1', '0xffffffff', '4294967295', '0x1/0xff', '0'],
  ['0x100000000', '4294967296', 'zzz', '1/', '-1'],
);
const ADDR4 = v(
  ['10.0.0.1', '10.0.0.0/8', '0/0', '1.2.3', '10.0.0.0/255.0.0.0'],
  ['10.0.0.300', 'hello', '10.0.0.0/33', '::1'],
);
const NAT4 = v(
  [
    '10.0.0.1',
    '10.0.0.1:80',
    '10.0.0.1-10.0.0.3',
    '10.0.0.1:1000-2000',
    '1.1.1.1:1000-2000/1000',
    '1.1.1.1:ssh',
    '10.0.0.1-10.0.0.3:80-81',
  ],
  ['10.0.0.300', 'hello', '1.1.1.1:70000', '1.1.1.1:2000-1000', '10.0.0.3-10.0.0.1', ''],
);
const TO_PORTS = v(
  ['15001', '8000-8010', 'ftp-data', '1', '65535'],
  ['70000', 'nosuchservice', '2000-1000', '0x'],
);
const CTSTATE = ['NEW', 'RELATED,ESTABLISHED', 'INVALID', 'UNTRACKED', 'new'];
const RATE = v(
  ['5/sec', '3/min', '1/hour', '1/day', '10/s', '5', '10000/sec'],
  ['1000000/sec', '0/sec', 'zzz', '5/week'],
);
const UINT = v(['0', '1', '4294967295'], ['4294967296', '-1', 'zzz']);
const ICMP4 = v(
  ['8', 'echo-request', '3/4', '255', '255/0:255', 'any', 'destination-unreachable'],
  ['256', 'zzz', '3/256', '-1'],
);

const MODULES: Readonly<Record<string, ModuleCases>> = {
  addrtype: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--dst-type LOCAL',
    options: {
      'src-type': v(
        ['LOCAL', 'UNICAST', 'LOCAL,BROADCAST', 'BLACKHOLE', 'local'],
        ['FOO', 'LOCAL,', '7'],
      ),
      'dst-type': v(['LOCAL', 'MULTICAST', 'UNSPEC'], ['FOO']),
      'limit-iface-in': 'flag',
      'limit-iface-out': 'flag',
    },
    extra: ['--limit-iface-in', '--dst-type LOCAL --limit-iface-in --limit-iface-out'],
    elsewhere: [{ table: 'filter', chain: 'OUTPUT' }],
  },
  comment: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--comment x',
    options: { comment: v(['hello', '"a b"', 'x'.repeat(255)], ['x'.repeat(256)]) },
  },
  connlimit: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p tcp' },
    base: '--connlimit-above 10',
    options: {
      'connlimit-upto': UINT,
      'connlimit-above': UINT,
      'connlimit-mask': v(['0', '24', '32'], ['33', 'zzz']),
      'connlimit-saddr': 'flag',
      'connlimit-daddr': 'flag',
    },
  },
  connmark: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--mark 0x1',
    options: { mark: MARK },
  },
  conntrack: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--ctstate NEW',
    options: {
      ctstate: v([...CTSTATE, 'SNAT', 'DNAT'], ['FOO', 'NEW,']),
      ctproto: v(['tcp', '6', 'udp', 'all'], ['zzz', '256']),
      ctorigsrc: ADDR4,
      ctorigdst: ADDR4,
      ctreplsrc: ADDR4,
      ctrepldst: ADDR4,
      ctorigsrcport: v(['80', '1:2', 'ssh'], ['65536', 'zzz']),
      ctorigdstport: v(['80', '1:2'], ['65536']),
      ctreplsrcport: v(['80'], ['65536']),
      ctrepldstport: v(['80'], ['65536']),
      ctstatus: v(
        ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED', 'ASSURED,CONFIRMED'],
        ['FOO'],
      ),
      ctexpire: v(['10', '10:20', '0', '4294967295'], ['42949672956', 'zzz', '20:10']),
      ctdir: v(['ORIGINAL', 'REPLY'], ['zzz', 'original']),
    },
    extra: ['--ctproto tcp --ctorigdstport 80'],
  },
  hashlimit: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--hashlimit-upto 50/sec --hashlimit-name web',
    options: {
      'hashlimit-upto': v(
        ['50/sec', '10mb/s', '4kb/s', '1/day', '1b/s'],
        ['1000000/sec', '0/sec', 'zzz'],
      ),
      hashlimit: v(['50/sec'], []),
      'hashlimit-above': v(['50/sec', '10mb/s'], ['zzz']),
      'hashlimit-burst': v(['5', '400kb', '1'], ['zzz', '0']),
      'hashlimit-mode': v(['srcip', 'srcip,dstport', 'dstip', 'srcport,dstport'], ['zzz']),
      'hashlimit-name': v(['web', 'x'.repeat(15)], ['x'.repeat(16)]),
      'hashlimit-htable-size': v(['1024'], ['zzz']),
      'hashlimit-htable-max': v(['2048'], ['zzz']),
      'hashlimit-htable-gcinterval': v(['1000'], ['zzz']),
      'hashlimit-htable-expire': v(['10000'], ['zzz']),
      'hashlimit-srcmask': v(['24', '0', '32'], ['33', 'zzz']),
      'hashlimit-dstmask': v(['24'], ['33']),
      'hashlimit-rate-match': 'flag',
      'hashlimit-rate-interval': v(['1', '10'], ['0', 'zzz']),
    },
    extra: [
      '--hashlimit-name web',
      '--hashlimit-upto 50/sec',
      '--hashlimit-upto 10mb/s --hashlimit-burst 400kb --hashlimit-name web',
      '--hashlimit-above 50/sec --hashlimit-name web --hashlimit-rate-match --hashlimit-rate-interval 2',
    ],
  },
  icmp: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p icmp' },
    base: '--icmp-type 8',
    options: { 'icmp-type': ICMP4 },
    elsewhere: [{ table: 'filter', chain: 'INPUT', prefix: '-p tcp' }],
  },
  icmp6: {
    kind: 'match',
    family: 'ipv6',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p ipv6-icmp' },
    base: '--icmpv6-type 128',
    options: {
      'icmpv6-type': v(
        ['128', 'echo-request', '1/4', '255', 'neighbour-solicitation'],
        ['256', 'zzz', '1/256'],
      ),
    },
    elsewhere: [{ table: 'filter', chain: 'INPUT', prefix: '-p tcp' }],
  },
  iprange: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--src-range 10.0.0.1-10.0.0.9',
    options: {
      'src-range': v(
        ['10.0.0.1-10.0.0.9', '10.0.0.1', '10.0.0.9-10.0.0.1'],
        ['zzz', '10.0.0.1-', '10.0.0.300-10.0.0.301'],
      ),
      'dst-range': v(['10.1.0.0-10.1.0.255'], ['zzz']),
    },
  },
  length: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--length 1500',
    options: {
      length: v(['0:100', '1500', ':2', '4:', ':', '5:1', '65535', '0'], ['65536', 'zzz', '1:2:3']),
    },
  },
  limit: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--limit 5/sec',
    options: { limit: RATE, 'limit-burst': v(['5', '0', '10000'], ['10001', 'zzz']) },
  },
  mark: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--mark 0x1',
    options: { mark: MARK },
  },
  multiport: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p tcp' },
    base: '--dports 80,443',
    options: {
      sports: v(
        ['80,443', '1024:2048,3000', 'ssh', Array.from({ length: 15 }, (_, i) => i + 1).join(',')],
        [Array.from({ length: 16 }, (_, i) => i + 1).join(','), '80,', 'zzz', '65536'],
      ),
      'source-ports': v(['80'], []),
      dports: v(['80,443', '1:2,3:4'], ['zzz']),
      'destination-ports': v(['80'], []),
      ports: v(['80,443'], ['65536']),
    },
    elsewhere: [{ table: 'filter', chain: 'INPUT' }],
  },
  owner: {
    kind: 'match',
    place: { table: 'filter', chain: 'OUTPUT' },
    base: '--uid-owner 1337',
    options: {
      'socket-exists': 'flag',
      'uid-owner': v(['1337', '0', '5-10', 'root', '4294967294'], ['nosuchuser', '-1', '10-5']),
      'gid-owner': v(['1337', '0', '5-10', 'root'], ['nosuchgroup']),
      'suppl-groups': 'flag',
    },
    extra: [
      '--suppl-groups --gid-owner 1',
      '--gid-owner 1 --suppl-groups',
      '--uid-owner 1 --suppl-groups',
    ],
    elsewhere: [
      { table: 'filter', chain: 'INPUT' },
      { table: 'nat', chain: 'PREROUTING' },
    ],
  },
  pkttype: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--pkt-type unicast',
    options: { 'pkt-type': v(['unicast', 'broadcast', 'multicast', 'BROADCAST'], ['host', 'zzz']) },
  },
  recent: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--set',
    options: {
      set: 'flag',
      rcheck: 'flag',
      update: 'flag',
      remove: 'flag',
      seconds: v(['60', '0'], ['zzz']),
      reap: 'flag',
      hitcount: v(['4', '0', '255'], ['256', 'zzz']),
      rttl: 'flag',
      name: v(['SSH', 'x'.repeat(199)], ['x'.repeat(200)]),
      mask: v(['255.255.255.255', '255.255.0.0'], ['zzz']),
      rsource: 'flag',
      rdest: 'flag',
    },
    extra: ['--set --rcheck', '--rcheck --seconds 60 --reap', '--rcheck --reap'],
  },
  rpfilter: {
    kind: 'match',
    place: { table: 'raw', chain: 'PREROUTING' },
    base: '',
    options: { loose: 'flag', validmark: 'flag', 'accept-local': 'flag', invert: 'flag' },
    elsewhere: [
      { table: 'filter', chain: 'INPUT' },
      { table: 'mangle', chain: 'PREROUTING' },
    ],
  },
  set: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--match-set nfdb4 src',
    options: {
      'match-set': v(['nfdb4 src', 'nfdb4 dst', 'nfdb4 src,dst'], ['nfdb4 zzz', 'nosuchset src']),
      set: v(['nfdb4 src'], []),
      'return-nomatch': 'flag',
      'update-counters': 'flag',
      'update-subcounters': 'flag',
      'packets-eq': v(['0', '10'], ['zzz']),
      'packets-lt': v(['10'], ['zzz']),
      'packets-gt': v(['10'], []),
      'bytes-eq': v(['10'], []),
      'bytes-lt': v(['10'], []),
      'bytes-gt': v(['1000'], ['zzz']),
    },
  },
  socket: {
    kind: 'match',
    place: { table: 'mangle', chain: 'PREROUTING' },
    base: '',
    options: { transparent: 'flag', nowildcard: 'flag', 'restore-skmark': 'flag' },
    elsewhere: [{ table: 'filter', chain: 'OUTPUT' }],
  },
  state: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--state NEW',
    options: { state: v(CTSTATE, ['FOO', 'SNAT']) },
  },
  statistic: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT' },
    base: '--mode random --probability 0.5',
    options: {
      mode: v(['random', 'nth'], ['zzz']),
      probability: v(['0.5', '1e-3', '0', '1', '0.33333333349'], ['1.5', 'zzz', '-0.5']),
      every: v(['3', '1'], ['0', 'zzz']),
      packet: v(['0', '2'], ['zzz']),
    },
    extra: [
      '--mode nth --every 3 --packet 2',
      '--mode nth --every 3 --packet 3',
      '--mode nth ! --every 5',
      '--mode nth --every 5',
      '--mode random',
      '--mode nth --probability 0.5',
    ],
  },
  tcp: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p tcp' },
    base: '--dport 80',
    options: {
      sport: PORT,
      'source-port': v(['80'], []),
      dport: PORT,
      'destination-port': v(['80'], []),
      'tcp-flags': v(['SYN,ACK SYN', 'ALL NONE', 'FIN,SYN,RST,ACK SYN'], ['FOO SYN', 'SYN']),
      syn: 'flag',
      'tcp-option': v(['2', '0', '255'], ['256', 'zzz']),
    },
    elsewhere: [
      { table: 'filter', chain: 'INPUT', prefix: '-p udp' },
      { table: 'filter', chain: 'INPUT' },
    ],
  },
  udp: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p udp' },
    base: '--dport 53',
    options: {
      sport: PORT,
      'source-port': v(['53'], []),
      dport: PORT,
      'destination-port': v(['53'], []),
    },
    elsewhere: [{ table: 'filter', chain: 'INPUT', prefix: '-p tcp' }],
  },
  sctp: {
    kind: 'match',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p sctp' },
    base: '--dport 1',
    options: {
      // Service names are the machine's (getservbyname for sctp): numbers only here.
      sport: v(['80', '0', '65535', '1024:65535', ':1023', '1024:', '5:1'], ['65536', '1:2:3']),
      'source-port': v(['53'], []),
      dport: v(['80', '0', '65535', '1024:65535'], ['65536', '-1', '1:2:3']),
      'destination-port': v(['53'], []),
      'chunk-types': v(
        ['any INIT', 'all INIT,SACK', 'only DATA:Be', 'any ABORT:T', 'any ALL', 'any NONE'],
        ['some INIT', 'any FOO', 'any INIT:X', 'any'],
      ),
    },
    elsewhere: [{ table: 'filter', chain: 'INPUT', prefix: '-p udp' }],
  },
  CHECKSUM: {
    kind: 'target',
    place: { table: 'mangle', chain: 'POSTROUTING', prefix: '-p udp' },
    base: '--checksum-fill',
    options: { 'checksum-fill': 'flag' },
    extra: [''],
    elsewhere: [{ table: 'filter', chain: 'OUTPUT' }],
  },
  CONNMARK: {
    kind: 'target',
    place: { table: 'mangle', chain: 'PREROUTING' },
    base: '--set-xmark 0x1',
    options: {
      'set-xmark': MARK,
      'set-mark': MARK,
      'and-mark': v(['0x1'], ['zzz']),
      'or-mark': v(['0x1'], ['zzz']),
      'xor-mark': v(['0x1'], ['zzz']),
      'save-mark': 'flag',
      'restore-mark': 'flag',
      nfmask: v(['0xff'], ['zzz']),
      ctmask: v(['0xff'], ['zzz']),
      mask: v(['0xff'], ['zzz']),
    },
    extra: [
      '',
      '--save-mark --mask 0xff',
      '--restore-mark --nfmask 0xff --ctmask 0xf',
      '--set-mark 1 --save-mark',
    ],
    elsewhere: [{ table: 'filter', chain: 'INPUT' }],
  },
  CT: {
    kind: 'target',
    place: { table: 'raw', chain: 'PREROUTING' },
    base: '--notrack',
    options: {
      notrack: 'flag',
      helper: v(['ftp'], ['nosuchhelper']),
      ctevents: v(['new', 'new,related', 'destroy'], ['zzz']),
      expevents: v(['new'], ['zzz']),
      'zone-orig': v(['1'], ['zzz']),
      'zone-reply': v(['1'], []),
      zone: v(['1', '0', '65535', 'mark', 'orig'], ['65536', 'zzz']),
      timeout: v([], ['nosuchpolicy']),
    },
    extra: [''],
    elsewhere: [{ table: 'mangle', chain: 'PREROUTING' }],
  },
  DNAT: {
    kind: 'target',
    place: { table: 'nat', chain: 'PREROUTING', prefix: '-p tcp' },
    base: '--to-destination 10.0.0.1',
    options: { 'to-destination': NAT4, random: 'flag', persistent: 'flag' },
    extra: ['', '--to-destination 10.0.0.1 --to-destination 10.0.0.2'],
    elsewhere: [
      { table: 'filter', chain: 'INPUT', prefix: '-p tcp' },
      { table: 'nat', chain: 'POSTROUTING', prefix: '-p tcp' },
    ],
  },
  LOG: {
    kind: 'target',
    place: { table: 'filter', chain: 'INPUT' },
    base: '',
    options: {
      'log-prefix': v(['dropped', '"a b: "', 'x'.repeat(29)], ['x'.repeat(30)]),
      'log-level': v(['7', '0', 'warning', 'debug', 'warn', 'panic'], ['8', 'zzz']),
      'log-tcp-sequence': 'flag',
      'log-tcp-options': 'flag',
      'log-ip-options': 'flag',
      'log-uid': 'flag',
      'log-macdecode': 'flag',
    },
  },
  MARK: {
    kind: 'target',
    place: { table: 'mangle', chain: 'PREROUTING' },
    base: '--set-mark 0x1',
    options: {
      'set-xmark': MARK,
      'set-mark': MARK,
      'and-mark': v(['0x1'], ['zzz']),
      'or-mark': v(['0x1'], ['zzz']),
      'xor-mark': v(['0x1'], ['zzz']),
    },
    extra: ['', '--set-mark 1 --set-xmark 2', '--and-mark 1 --or-mark 2'],
    elsewhere: [{ table: 'filter', chain: 'INPUT' }],
  },
  MASQUERADE: {
    kind: 'target',
    place: { table: 'nat', chain: 'POSTROUTING', prefix: '-p tcp' },
    base: '',
    options: { 'to-ports': TO_PORTS, random: 'flag', 'random-fully': 'flag' },
    elsewhere: [
      { table: 'nat', chain: 'POSTROUTING' },
      { table: 'nat', chain: 'PREROUTING', prefix: '-p tcp' },
    ],
  },
  NFQUEUE: {
    kind: 'target',
    place: { table: 'filter', chain: 'INPUT' },
    base: '',
    options: {
      'queue-num': v(['0', '65535', '0x10'], ['65536', '70000', 'zzz']),
      'queue-balance': v(['1:3', '0:65535'], ['3:1', '2:2', 'zzz']),
      'queue-bypass': 'flag',
      'queue-cpu-fanout': 'flag',
    },
    extra: ['--queue-num 1 --queue-balance 1:3', '--queue-balance 1:3 --queue-num 4'],
  },
  NOTRACK: {
    kind: 'target',
    place: { table: 'raw', chain: 'PREROUTING' },
    base: '',
    options: {},
    elsewhere: [{ table: 'filter', chain: 'INPUT' }],
  },
  REDIRECT: {
    kind: 'target',
    place: { table: 'nat', chain: 'PREROUTING', prefix: '-p tcp' },
    base: '',
    options: { 'to-ports': TO_PORTS, 'to-port': v(['80'], []), random: 'flag' },
    elsewhere: [
      { table: 'nat', chain: 'PREROUTING' },
      { table: 'nat', chain: 'POSTROUTING', prefix: '-p tcp' },
      { table: 'filter', chain: 'INPUT', prefix: '-p tcp' },
    ],
  },
  REJECT: {
    kind: 'target',
    place: { table: 'filter', chain: 'INPUT', prefix: '-p tcp' },
    base: '',
    options: {
      'reject-with': v(
        [
          'icmp-port-unreachable',
          'tcp-reset',
          'icmp-net-unreachable',
          'icmp-admin-prohibited',
          'tcp-rst',
          'icmp-host-prohibited',
        ],
        ['zzz', 'echo-reply'],
      ),
    },
    extra: [],
    elsewhere: [
      { table: 'nat', chain: 'PREROUTING' },
      { table: 'filter', chain: 'INPUT', prefix: '-p udp' },
    ],
  },
  SNAT: {
    kind: 'target',
    place: { table: 'nat', chain: 'POSTROUTING', prefix: '-p tcp' },
    base: '--to-source 192.0.2.1',
    options: { 'to-source': NAT4, random: 'flag', 'random-fully': 'flag', persistent: 'flag' },
    extra: [''],
    elsewhere: [
      { table: 'nat', chain: 'PREROUTING', prefix: '-p tcp' },
      { table: 'nat', chain: 'POSTROUTING' },
    ],
  },
  TCPMSS: {
    kind: 'target',
    place: { table: 'mangle', chain: 'FORWARD', prefix: '-p tcp --tcp-flags SYN,RST SYN' },
    base: '--clamp-mss-to-pmtu',
    options: {
      'set-mss': v(['1400', '0', '65535'], ['65536', 'zzz']),
      'clamp-mss-to-pmtu': 'flag',
    },
    extra: ['', '--set-mss 1400 --clamp-mss-to-pmtu'],
    elsewhere: [
      { table: 'mangle', chain: 'FORWARD', prefix: '-p tcp' },
      { table: 'mangle', chain: 'FORWARD' },
    ],
  },
  TPROXY: {
    kind: 'target',
    place: { table: 'mangle', chain: 'PREROUTING', prefix: '-p tcp' },
    base: '--on-port 15006',
    options: {
      'on-port': v(['15006', '0', '65535', 'ssh'], ['65536', 'zzz']),
      'on-ip': v(['0.0.0.0', '127.0.0.1'], ['zzz', '10.0.0.300']),
      'tproxy-mark': v(['0x1/0x1', '1'], ['zzz']),
    },
    extra: [''],
    elsewhere: [
      { table: 'mangle', chain: 'PREROUTING' },
      { table: 'mangle', chain: 'OUTPUT', prefix: '-p tcp' },
    ],
  },
  TRACE: {
    kind: 'target',
    place: { table: 'raw', chain: 'PREROUTING' },
    base: '',
    options: {},
    elsewhere: [{ table: 'filter', chain: 'INPUT' }],
  },
};

/** Rule words outside any module: addresses, protocols, interfaces, counters, targets nfdb lacks. */
const RULE_WORDS: readonly (readonly [string, string])[] = [
  ['filter INPUT', '-s 0/0 -j ACCEPT'],
  ['filter INPUT', '-s 1.2.3 -j ACCEPT'],
  ['filter INPUT', '-s 1.2.3.4,5.6.7.8 -j ACCEPT'],
  ['filter INPUT', '-s 1.2.3.4/08 -j ACCEPT'],
  ['filter INPUT', '-s 1.2.3.4/8 -j ACCEPT'],
  ['filter INPUT', '-s 10.0.0.0/33 -j ACCEPT'],
  ['filter INPUT', '-s 10.0.0.0/255.255.0.0 -j ACCEPT'],
  ['filter INPUT', '-s 10.0.0.300 -j ACCEPT'],
  ['filter INPUT', '! -s 10.0.0.1 -d 10.0.0.2 -j ACCEPT'],
  ['filter INPUT', '-p 0 -j ACCEPT'],
  ['filter INPUT', '! -p 0 -j ACCEPT'],
  ['filter INPUT', '-p all -j ACCEPT'],
  ['filter INPUT', '-p 300 -j ACCEPT'],
  ['filter INPUT', '-p 6 -j ACCEPT'],
  ['filter INPUT', '-p TCP -j ACCEPT'],
  ['filter INPUT', '-p sctp --dport 1 -j ACCEPT'],
  ['filter INPUT', '-p sctp -j ACCEPT'],
  ['filter INPUT', '-p zzz -j ACCEPT'],
  ['filter INPUT', '-4 -j ACCEPT'],
  ['filter INPUT', '-6 -j ACCEPT'],
  ['filter INPUT', '-c 2 3 -j ACCEPT'],
  ['filter INPUT', '-c 2,3 -j ACCEPT'],
  ['filter INPUT', '-i lo -j ACCEPT'],
  ['filter INPUT', '-i eth+ -j ACCEPT'],
  ['filter INPUT', `-i ${'x'.repeat(15)} -j ACCEPT`],
  ['filter INPUT', `-i ${'x'.repeat(16)} -j ACCEPT`],
  ['filter INPUT', '-o lo -j ACCEPT'],
  ['filter OUTPUT', '-i lo -j ACCEPT'],
  ['filter INPUT', '-f -j ACCEPT'],
  ['filter INPUT', '-j NFQUEUE'],
  ['filter INPUT', '-j NFQUEUE --queue-num 70000'],
  ['filter INPUT', '-j NFQUEUE --queue-num 65535'],
  ['filter INPUT', '-j NFQUEUE --queue-balance 1:3'],
  ['filter INPUT', '-j RETURN'],
  ['filter INPUT', '-j DROP'],
  ['filter INPUT', '-j NOSUCHTARGET'],
  ['filter INPUT', '-m nosuchmatch -j ACCEPT'],
  ['filter INPUT', '-p tcp -p udp -j ACCEPT'],
  ['filter INPUT', '-s 1.1.1.1 -s 2.2.2.2 -j ACCEPT'],
  ['filter INPUT', '-i lo -i eth0 -j ACCEPT'],
  ['filter INPUT', '-p tcp -m tcp --dport 1 -m tcp --sport 2 -j ACCEPT'],
];

const WHOLE_FILES: readonly (readonly [string, string])[] = [
  ['-X of a chain with a rule', '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-X FOO\nCOMMIT\n'],
  ['-X of a chain jumped to', '*filter\n:FOO - [0:0]\n-A INPUT -j FOO\n-X FOO\nCOMMIT\n'],
  ['-X of every chain, one with a rule', '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-X\nCOMMIT\n'],
  ['-X after -F', '*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-F FOO\n-X FOO\nCOMMIT\n'],
  [
    'jump cycle no built-in chain reaches',
    '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n',
  ],
  [
    'jump cycle from INPUT',
    '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n',
  ],
  ['16 nested user chains', nested(16)],
  ['15 nested user chains', nested(15)],
  ['jump to a missing chain', '*filter\n-A INPUT -j MISSING\nCOMMIT\n'],
];

function nested(depth: number): string {
  const names = Array.from({ length: depth }, (_, i) => `C${i}`);
  const jumps = names.map((n, i) => `-A ${i === 0 ? 'INPUT' : names[i - 1]} -j ${n}`);
  return `*filter\n${names.map((n) => `:${n} - [0:0]`).join('\n')}\n${jumps.join('\n')}\nCOMMIT\n`;
}

function file(table: string, chain: string, rule: string): string {
  return `*${table}\n-A ${chain} ${rule}\nCOMMIT\n`;
}

function words(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}

/** The rule text for `options` of a module at a place. */
function rule(name: string, m: ModuleCases, place: Place, options: string): string {
  return m.kind === 'match'
    ? words(place.prefix, `-m ${name}`, options, '-j ACCEPT')
    : words(place.prefix, `-j ${name}`, options);
}

/** Option lists that exercise one option: each value, negated, repeated, without its value. */
function optionVariants(option: string, samples: Samples | 'flag', base: string): string[] {
  if (samples === 'flag') {
    const flag = `--${option}`;
    return [flag, words(base, flag), words(base, `! ${flag}`), words(base, flag, flag)];
  }
  const variants: string[] = [];
  const first = samples.valid[0];
  for (const value of [...samples.valid, ...samples.invalid]) {
    const given = `--${option} ${value}`;
    variants.push(given, words(base, given));
  }
  if (first !== undefined) {
    const given = `--${option} ${first}`;
    variants.push(`! ${given}`, words(base, `! ${given}`), words(given, given));
  }
  variants.push(`--${option}`);
  return variants;
}

/**
 * A hashlimit table outlives its rule for a while, and a later rule of the same name with
 * other settings is refused: each case names a table of its own.
 */
function ownTables(text: string, index: number): string {
  return text.replace(/--hashlimit-name web\b/g, `--hashlimit-name w${index}`);
}

/** The option list without `--name` and its value. */
function withoutOption(options: string, name: string, arity: number): string {
  const words = options.split(' ').filter((w) => w !== '');
  const at = words.indexOf(`--${name}`);
  if (at >= 0) words.splice(at, 1 + arity);
  return words.join(' ');
}

function moduleCases(name: string, m: ModuleCases): VerdictCase[] {
  const family = m.family ?? 'ipv4';
  const lists = new Set<string>([m.base, ...(m.extra ?? [])]);
  for (const [option, samples] of Object.entries(m.options)) {
    // Options the base already holds are judged with the rest of the base.
    const base = withoutOption(m.base, option, samples === 'flag' ? 0 : 1);
    for (const variant of optionVariants(option, samples, base)) lists.add(variant);
  }
  const cases: VerdictCase[] = [];
  const at = (place: Place, options: string) => {
    const text = ownTables(rule(name, m, place, options), cases.length);
    cases.push({
      id: `${place.table} ${place.chain}: ${text}`,
      family,
      text: file(place.table, place.chain, text),
    });
  };
  for (const options of lists) at(m.place, options);
  for (const place of m.elsewhere ?? []) at(place, m.base);
  return cases;
}

/** Every case, in a fixed order: the same list on every run. */
export function verdictCases(): VerdictCase[] {
  const cases: VerdictCase[] = [];
  for (const [name, m] of Object.entries(MODULES)) cases.push(...moduleCases(name, m));
  for (const [where, text] of RULE_WORDS) {
    const [table = 'filter', chain = 'INPUT'] = where.split(' ');
    cases.push({
      id: `${table} ${chain}: ${text}`,
      family: 'ipv4',
      text: file(table, chain, text),
    });
  }
  for (const [id, text] of WHOLE_FILES) cases.push({ id, family: 'ipv4', text });
  const seen = new Set<string>();
  return cases.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

/** The modules and options the cases cover, for the test that keeps up with the registry. */
export function coveredOptions(): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map(
    Object.entries(MODULES).map(([name, m]) => [name, new Set(Object.keys(m.options))]),
  );
}
