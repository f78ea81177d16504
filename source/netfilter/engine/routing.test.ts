import { describe, expect, it } from 'vitest';
import type { HostConfig } from '../../model/index.js';
import { buildRouting, hostAddresses, isLoopback, localRoute, lookupRoute } from './routing.js';

const pod: HostConfig = {
  name: 'pod',
  interfaces: [{ name: 'eth0', addresses: ['10.0.0.2/24'], link: 'pods' }],
  routes: [
    { destination: 'default', via: '10.0.0.1', dev: 'eth0' },
    { destination: 'default', dev: 'lo', type: 'local', table: 133 },
  ],
  ipRules: [{ priority: 32764, fwmark: '0x539/0xffffffff', table: 133 }],
  rulesets: [],
  processes: [],
  forwarding: false,
};

describe('the routing decision', () => {
  const rt = buildRouting(pod, 'ipv4');

  it('finds the host own addresses and 127.0.0.0/8 in the local table first', () => {
    expect(lookupRoute(rt, { dst: '10.0.0.2', mark: 0 }).route).toMatchObject({
      type: 'local',
      dev: 'lo',
    });
    expect(lookupRoute(rt, { dst: '127.0.0.6', mark: 0 }).route).toMatchObject({
      type: 'local',
      src: '127.0.0.1',
    });
  });

  it('uses the connected subnet, then the default route', () => {
    expect(lookupRoute(rt, { dst: '10.0.0.9', mark: 0 }).route).toMatchObject({
      dev: 'eth0',
      src: '10.0.0.2',
    });
    expect(lookupRoute(rt, { dst: '8.8.8.8', mark: 0 }).route).toMatchObject({
      dev: 'eth0',
      via: '10.0.0.1',
    });
  });

  it('sends a TPROXY-marked packet to table 133, where everything is local', () => {
    const answer = lookupRoute(rt, { dst: '8.8.8.8', mark: 0x539 });
    expect(answer.route).toMatchObject({ type: 'local', table: 133 });
    expect(answer.rule).toContain('fwmark 0x539');
  });
});

describe('the routing decision, further (fib_rules_lookup, then fib_table_lookup)', () => {
  const router: HostConfig = {
    name: 'router',
    interfaces: [
      { name: 'eth0', addresses: ['10.0.0.1/24', 'fd00::1/64'], link: 'a' },
      { name: 'eth1', addresses: ['192.168.1.1/24'], link: 'b' },
    ],
    routes: [
      { destination: '10.8.0.0/16', via: '192.168.1.254', dev: 'eth1' },
      { destination: '10.8.1.0/24', dev: 'eth0', type: 'blackhole' },
      { destination: 'default', via: '192.168.1.254', dev: 'eth1', table: 100 },
      { destination: '::/0', via: 'fd00::fe', dev: 'eth0' },
    ],
    ipRules: [
      { priority: 200, from: '10.0.0.0/24', table: 100 },
      { priority: 100, to: '172.16.0.0/12', table: 100 },
      { priority: 300, fwmark: '0x100/0xf00', table: 100 },
    ],
    rulesets: [],
    processes: [],
    forwarding: true,
  };
  const rt = buildRouting(router, 'ipv4');

  it('takes the longest prefix of the table, a type other than unicast included', () => {
    expect(lookupRoute(rt, { dst: '10.8.2.9', mark: 0 }).route).toMatchObject({
      type: 'unicast',
      dev: 'eth1',
      via: '192.168.1.254',
      text: '10.8.0.0/16 via 192.168.1.254 dev eth1',
    });
    expect(lookupRoute(rt, { dst: '10.8.1.9', mark: 0 }).route).toMatchObject({
      type: 'blackhole',
      text: 'blackhole 10.8.1.0/24 dev eth0',
    });
  });

  it('finds no route where no table has one, and says so', () => {
    expect(lookupRoute(rt, { dst: '8.8.8.8', mark: 0 })).toEqual({
      rule: 'no ip rule found a route',
    });
  });

  it('tries ip rules by priority: `to`, `from` (needs a source), and fwmark under its mask', () => {
    const to = lookupRoute(rt, { dst: '172.20.0.1', mark: 0 });
    expect(to.rule).toBe('100: from all to 172.16.0.0/12 lookup 100');
    expect(to.route?.table).toBe(100);
    expect(lookupRoute(rt, { dst: '8.8.8.8', src: '10.0.0.7', mark: 0 }).rule).toBe(
      '200: from 10.0.0.0/24 lookup 100',
    );
    expect(lookupRoute(rt, { dst: '8.8.8.8', src: '10.0.1.7', mark: 0 }).route).toBeUndefined();
    expect(lookupRoute(rt, { dst: '8.8.8.8', mark: 0x1ff }).rule).toBe(
      '300: from all fwmark 0x100/0xf00 lookup 100',
    );
    expect(lookupRoute(rt, { dst: '8.8.8.8', mark: 0x200 }).route).toBeUndefined();
  });

  it('answers from the local table before any other rule (priority 0)', () => {
    expect(lookupRoute(rt, { dst: '192.168.1.1', src: '10.0.0.7', mark: 0x100 })).toMatchObject({
      rule: '0: from all lookup local',
      route: {
        type: 'local',
        dev: 'lo',
        src: '192.168.1.1',
        text: 'local 192.168.1.1 dev lo table local',
      },
    });
    expect(lookupRoute(rt, { dst: '127.255.0.1', mark: 0 }).route?.text).toBe(
      'local 127.0.0.0/8 dev lo table local',
    );
  });

  it('keeps the families apart: IPv6 has its own connected, local and configured routes', () => {
    const v6 = buildRouting(router, 'ipv6');
    expect(lookupRoute(v6, { dst: 'fd00::9', mark: 0 }).route?.text).toBe(
      'fd00::/64 dev eth0 src fd00::1',
    );
    expect(lookupRoute(v6, { dst: '::1', mark: 0 }).route?.type).toBe('local');
    expect(lookupRoute(v6, { dst: '2001:db8::1', mark: 0 }).route).toMatchObject({
      via: 'fd00::fe',
      dev: 'eth0',
    });
    expect(lookupRoute(v6, { dst: '2001:db8::1', mark: 0 }).route?.text).not.toContain('192.168');
  });
});

