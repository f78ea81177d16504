import { describe, expect, it } from 'vitest';
import { packetChanges } from '../../netfilter/engine/changes.js';
import { packet } from '../../netfilter/test-helpers.js';
import { changesText, changeText, flowText, packetEnds, tupleText } from './flow.js';

const before = packet({ src: '10.0.0.2', sport: 40000, dst: '10.0.0.3', dport: 9080 });
const said = (a: typeof before, b: typeof before) => changesText(packetChanges(a, b));

describe('a change in words', () => {
  it('says what REDIRECT changed: the destination address and port together', () => {
    expect(said(before, { ...before, dst: '127.0.0.1', dport: 15001 })).toBe(
      'dst 10.0.0.3:9080 → 127.0.0.1:15001',
    );
    expect(changeText({ field: 'mark', before: '0x0', after: '0x539' })).toBe('mark 0x0 → 0x539');
    expect(changesText([])).toBe('');
  });

  it('writes IPv6 endpoints in brackets, and ICMP without ports', () => {
    const v6 = packet({ family: 'ipv6', src: 'fd00::2', dst: 'fd00::3', dport: 80 });
    expect(said(v6, { ...v6, dst: '::1', dport: 15001 })).toBe('dst [fd00::3]:80 → [::1]:15001');
    const icmp = packet({ protocol: 'icmp', src: '10.0.0.2', dst: '10.0.0.3', sport: 0, dport: 0 });
    expect(said(icmp, { ...icmp, src: '10.0.0.9' })).toBe('src 10.0.0.2 → 10.0.0.9');
  });
});

describe('flowText and packetEnds', () => {
  it('write both ends, with ports where the protocol has them', () => {
    expect(flowText(before)).toBe('10.0.0.2:40000 → 10.0.0.3:9080');
    expect(packetEnds(before)).toBe('10.0.0.2:40000 → 10.0.0.3:9080');
    const icmp6 = packet({ family: 'ipv6', protocol: 'icmpv6', src: 'fd00::2', dst: 'fd00::3' });
    expect(packetEnds(icmp6)).toBe('fd00::2 → fd00::3');
  });
});

describe('tupleText', () => {
  it('writes a tuple as conntrack -L does', () => {
    const t = {
      protocol: 'tcp',
      src: '10.0.0.2',
      dst: '10.0.0.3',
      sport: 40000,
      dport: 9080,
    } as const;
    expect(tupleText(t)).toBe('tcp src=10.0.0.2 dst=10.0.0.3 sport=40000 dport=9080');
  });
});
