/**
 * A host of the model as a scenario file writes it, its rules left for the caller: what a live
 * capture and the traffic the UI adds (a server host made for it) are saved as.
 */
import type { HostConfig } from '../model/index.js';
import type { ScenarioFile } from './scenario-schema.js';

export type HostFile = ScenarioFile['hosts'][number];

export function hostFileOf(host: HostConfig): HostFile {
  const { rulesets: _rules, nft: _nft, iptablesLoadedLast: _order, ...rest } = host;
  return {
    ...rest,
    interfaces: host.interfaces.map((i) => ({ ...i, addresses: [...i.addresses] })),
    routes: [...host.routes],
    ipRules: [...host.ipRules],
    processes: [...host.processes] as HostFile['processes'],
  } as HostFile;
}
