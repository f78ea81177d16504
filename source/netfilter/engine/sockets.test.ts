import { describe, expect, it } from 'vitest';
import { isWildcard, type SocketEntry, SocketTable, socketView } from './sockets.js';

type Spec = Partial<Omit<SocketEntry, 'id'>>;

/** A table with envoy's sockets, each one changed by its spec. */
function table(...specs: Spec[]) {
  const t = new SocketTable();
  const added = specs.map((s) =>
    t.add({
      process: 'envoy',
      uid: 1337,
      gid: 1337,
      protocol: 'tcp',
      local: { address: '0.0.0.0', port: 15001 },
      listening: true,
      transparent: false,
      mark: 0,
      ...s,
    }),
  );
  return { t, added };
}

describe('SocketTable.lookup, as the socket demux finds the receiver (__inet_lookup)', () => {
  it('finds an established socket for the exact 4-tuple before any listener', () => {
    const { t, added } = table(
      { local: { address: '10.0.0.2', port: 9080 } },
      {
        local: { address: '10.0.0.2', port: 9080 },
        remote: { address: '10.0.0.7', port: 40000 },
        listening: false,
      },
    );
    expect(t.lookup('tcp', '10.0.0.2', 9080, '10.0.0.7', 40000)).toBe(added[1]);
    expect(t.lookup('tcp', '10.0.0.2', 9080, '10.0.0.7', 40001)).toBe(added[0]);
  });

  it('prefers a listener bound to the address over a wildcard one', () => {
    const { t, added } = table(
      { local: { address: '0.0.0.0', port: 80 } },
      { local: { address: '127.0.0.1', port: 80 } },
    );
    expect(t.listener('tcp', '127.0.0.1', 80)).toBe(added[1]);
    expect(t.listener('tcp', '10.0.0.2', 80)).toBe(added[0]);
  });

  it('lets a `::` listener take IPv4 too (a dual-stack socket), and `::` only IPv6 ones', () => {
    const { t, added } = table({ local: { address: '::', port: 15006 } });
    expect(t.listener('tcp', '10.0.0.2', 15006)).toBe(added[0]);
    expect(t.listener('tcp', 'fd00::2', 15006)).toBe(added[0]);
    const v4 = table({ local: { address: '0.0.0.0', port: 15006 } });
    expect(v4.t.listener('tcp', 'fd00::2', 15006)).toBeUndefined();
  });

  it('with nowildcard, finds only a listener bound to the address itself', () => {
    const { t } = table({ local: { address: '0.0.0.0', port: 15006 } });
    expect(t.listener('tcp', '10.0.0.2', 15006, true)).toBeUndefined();
  });

  it('keeps protocols and ports apart', () => {
    const { t } = table({ protocol: 'udp', local: { address: '0.0.0.0', port: 53 } });
    expect(t.lookup('tcp', '10.0.0.2', 53, '10.0.0.7', 40000)).toBeUndefined();
    expect(t.lookup('udp', '10.0.0.2', 54, '10.0.0.7', 40000)).toBeUndefined();
    expect(t.lookup('udp', '10.0.0.2', 53, '10.0.0.7', 40000)?.protocol).toBe('udp');
  });

  it('forgets a removed socket and its port', () => {
    const { t, added } = table({ local: { address: '0.0.0.0', port: 15001 } });
    expect(t.used(15001)).toBe(true);
    expect(added[0]?.id).toBe(1);
    t.remove(added[0] as SocketEntry);
    expect(t.used(15001)).toBe(false);
    expect(t.listener('tcp', '10.0.0.2', 15001)).toBeUndefined();
  });
});

describe('socketView', () => {
  it("shows the socket's owner, IP_TRANSPARENT and whether it is bound to a wildcard", () => {
    const { added } = table(
      { uid: 1000, gid: 2000, transparent: true },
      { local: { address: '10.0.0.2', port: 1 } },
    );
    expect(socketView(added[0] as SocketEntry)).toEqual({
      uid: 1000,
      gid: 2000,
      supplementaryGids: [],
      transparent: true,
      wildcard: true,
    });
    expect(socketView(added[1] as SocketEntry).wildcard).toBe(false);
    expect(['0.0.0.0', '::', '127.0.0.1', '::1'].map(isWildcard)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
