/**
 * `-m socket` as the engine runs it: the lookup of sockets.ts behind the match's findSocket,
 * seen from outside through simulate() and the rule counters it leaves (what iptables-save -c
 * would show), so that it does not depend on how the hooks are written.
 */
import { describe, expect, it } from 'vitest';
import type { HostConfig, Scenario } from '../../model/index.js';
import { parseRules, toIptablesSave } from '../../rules/index.js';
import { deltasUpTo, rulesetAt } from '../../trace/counters.js';
import { simulate } from '../../world/simulate.js';

const host = (name: string, address: string, rules: string, listen: string): HostConfig => ({
  name,
  interfaces: [{ name: 'eth0', addresses: [`${address}/24`], link: 'lan' }],
  routes: [],
  ipRules: [],
  rulesets: rules ? parseRules(rules, { file: `${name}.rules` }).rulesets : [],
  processes: listen
    ? [
        {
          kind: 'server',
          name: 'web',
          uid: 0,
          gid: 0,
          listen: [{ address: listen, port: 8080, protocol: 'tcp' }],
        },
      ]
    : [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
  forwarding: false,
});

/** The server's mangle table after one connection, as iptables-save -c prints it. */
function serverCounters(listen: string): string {
  const rules = [
    '*mangle',
    '-A PREROUTING -p tcp --dport 8080 -j MARK --set-mark 0x1',
    '-A PREROUTING -p tcp --dport 8080 -m socket --nowildcard -j MARK --set-mark 0x2',
    '-A PREROUTING -p tcp --dport 8080 -m socket -j MARK --set-mark 0x3',
    'COMMIT',
    '',
  ].join('\n');
  const scenario: Scenario = {
    world: {
      name: 'socket match',
      settings: { seed: 1, unknownMatch: 'stop', loopLimit: 3 },
      hosts: [host('client', '10.0.0.2', '', ''), host('server', '10.0.0.3', rules, listen)],
    },
    traffic: [
      {
        fromHost: 'client',
        process: 'curl',
        to: { address: '10.0.0.3', port: 8080 },
        protocol: 'tcp',
        payload: 10,
      },
    ],
  };
  const trace = simulate(scenario);
  const server = scenario.world.hosts[1]?.rulesets[0];
  if (!server) throw new Error('the server has no ruleset');
  const saved = toIptablesSave(rulesetAt(server, 'server', deltasUpTo(trace)), { counters: true });
  return saved
    .split('\n')
    .filter((l) => l.includes('-A PREROUTING'))
    .join('\n');
}

/** The packet count of each PREROUTING rule, in order. */
const packets = (saved: string) => saved.split('\n').map((l) => Number(/^\[(\d+):/.exec(l)?.[1]));

describe('-m socket in PREROUTING (xt_socket, socket_mt4_v1_v2_v3)', () => {
  it('with a listener bound to the address: every packet to it matches, --nowildcard or not', () => {
    const [all, nowildcard, plain] = packets(serverCounters('10.0.0.3'));
    expect(all).toBeGreaterThan(0);
    expect([nowildcard, plain]).toEqual([all, all]);
  });

  it('with a listener on 0.0.0.0, plain -m socket skips it for the SYN', () => {
    // xt_socket ignores a socket whose inet_rcv_saddr is INADDR_ANY unless XT_SOCKET_NOWILDCARD
    // is set. The SYN finds only the listener; later packets find the connection's own socket,
    // bound to 10.0.0.3, which every form matches.
    const [all, , plain] = packets(serverCounters('0.0.0.0'));
    expect(all).toBeGreaterThan(1);
    expect(plain).toBe((all as number) - 1);
  });
});

describe('-m socket --nowildcard with a listener on 0.0.0.0', () => {
  // --nowildcard is what makes xt_socket take a socket bound to INADDR_ANY (socket_match:
  // `wildcard = !(info->flags & XT_SOCKET_NOWILDCARD) && … inet_rcv_saddr == 0`), so every
  // packet matches, the SYN too. The engine's lookup once took --nowildcard for "leave out
  // wildcard listeners", and the SYN found no socket at all.
  it('matches every packet, the SYN included', () => {
    const [all, nowildcard] = packets(serverCounters('0.0.0.0'));
    expect(nowildcard).toBe(all);
  });
});
