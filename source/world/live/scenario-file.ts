/**
 * A live capture as a scenario file (the format source/world/scenario-schema.ts reads), so that
 * it can be copied out of a pod and debugged anywhere with `nfdb run FILE` or `nfdb FILE`. The
 * rules stay the text the tools printed, counters included, inline in the captured host.
 */
import type { HostConfig } from '../../model/index.js';
import { toNftScript } from '../../rules/nft/script-text.js';
import { type HostFile, hostFileOf } from '../host-file.js';
import type { ScenarioFile } from '../scenario-schema.js';
import type { LiveWorld } from './build.js';

function hostFile(host: HostConfig, live: LiveWorld): HostFile {
  const { nft, iptablesLoadedLast } = host;
  const captured = host.rulesets.length > 0;
  // Native nft tables are kept as the script `nft -f` loads: as the rules of a host that has
  // nothing else, else beside iptables' rules.
  const native = nft ? toNftScript(nft) : undefined;
  const v4 = captured ? live.rules.ipv4?.text : native;
  const beside = captured ? native : undefined;
  const v6 = captured ? live.rules.ipv6?.text : undefined;
  return {
    ...hostFileOf(host),
    ...(v4 === undefined ? {} : { rules: v4 }),
    ...(v6 === undefined ? {} : { rules6: v6 }),
    ...(beside === undefined ? {} : { nft: beside }),
    ...(beside && iptablesLoadedLast ? { iptablesLoadedLast: true } : {}),
  };
}

export function liveScenarioFile(live: LiveWorld): ScenarioFile {
  const { world, traffic } = live.scenario;
  const backend = live.rules.ipv4?.backend ?? live.rules.ipv6?.backend;
  return {
    name: world.name,
    settings: { ...world.settings, ...(backend ? { backend } : {}) },
    hosts: world.hosts.map((h) => hostFile(h, live)),
    traffic: traffic.map((t) => ({ ...t })) as ScenarioFile['traffic'],
  };
}
