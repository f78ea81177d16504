/**
 * The traffic the UI added to a loaded scenario (`T`), in the snapshot's words: the items, the
 * listeners they needed, and the server hosts made for destinations no host had. The snapshot's
 * other host fields (rules as the user wrote them) stay as loaded.
 */
import type { Scenario } from '../model/index.js';
import { type HostFile, hostFileOf } from './host-file.js';
import type { SnapshotFile } from './snapshot-schema.js';

/** `snapshot` with the hosts' processes, new hosts and traffic of `scenario`. */
export function withScenarioTraffic(snapshot: SnapshotFile, scenario: Scenario): SnapshotFile {
  const byName = new Map(scenario.world.hosts.map((h) => [h.name, h]));
  const kept = snapshot.hosts.map((h) => {
    const now = byName.get(h.name);
    return now ? { ...h, processes: [...now.processes] as HostFile['processes'] } : h;
  });
  const names = new Set(snapshot.hosts.map((h) => h.name));
  const added = scenario.world.hosts.filter((h) => !names.has(h.name)).map(hostFileOf);
  return { ...snapshot, hosts: [...kept, ...added], traffic: [...scenario.traffic] };
}
