import { describe, expect, it } from 'vitest';
import { parseAddresses, parseIpRules, parseRoutes, tableNumber } from './ip-json.js';

const ADDR = JSON.stringify([
  {
    ifname: 'lo',
    addr_info: [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host' },
      { family: 'inet6', local: '::6', prefixlen: 128, scope: 'host' },
    ],
  },
  {
    ifname: 'eth0',
    addr_info: [
      { family: 'inet', local: '10.0.0.2', prefixlen: 24, scope: 'global' },
      { family: 'inet6', local: 'fe80::c41b:edff:fed6:50b', prefixlen: 64, scope: 'link' },
    ],
  },
]);

describe('ip -j addr', () => {
  it('keeps what the kernel would not add itself: no link-local, no 127.0.0.1/8 on lo', () => {
    expect(parseAddresses(ADDR, 'pods')).toEqual([
      { name: 'lo', addresses: ['::6/128'] },
      { name: 'eth0', addresses: ['10.0.0.2/24'], link: 'pods' },
    ]);
  });

  it('reads nothing from what is not ip -j output', () => {
    expect(parseAddresses('Error: not json', 'pods')).toEqual([]);
  });
});

describe('ip -j route show table all', () => {
  it('keeps routes the engine does not derive, with tables and types', () => {
    const v4 = JSON.stringify([
      { dst: 'default', gateway: '10.0.0.1', dev: 'eth0', flags: [] },
      { dst: '10.0.0.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '10.0.0.2' },
      { type: 'local', dst: 'default', dev: 'lo', table: '133' },
      { type: 'local', dst: '10.0.0.2', dev: 'eth0', table: 'local', protocol: 'kernel' },
      { type: 'broadcast', dst: '10.0.0.255', dev: 'eth0', table: 'local' },
    ]);
    expect(parseRoutes(v4, 'ipv4')).toEqual([
      { destination: 'default', dev: 'eth0', via: '10.0.0.1' },
      { destination: 'default', dev: 'lo', type: 'local', table: 133 },
    ]);
    const v6 = JSON.stringify([
      { dst: 'default', dev: 'eth0', gateway: 'fe80::1' },
      { dst: 'fe80::/64', dev: 'eth0', metric: 256 },
      { type: 'multicast', dst: 'ff00::/8', dev: 'eth0', table: 'local' },
    ]);
    expect(parseRoutes(v6, 'ipv6')).toEqual([{ destination: '::/0', dev: 'eth0', via: 'fe80::1' }]);
  });

  it('knows the tables by name and number', () => {
    expect([
      tableNumber(undefined),
      tableNumber('main'),
      tableNumber('133'),
      tableNumber('mine'),
    ]).toEqual([254, 254, 133, undefined]);
  });
});

describe('ip -j rule', () => {
  it('keeps the mesh rules once, not the kernel defaults', () => {
    const rule = { priority: 32764, src: 'all', fwmark: '0x539', table: '133' };
    const v4 = JSON.stringify([
      { priority: 0, src: 'all', table: 'local' },
      rule,
      { priority: 32765, src: '10.1.0.0', srclen: 16, table: 'main' },
      { priority: 32766, src: 'all', table: 'main' },
      { priority: 32767, src: 'all', table: 'default' },
    ]);
    const v6 = JSON.stringify([{ priority: 0, src: 'all', table: 'local' }, rule]);
    expect(parseIpRules([v4, v6])).toEqual([
      { priority: 32764, table: 133, fwmark: '0x539' },
      { priority: 32765, table: 254, from: '10.1.0.0/16' },
    ]);
  });
});
