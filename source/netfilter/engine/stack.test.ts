/**
 * A packet's way through the stacks (Stack.send): routing, the hooks, the wire or the loopback,
 * the input or forward decision, and a socket. Two hosts on link `lan`: client 10.0.0.2 and
 * server 10.0.0.3, where `web` (uid 33) listens on port 80.
 */
import { describe, expect, it } from 'vitest';
import type { HostConfig, Packet, Step } from '../../model/index.js';
import { hostConfig, natText, packet, rulesetOf, saveText } from '../test-helpers.js';
import { makeHost } from './host.js';
import { TraceRecorder } from './recorder.js';
import { Stack } from './stack.js';

const SETTINGS = { seed: 1, unknownMatch: 'stop', loopLimit: 3 } as const;

const TO_SERVER = packet({ src: '10.0.0.2', dst: '10.0.0.3', sport: 40000, dport: 80 });

const SERVER = hostConfig({
  name: 'server',
  interfaces: [{ name: 'eth0', addresses: ['10.0.0.3/24'], link: 'lan' }],
});

/** Sends `p` from the client; returns the arrival and every step, with the hosts. */
function send(p: Packet, client: Partial<HostConfig> = {}, server: Partial<HostConfig> = {}) {
  const hosts = new Map(
    [hostConfig({ name: 'client', ...client }), { ...SERVER, ...server }].map((c) => {
      const host = makeHost(c);
      host.sockets.add({
        process: 'web',
        uid: 33,
        gid: 33,
        protocol: 'tcp',
        local: { address: '0.0.0.0', port: 80 },
        listening: true,
        transparent: false,
        mark: 0,
      });
      return [c.name, host] as const;
    }),
  );
  const rec = new TraceRecorder('stack');
  const stack = new Stack(hosts, rec, SETTINGS);
  const from = hosts.get('client');
  if (!from) throw new Error('no client');
  const arrival = stack.send(from, { packet: p, untracked: false, zone: 0 });
  return { arrival, steps: rec.finish([...hosts.keys()], []).steps };
}

/** `host kind` per step, with the routing event, the hook or the conntrack event. */
function path(steps: readonly Step[]): string[] {
  return steps.map((s) => {
    const what =
      s.kind === 'routing' || s.kind === 'conntrack'
        ? `${s.kind} ${s.event.kind}`
        : s.kind === 'hook'
          ? `hook ${s.hook}`
          : s.kind === 'wire'
            ? `wire ${s.via}`
            : s.kind;
    return `${s.host} ${what}`;
  });
}

/** A local packet's way out of the client, up to the wire or the loopback. */
const CLIENT_OUT = [
  'client routing output',
  'client hook OUTPUT',
  'client conntrack new',
  'client hook POSTROUTING',
  'client conntrack confirmed',
];

const fateOf = (steps: readonly Step[]) => {
  const last = steps.at(-1);
  return last?.kind === 'fate' ? [last.fate, last.reason] : last?.kind;
};

describe('a packet through the stacks', () => {
  it('goes out of the client, over the wire, into the server, and to its socket', () => {
    const { arrival, steps } = send({ ...TO_SERVER, mark: 5 });
    expect(path(steps)).toEqual([
      ...CLIENT_OUT,
      'client wire wire',
      'server hook PREROUTING',
      'server conntrack new',
      'server routing local',
      'server hook INPUT',
      'server conntrack confirmed',
      'server socket',
    ]);
    expect(steps.find((s) => s.kind === 'wire')).toMatchObject({
      link: { dev: 'eth0', toHost: 'server', toIface: 'eth0', nextHop: '10.0.0.3' },
    });
    expect(steps.at(-1)).toMatchObject({
      kind: 'socket',
      process: 'web',
      uid: 33,
      local: { address: '0.0.0.0', port: 80 },
      listening: true,
    });
    expect(arrival.kind).toBe('delivered');
    expect(arrival.host.name).toBe('server');
    // The skb crossing into another namespace comes in on eth0, without the sender's mark.
    expect(arrival.flight.packet.inInterface).toBe('eth0');
    expect(arrival.flight.packet.mark).toBe(0);
    expect(steps.find((s) => s.kind === 'wire')?.packet.mark).toBe(5);
  });

  it('turns around on lo for an address of its own, keeping its conntrack entry', () => {
    const { arrival, steps } = send({ ...TO_SERVER, dst: '10.0.0.2' });
    expect(path(steps)).toEqual([
      ...CLIENT_OUT,
      'client wire lo',
      'client hook PREROUTING',
      'client conntrack attached',
      'client routing local',
      'client hook INPUT',
      'client socket',
    ]);
    expect(arrival.kind).toBe('delivered');
    expect(arrival.flight.packet.inInterface).toBe('lo');
  });

  it('refuses a packet to a port nothing listens on', () => {
    const { arrival, steps } = send({ ...TO_SERVER, dport: 81 });
    expect(arrival.kind).toBe('refused');
    expect(fateOf(steps)).toEqual([
      'refused',
      { kind: 'nothing-listens', dst: '10.0.0.3', dport: 81, protocol: 'tcp' },
    ]);
  });
});

