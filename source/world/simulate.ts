/**
 * simulate(world, traffic): the pure entry point of the engine. Hosts get their sockets from
 * their processes, each traffic item becomes connections (a proxy may open more), and every
 * packet of every connection is followed through the stack. Deterministic: no clock, no I/O,
 * randomness only from the seed.
 */

import type { Scenario, Trace } from '../model/index.js';
import { RulesetCompiler } from '../netfilter/engine/compile.js';
import { type HostRuntime, makeHost } from '../netfilter/engine/host.js';
import { TraceRecorder } from '../netfilter/engine/recorder.js';
import { Stack } from '../netfilter/engine/stack.js';
import { Connections } from './connections.js';
import { counterBaseline } from './counter-baseline.js';

function listen(host: HostRuntime): void {
  for (const p of host.config.processes) {
    const common = { process: p.name, uid: p.uid, gid: p.gid, listening: true, mark: 0 };
    if (p.kind === 'server') {
      for (const l of p.listen)
        host.sockets.add({
          ...common,
          protocol: l.protocol,
          local: { address: l.address, port: l.port },
          transparent: false,
        });
    } else if (p.kind === 'envoy') {
      const transparent = p.tproxy !== undefined;
      // Dual stack when the host has IPv6 addresses: one '::' socket takes both families.
      const any = host.addresses.some((a) => a.family === 'ipv6' && a.iface !== 'lo')
        ? '::'
        : '0.0.0.0';
      for (const port of [p.inboundPort, p.outboundPort])
        host.sockets.add({
          ...common,
          protocol: 'tcp',
          local: { address: any, port },
          transparent,
        });
      for (const l of p.extraListen ?? [])
        host.sockets.add({
          ...common,
          protocol: l.protocol,
          local: { address: l.address, port: l.port },
          transparent,
        });
    } else if (p.kind === 'dns-proxy') {
      host.sockets.add({
        ...common,
        protocol: 'udp',
        local: { address: p.address, port: p.port },
        transparent: false,
      });
    }
  }
}

/**
 * Runs the scenario's traffic through its world. `compiler` keeps compiled rulesets between
 * calls (a UI that simulates again after an edit); by default each call compiles afresh.
 */
export function simulate(scenario: Scenario, compiler = new RulesetCompiler()): Trace {
  const { world, traffic } = scenario;
  const hosts = new Map(world.hosts.map((h) => [h.name, makeHost(h, compiler)]));
  for (const host of hosts.values()) listen(host);
  const rec = new TraceRecorder(world.name);
  const stack = new Stack(hosts, rec, world.settings);
  const connections = new Connections(hosts, stack, rec, world.settings);
  traffic.forEach((item, index) => {
    connections.run(item, index);
  });
  return rec.finish(
    world.hosts.map((h) => h.name),
    lazyBaseline(world.hosts),
  );
}

/*
 * Made outside simulate() on purpose: a closure there would share simulate's context, which
 * holds the run's connections, stack and recorder. The trace keeps this function in an accessor,
 * which V8 allocates in the old generation, so every step of every finished trace stayed alive
 * through the young collections until a full one: a third of the default scenario's time went
 * to garbage collection (16,763 packets/s against 39,166 before the baseline was lazy).
 */
function lazyBaseline(hosts: Scenario['world']['hosts']) {
  return () => counterBaseline(hosts);
}
