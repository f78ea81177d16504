import { describe, expect, it } from 'vitest';
import { packet } from '../test-helpers.js';
import {
  changesText,
  changeText,
  flowText,
  NO_CHANGES,
  packetChanges,
  packetEnds,
} from './changes.js';

const before = packet({ src: '10.0.0.2', sport: 40000, dst: '10.0.0.3', dport: 9080 });

describe('packetChanges', () => {
  it('is empty for the same packet, and for an equal copy', () => {
    expect(packetChanges(before, before)).toEqual([]);
    expect(packetChanges(before, { ...before })).toEqual([]);
    expect(NO_CHANGES).toEqual([]);
    expect(Object.isFrozen(NO_CHANGES)).toBe(true);
  });

  it('says what REDIRECT changed: the destination address and port together', () => {
    const after = { ...before, dst: '127.0.0.1', dport: 15001 };
    expect(packetChanges(before, after)).toEqual([
      { field: 'dst', before: '10.0.0.3:9080', after: '127.0.0.1:15001' },
    ]);
    expect(changesText(before, after)).toBe('dst 10.0.0.3:9080 → 127.0.0.1:15001');
  });

  it('lists source, destination, mark (in hex) and out interface, in that order', () => {
    const after = {
      ...before,
      src: '10.0.0.254',
      dport: 8080,
      mark: 0x539,
      outInterface: 'eth1',
    };
    expect(packetChanges(before, after).map(changeText)).toEqual([
      'src 10.0.0.2:40000 → 10.0.0.254:40000',
      'dst 10.0.0.3:9080 → 10.0.0.3:8080',
      'mark 0x0 → 0x539',
      'out - → eth1',
    ]);
  });

  it('writes IPv6 endpoints in brackets, and ICMP without ports', () => {
    const v6 = packet({ family: 'ipv6', src: 'fd00::2', dst: 'fd00::3', dport: 80 });
    expect(changesText(v6, { ...v6, dst: '::1', dport: 15001 })).toBe(
      'dst [fd00::3]:80 → [::1]:15001',
    );
    const icmp = packet({ protocol: 'icmp', src: '10.0.0.2', dst: '10.0.0.3', sport: 0, dport: 0 });
    expect(changesText(icmp, { ...icmp, src: '10.0.0.9' })).toBe('src 10.0.0.2 → 10.0.0.9');
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
