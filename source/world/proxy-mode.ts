/** A world edit: what every envoy does with what it is sent (`--proxy-mode`). */
import type { ProxyMode, Scenario } from '../model/index.js';

/**
 * Every envoy of the world terminates (as envoy does), or rewrites (nfdb's hypothesis). The
 * world's name says so in rewrite mode, since the UI's title and `nfdb run`'s first line show it.
 */
export function withProxyMode(scenario: Scenario, mode: ProxyMode): Scenario {
  const hosts = scenario.world.hosts.map((h) => ({
    ...h,
    processes: h.processes.map((p) => (p.kind === 'envoy' ? { ...p, mode } : p)),
  }));
  const name = mode === 'rewrite' ? `${scenario.world.name} ${REWRITE_MARK}` : scenario.world.name;
  return { ...scenario, world: { ...scenario.world, name, hosts } };
}

/** What the title of a world whose envoys rewrite says. */
export const REWRITE_MARK =
  "(if envoy rewrote packets: nfdb's hypothesis, no kernel to compare with)";