describe('where the stack ends a packet', () => {
  it('loses a packet with no route before OUTPUT', () => {
    const { arrival, steps } = send({ ...TO_SERVER, dst: '192.0.2.9' }, { routes: [] });
    expect(path(steps)).toEqual(['client routing no-route', 'client fate']);
    expect(arrival.kind).toBe('lost');
    expect(fateOf(steps)).toEqual(['lost', { kind: 'no-route', after: 'none' }]);
  });

  it('loses a packet whose next hop nobody on the link has', () => {
    // The default route goes via 10.0.0.1, and no host on `lan` has it.
    const { steps } = send({ ...TO_SERVER, dst: '192.0.2.9' });
    expect(fateOf(steps)).toEqual([
      'lost',
      { kind: 'no-neighbour', dev: 'eth0', nextHop: '10.0.0.1' },
    ]);
  });

  it('drops at a DROP policy with table-drop', () => {
    const rules = rulesetOf(
      saveText('filter', ':INPUT DROP [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'),
    );
    const { arrival, steps } = send(TO_SERVER, {}, { rulesets: [rules] });
    expect(arrival.kind).toBe('dropped');
    expect(arrival.host.name).toBe('server');
    expect(fateOf(steps)).toEqual([
      'dropped',
      { kind: 'table-drop', table: { family: 'ipv4', name: 'filter' }, hook: 'INPUT' },
    ]);
  });

  it('drops a packet for 127.x that came in on eth0 as a martian', () => {
    // ip_route_input_slow: a loopback destination on another device is a martian
    // (route_localnet off). Here the server DNATs to 127.0.0.1 in PREROUTING.
    const nat = rulesetOf(natText('-A PREROUTING -p tcp -j DNAT --to-destination 127.0.0.1:80'));
    const { arrival, steps } = send(TO_SERVER, {}, { rulesets: [nat] });
    expect(arrival.kind).toBe('dropped');
    expect(fateOf(steps)).toEqual([
      'dropped',
      { kind: 'martian', dst: '127.0.0.1', iface: 'eth0' },
    ]);
  });

  it('drops a packet for ::1 that came in on eth0: only lo may receive it', () => {
    // IPv6 has no route_localnet: after a DNAT to [::1] in PREROUTING the input route lookup
    // fails (the kernel counts Ip6InNoRoutes), where a REDIRECT would have used eth0's address.
    const v6 = (a: string) => [{ name: 'eth0', addresses: [a], link: 'lan' }];
    const nat = rulesetOf(
      natText('-A PREROUTING -p tcp -j DNAT --to-destination [::1]:80'),
      'ipv6',
    );
    const p = { ...TO_SERVER, family: 'ipv6', src: 'fd00::2', dst: 'fd00::3' } as const;
    const { arrival, steps } = send(
      p,
      { interfaces: v6('fd00::2/64') },
      { interfaces: v6('fd00::3/64'), rulesets: [nat] },
    );
    expect(arrival.kind).toBe('dropped');
    expect(fateOf(steps)).toEqual(['dropped', { kind: 'martian', dst: '::1', iface: 'eth0' }]);
  });

  describe('a packet for another host, sent to the server as its gateway', () => {
    const viaServer = { routes: [{ destination: '192.0.2.0/24', via: '10.0.0.3', dev: 'eth0' }] };
    const away = { ...TO_SERVER, dst: '192.0.2.9' };

    it('is dropped when the server does not forward', () => {
      // ip_route_input_slow: with forwarding off, a non-local destination is not routed.
      const { arrival, steps } = send(away, viaServer);
      expect(arrival.host.name).toBe('server');
      expect(fateOf(steps)).toEqual(['dropped', { kind: 'not-forwarding', dst: '192.0.2.9' }]);
    });

    it('goes through FORWARD and POSTROUTING when it does', () => {
      const { steps } = send(away, viaServer, { forwarding: true });
      const server = steps.filter((s) => s.host === 'server');
      expect(path(server)).toEqual([
        'server hook PREROUTING',
        'server conntrack new',
        'server routing forward',
        'server hook FORWARD',
        'server hook POSTROUTING',
        'server conntrack confirmed',
        'server fate',
      ]);
      // The server has no route to 192.0.2.0/24 but its default, via 10.0.0.1: nobody has it.
      expect(fateOf(steps)).toEqual([
        'lost',
        { kind: 'no-neighbour', dev: 'eth0', nextHop: '10.0.0.1' },
      ]);
    });
  });
});
