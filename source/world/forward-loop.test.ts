/**
 * Packets that hosts forward to each other: the TTL ends them, as in the kernel, and the trace
 * names the hosts of the loop (before the TTL, the engine recursed until the stack overflowed).
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../io/read-scenario.js';
import type { Trace } from '../model/index.js';
import { simulate } from './simulate.js';

function run(scenario: unknown): Trace {
  const loaded = loadScenarioText(JSON.stringify(scenario), 'loop.json');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return simulate(loaded.scenario);
}

const client = {
  name: 'client',
  interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'], link: 'a' }],
  routes: [{ destination: 'default', via: '10.0.0.254', dev: 'eth0' }],
  processes: [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
};
const router = (name: string, ifaces: [string, string][], via: string, dev: string) => ({
  name,
  forwarding: true,
  interfaces: ifaces.map(([address, link], i) => ({ name: `eth${i}`, addresses: [address], link })),
  routes: [{ destination: 'default', via, dev }],
});
const traffic = (address: string) => [
  { fromHost: 'client', process: 'curl', to: { address, port: 80 }, protocol: 'tcp' },
];

describe('a forwarding loop', () => {
  it('two routers whose default routes point at each other: dropped when the TTL runs out', () => {
    const trace = run({
      hosts: [
        client,
        router(
          'r1',
          [
            ['10.0.0.254/24', 'a'],
            ['10.1.0.1/24', 'b'],
          ],
          '10.1.0.2',
          'eth1',
        ),
        router('r2', [['10.1.0.2/24', 'b']], '10.1.0.1', 'eth0'),
      ],
      traffic: traffic('192.0.2.1'),
    });
    const last = trace.steps[trace.steps.length - 1];
    expect(last).toMatchObject({ kind: 'fate', fate: 'dropped', host: 'r2' });
    if (last?.kind !== 'fate' || last.reason.kind !== 'ttl-exceeded') throw new Error('no TTL');
    // TTL 64 from the client: 63 forwards, and the router that finds it at 1 drops it.
    expect(last.reason.hops).toHaveLength(64);
    expect(last.packet.ttl).toBe(1);
    expect(trace.findings).toEqual([
      { kind: 'forward-loop', host: 'r2', hops: ['r1', 'r2'], forwards: 63, steps: [last.index] },
    ]);
  });

  it('a DNAT ping-pong between two hosts ends the same way', () => {
    const dnat = (to: string) =>
      `*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 192.0.2.1 -j DNAT --to-destination ${to}\nCOMMIT\n`;
    const trace = run({
      hosts: [
        client,
        {
          ...router(
            'r1',
            [
              ['10.0.0.254/24', 'a'],
              ['10.1.0.1/24', 'b'],
            ],
            '10.1.0.2',
            'eth1',
          ),
          rules: dnat('192.0.2.1'),
        },
        { ...router('r2', [['10.1.0.2/24', 'b']], '10.1.0.1', 'eth0'), rules: dnat('192.0.2.1') },
      ],
      traffic: traffic('192.0.2.1'),
    });
    expect(trace.findings.map((f) => f.kind)).toEqual(['forward-loop']);
  });

  it('a packet forwarded once keeps going, one hop less', () => {
    const trace = run({
      hosts: [
        client,
        router(
          'r1',
          [
            ['10.0.0.254/24', 'a'],
            ['10.1.0.1/24', 'b'],
          ],
          '10.1.0.2',
          'eth1',
        ),
        {
          name: 'server',
          interfaces: [{ name: 'eth0', addresses: ['10.1.0.2/24'], link: 'b' }],
          routes: [{ destination: 'default', via: '10.1.0.1', dev: 'eth0' }],
          processes: [
            {
              kind: 'server',
              name: 'web',
              uid: 1,
              gid: 1,
              listen: [{ address: '0.0.0.0', port: 80, protocol: 'tcp' }],
            },
          ],
        },
      ],
      traffic: traffic('10.1.0.2'),
    });
    expect(trace.findings).toEqual([]);
    const socket = trace.steps.find((s) => s.kind === 'socket' && s.host === 'server');
    expect(socket?.packet.ttl).toBe(63);
  });
});
