import { describe, expect, it } from 'vitest';
import { packet } from '../test-helpers.js';
import { NO_CHANGES, packetChanges } from './changes.js';

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
  });

  it('lists source, destination, mark (in hex) and out interface, in that order', () => {
    const after = {
      ...before,
      src: '10.0.0.254',
      dport: 8080,
      mark: 0x539,
      outInterface: 'eth1',
    };
    expect(packetChanges(before, after)).toEqual([
      { field: 'src', before: '10.0.0.2:40000', after: '10.0.0.254:40000' },
      { field: 'dst', before: '10.0.0.3:9080', after: '10.0.0.3:8080' },
      { field: 'mark', before: '0x0', after: '0x539' },
      { field: 'out', before: '-', after: 'eth1' },
    ]);
  });
});
