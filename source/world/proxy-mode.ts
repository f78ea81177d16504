/** A world edit: what every envoy does with what it is sent (`--proxy-mode`). */
import type { ProxyMode, Scenario } from '../model/index.js';

/** Every envoy of the world terminates (as envoy does), or rewrites (nfdb's hypothesis). */
export function withProxyMode(scenario: Scenario, mode: ProxyMode): Scenario {
  const hosts = scenario.world.hosts.map((h) => ({
    ...h,
    processes: h.processes.map((p) => (p.kind === 'envoy' ? { ...p, mode } : p)),
  }));
  return { ...scenario, world: { ...scenario.world, hosts } };
}
