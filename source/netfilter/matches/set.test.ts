import { describe, expect, it } from 'vitest';
import type { IpSetConfig } from '../../model/index.js';
import { compileIpSet } from '../ipset.js';
import { context, listed, matchOf, packet, saved } from '../test-helpers.js';
import { set } from './set.js';

/** A MatchContext whose host has these ipsets. */
function withSets(...configs: IpSetConfig[]) {
  const byName = new Map(configs.map((c) => [c.name, compileIpSet(c).set]));
  return context({ ipset: (name) => byName.get(name) });
}

const probes = withSets({
  name: 'istio-inpod-probes-v4',
  type: 'hash:ip',
  family: 'ipv4',
  members: ['10.244.1.5'],
});
const toPod = packet({ src: '10.0.0.2', dst: '10.244.1.5' });
const toOther = packet({ src: '10.0.0.2', dst: '10.244.1.9' });

describe('set match', () => {
  it('matches when the field the flag names is a member (hash:ip)', () => {
    const rule = '--match-set istio-inpod-probes-v4 dst';
    expect(matchOf(set, rule, toPod, probes)).toEqual({ kind: 'match' });
    expect(matchOf(set, rule, toOther, probes)).toEqual({
      kind: 'no-match',
      why: '10.244.1.9 is not in ipset istio-inpod-probes-v4',
    });
    // `src` reads the source address instead.
    expect(matchOf(set, '--match-set istio-inpod-probes-v4 src', toPod, probes).kind).toBe(
      'no-match',
    );
  });

  it('`!` inverts the answer (xt_set match_set: if (ip_set_test(...)) inv = !inv)', () => {
    const rule = '! --match-set istio-inpod-probes-v4 dst';
    expect(matchOf(set, rule, toOther, probes).kind).toBe('match');
    expect(matchOf(set, rule, toPod, probes)).toEqual({
      kind: 'no-match',
      why: '10.244.1.5 is in ipset istio-inpod-probes-v4 as 10.244.1.5',
    });
  });

  it('a set the scenario does not give is unknown, and says which set', () => {
    expect(matchOf(set, '--match-set KUBE-CLUSTER-IP dst,dst', toPod, probes)).toEqual({
      kind: 'unknown',
      why: 'ipset "KUBE-CLUSTER-IP" is not part of the scenario',
    });
  });

  it('reads one flag per dimension: hash:ip,port with dst,dst is the destination and its port', () => {
    const services = withSets({
      name: 'KUBE-CLUSTER-IP',
      type: 'hash:ip,port',
      family: 'ipv4',
      members: ['10.96.0.10,tcp:80', '10.96.0.10,udp:53'],
    });
    const syn = packet({ dst: '10.96.0.10', dport: 80 });
    expect(matchOf(set, '--match-set KUBE-CLUSTER-IP dst,dst', syn, services).kind).toBe('match');
    // The protocol is part of the entry: UDP to port 80 is not tcp:80.
    const udp80 = packet({ protocol: 'udp', dst: '10.96.0.10', dport: 80 });
    expect(matchOf(set, '--match-set KUBE-CLUSTER-IP dst,dst', udp80, services)).toEqual({
      kind: 'no-match',
      why: '10.96.0.10,udp:80 is not in ipset KUBE-CLUSTER-IP',
    });
    // dst,src: the destination address with the source port (43210).
    expect(matchOf(set, '--match-set KUBE-CLUSTER-IP dst,src', syn, services).kind).toBe(
      'no-match',
    );
  });

  it('fewer flags than dimensions never match; `!` then matches (ip_set_test returns 0)', () => {
    // ip_set_test: if (opt->dim < set->type->dimension || ...) return 0;
    const services = withSets({
      name: 'svc',
      type: 'hash:ip,port',
      family: 'ipv4',
      members: ['10.96.0.10,tcp:80'],
    });
    const syn = packet({ dst: '10.96.0.10', dport: 80 });
    expect(matchOf(set, '--match-set svc dst', syn, services)).toEqual({
      kind: 'no-match',
      why: 'ipset svc (hash:ip,port) needs 2 src|dst flags, the rule gives 1',
    });
    expect(matchOf(set, '! --match-set svc dst', syn, services).kind).toBe('match');
    // More flags than dimensions: the extra ones are ignored.
    expect(matchOf(set, '--match-set svc dst,dst,src', syn, services).kind).toBe('match');
  });

  it('a set of the other family never matches (opt->family != set->family)', () => {
    const v6 = withSets({ name: 'v6', type: 'hash:ip', family: 'ipv6', members: ['fd00::5'] });
    expect(matchOf(set, '--match-set v6 dst', toPod, v6).kind).toBe('no-match');
    const p6 = packet({ family: 'ipv6', src: 'fd00::1', dst: 'fd00::5' });
    expect(matchOf(set, '--match-set v6 dst', p6, v6).kind).toBe('match');
  });

  it('hash:net: the most specific entry decides, and a nomatch entry does not match', () => {
    // ipset's tests/nethash.t: 1.1.1.0/30 inside 1.1.1.0/28 nomatch inside 1.1.1.0/26.
    const nets = withSets({
      name: 'nets',
      type: 'hash:net',
      family: 'ipv4',
      members: ['1.1.1.1 nomatch', '1.1.1.0/30', '1.1.1.0/28 nomatch', '1.1.1.0/26'],
    });
    const to = (dst: string) => matchOf(set, '--match-set nets dst', packet({ dst }), nets).kind;
    expect(to('1.1.1.1')).toBe('no-match');
    expect(to('1.1.1.3')).toBe('match');
    expect(to('1.1.1.4')).toBe('no-match');
    expect(to('1.1.1.16')).toBe('match');
    expect(to('1.1.2.1')).toBe('no-match');
  });

  it('--return-nomatch inverts the matched element on types that take nomatch', () => {
    // ip_set_test: with IPSET_FLAG_RETURN_NOMATCH and IPSET_TYPE_NOMATCH, ret = -ret for a
    // plain entry (1) and a nomatch one (-ENOTEMPTY); negative is then 0.
    const nets = withSets({
      name: 'pools',
      type: 'hash:net',
      family: 'ipv4',
      members: ['10.0.0.0/8', '10.1.0.0/16 nomatch'],
    });
    const rule = '--match-set pools dst --return-nomatch';
    const to = (dst: string, r = rule) => matchOf(set, r, packet({ dst }), nets).kind;
    expect(to('10.1.2.3')).toBe('match');
    expect(to('10.2.0.1')).toBe('no-match');
    expect(to('192.168.0.1')).toBe('no-match');
    expect(to('10.2.0.1', `! ${rule}`)).toBe('match');
    // Without the flag, the usual answer.
    expect(to('10.1.2.3', '--match-set pools dst')).toBe('no-match');
    expect(to('10.2.0.1', '--match-set pools dst')).toBe('match');
  });

  it('--return-nomatch changes nothing on a type without nomatch entries (hash:ip)', () => {
    expect(
      matchOf(set, '--match-set istio-inpod-probes-v4 dst --return-nomatch', toPod, probes),
    ).toEqual({ kind: 'match' });
  });

  it('hash:ip,port,net and hash:net,net pick their fields per flag', () => {
    const loop = withSets(
      {
        name: 'lb-src',
        type: 'hash:ip,port,net',
        family: 'ipv4',
        members: ['10.96.0.10,tcp:443,192.168.0.0/16'],
      },
      { name: 'pairs', type: 'hash:net,net', family: 'ipv4', members: ['10.0.0.0/8,10.96.0.0/12'] },
    );
    const p = packet({ src: '192.168.4.4', dst: '10.96.0.10', dport: 443 });
    expect(matchOf(set, '--match-set lb-src dst,dst,src', p, loop).kind).toBe('match');
    expect(matchOf(set, '--match-set lb-src dst,dst,dst', p, loop).kind).toBe('no-match');
    const q = packet({ src: '10.244.1.5', dst: '10.96.0.10' });
    expect(matchOf(set, '--match-set pairs src,dst', q, loop).kind).toBe('match');
    expect(matchOf(set, '--match-set pairs dst,src', q, loop).kind).toBe('no-match');
  });

  it('ICMP fills a port dimension with type and code (ip_set_get_ip4_port)', () => {
    const icmp = withSets({
      name: 'pings',
      type: 'hash:ip,port',
      family: 'ipv4',
      members: ['10.244.1.5,icmp:8/0'],
    });
    const ping = packet({ protocol: 'icmp', dst: '10.244.1.5', icmpType: 8, icmpCode: 0 });
    expect(matchOf(set, '--match-set pings dst,dst', ping, icmp).kind).toBe('match');
    expect(matchOf(set, '--match-set pings dst,src', ping, icmp).kind).toBe('match');
  });

  it('names the sets a rule reads, and saves and lists as iptables does', () => {
    const data = set.parse(
      [{ name: 'match-set', values: ['a', 'src,dst'], negated: true }],
      'ipv4',
    );
    expect(data.ok && set.sets?.(data.data)).toEqual(['a']);
    expect(saved(set, '--match-set pools src --return-nomatch')).toBe(
      '--match-set pools src --return-nomatch',
    );
    expect(listed(set, '! --match-set pools src,dst --return-nomatch')).toBe(
      '! match-set pools src,dst return-nomatch',
    );
  });
});

