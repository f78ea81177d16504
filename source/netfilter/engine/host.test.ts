import { describe, expect, it } from 'vitest';
import type { HostConfig } from '../../model/index.js';
import { ephemeralPort, isLocalAddress, makeHost, primaryAddress } from './host.js';

const config: HostConfig = {
  name: 'pod',
  interfaces: [
    { name: 'eth0', addresses: ['10.0.0.2/24', '10.0.0.20/24', 'fd00::2/64'], link: 'pods' },
  ],
  routes: [{ destination: 'default', via: '10.0.0.1', dev: 'eth0' }],
  ipRules: [],
  rulesets: [],
  processes: [],
  forwarding: false,
};

describe('makeHost', () => {
  it('starts with empty conntrack and sockets, and lo given its addresses', () => {
    const host = makeHost(config);
    expect(host.name).toBe('pod');
    expect(host.config).toBe(config);
    expect(host.addresses.map((a) => `${a.iface} ${a.address}/${a.prefix}`)).toEqual([
      'eth0 10.0.0.2/24',
      'eth0 10.0.0.20/24',
      'eth0 fd00::2/64',
      'lo 127.0.0.1/8',
      'lo ::1/128',
    ]);
    expect([...host.routing.keys()]).toEqual(['ipv4', 'ipv6']);
    expect(host.rulesets.size).toBe(0);
    expect(host.sockets.used(40000)).toBe(false);
  });
});

describe('primaryAddress', () => {
  it("is the interface's first address of the family: where REDIRECT in PREROUTING sends", () => {
    // nf_nat_redirect_ipv4 takes the first address of the incoming device (ifa_list).
    const host = makeHost(config);
    expect(primaryAddress(host, 'eth0', 'ipv4')).toBe('10.0.0.2');
    expect(primaryAddress(host, 'eth0', 'ipv6')).toBe('fd00::2');
    expect(primaryAddress(host, 'eth1', 'ipv4')).toBeUndefined();
  });
});

describe('isLocalAddress', () => {
  it('knows the host addresses and all of 127.0.0.0/8 (the local route of lo)', () => {
    const host = makeHost(config);
    expect(
      ['10.0.0.20', '127.0.0.6', '::1', 'fd00::2', '10.0.0.3', 'fd00::3'].map((a) =>
        isLocalAddress(host, a),
      ),
    ).toEqual([true, true, true, true, false, false]);
  });
});

describe("lo's own addresses beside others on lo (Istio's ::6, 127.0.0.6)", () => {
  const sidecar = makeHost({
    ...config,
    interfaces: [...config.interfaces, { name: 'lo', addresses: ['127.0.0.6/32', '::6/128'] }],
  });

  it('keeps ::1 and 127.0.0.0/8 local: -m addrtype --dst-type LOCAL matches them', () => {
    expect(
      ['::1', '::6', '127.0.0.1', '127.0.0.6', '127.1.2.3', '::2'].map((a) =>
        isLocalAddress(sidecar, a),
      ),
    ).toEqual([true, true, true, true, true, false]);
  });

  it("keeps 127.0.0.1 lo's primary IPv4 address (the first on its list)", () => {
    expect(primaryAddress(sidecar, 'lo', 'ipv4')).toBe('127.0.0.1');
  });
});

describe('ephemeralPort', () => {
  it('counts up from 40000, skipping ports a socket holds', () => {
    const host = makeHost(config);
    host.sockets.add({
      process: 'app',
      uid: 0,
      gid: 0,
      protocol: 'tcp',
      local: { address: '0.0.0.0', port: 40001 },
      listening: true,
      transparent: false,
      mark: 0,
    });
    expect([ephemeralPort(host), ephemeralPort(host), ephemeralPort(host)]).toEqual([
      40000, 40002, 40003,
    ]);
  });
});