describe("lo's addresses: 127.0.0.0/8 and ::1 stay whatever else lo has", () => {
  // What Istio's dual-stack setup leaves on lo; the kernel (ip addr show lo) lists
  // 127.0.0.1/8, 127.0.0.6/32, ::6/128, ::1/128.
  const sidecar: HostConfig = {
    ...pod,
    interfaces: [
      { name: 'eth0', addresses: ['10.0.0.2/24', 'fd00::2/64'], link: 'pods' },
      { name: 'lo', addresses: ['127.0.0.6/32', '::6/128'] },
    ],
  };

  it('keeps 127.0.0.1/8 first and ::1 after the global ::6, as the kernel lists them', () => {
    expect(
      hostAddresses(sidecar)
        .filter((a) => a.iface === 'lo')
        .map((a) => `${a.address}/${a.prefix}`),
    ).toEqual(['127.0.0.1/8', '127.0.0.6/32', '::6/128', '::1/128']);
  });

  it('does not give lo an address twice when the scenario lists it', () => {
    const listed: HostConfig = {
      ...pod,
      interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8', '::1/128', '::6/128'] }],
    };
    expect(hostAddresses(listed).map((a) => a.address)).toEqual(['127.0.0.1', '::1', '::6']);
  });

  it('routes ::1 and ::6 locally (a REDIRECT in OUTPUT goes to [::1])', () => {
    const v6 = buildRouting(sidecar, 'ipv6');
    expect(lookupRoute(v6, { dst: '::1', mark: 0 }).route).toMatchObject({
      type: 'local',
      src: '::1',
      text: 'local ::1 dev lo table local',
    });
    expect(lookupRoute(v6, { dst: '::6', mark: 0 }).route?.text).toBe(
      'local ::6 dev lo table local',
    );
  });

  it('keeps 127.0.0.0/8 local with 127.0.0.1 as its source, 127.0.0.6 its own', () => {
    // ip route show table local: local 127.0.0.0/8 ... src 127.0.0.1; local 127.0.0.6 ... src 127.0.0.6
    const v4 = buildRouting(sidecar, 'ipv4');
    expect(lookupRoute(v4, { dst: '127.0.0.1', mark: 0 }).route).toMatchObject({
      type: 'local',
      src: '127.0.0.1',
      text: 'local 127.0.0.0/8 dev lo table local',
    });
    expect(lookupRoute(v4, { dst: '127.0.0.5', mark: 0 }).route?.src).toBe('127.0.0.1');
    expect(lookupRoute(v4, { dst: '127.0.0.6', mark: 0 }).route).toMatchObject({
      src: '127.0.0.6',
      text: 'local 127.0.0.6 dev lo table local',
    });
  });

  it('answers localRoute from the local table only', () => {
    const v4 = buildRouting(pod, 'ipv4');
    expect(localRoute(v4, '127.9.9.9')?.src).toBe('127.0.0.1');
    expect(localRoute(v4, '10.0.0.2')?.type).toBe('local');
    // Table 133's `local default` routes marked packets; it makes no address the host's.
    expect(localRoute(v4, '8.8.8.8')).toBeUndefined();
  });
});

describe('isLoopback', () => {
  it('is all of 127.0.0.0/8 and ::1, whatever lo has besides', () => {
    expect(
      ['127.0.0.1', '127.255.0.9', '::1', '0:0::1', '::6', '128.0.0.1', '::ffff:127.0.0.1'].map(
        isLoopback,
      ),
    ).toEqual([true, true, true, true, false, false, false]);
  });
});