describe('set match counter options', () => {
  it('cannot decide a test of the entry counters, and lists the options as -L does', () => {
    const rule = '--match-set istio-inpod-probes-v4 dst ! --update-counters --packets-gt 5';
    expect(matchOf(set, rule, toPod, probes)).toEqual({
      kind: 'unknown',
      why: '--packets-gt: ipset entry counters are not simulated',
    });
    // Skipping the counter update changes no answer.
    expect(
      matchOf(set, '--match-set istio-inpod-probes-v4 dst ! --update-counters', toPod, probes),
    ).toEqual({ kind: 'match' });
    // Measured: iptables-nft -L prints `match-set x src ! update-counters ! packets-eq 0`.
    expect(listed(set, '--match-set x src ! --update-counters ! --packets-eq 0')).toBe(
      'match-set x src ! update-counters ! packets-eq 0',
    );
  });
});

describe('ipset members', () => {
  it('refuses what ipset add refuses', () => {
    const errors = (type: IpSetConfig['type'], ...members: string[]) =>
      compileIpSet({ name: 's', type, family: 'ipv4', members }).errors.map((e) => e.member);
    expect(errors('hash:ip', '10.0.0.1', '10.0.0.1 nomatch', 'fd00::1', 'x')).toEqual([1, 2, 3]);
    expect(errors('hash:net', '10.0.0.0/0', '10.0.0.0/8 nomatch')).toEqual([0]);
    expect(errors('hash:ip,port', '10.0.0.1', '10.0.0.1,80', '10.0.0.1,ftp:21')).toEqual([0, 2]);
  });
});
