/**
 * The built-in scenario as a snapshot file would hold it, rules as text: what `nfdb save` starts
 * from when no scenario file is given. Derived from bookinfoScenario, so the two cannot differ.
 */
import { SNAPSHOT_VERSION } from '../snapshot-schema.js';
import { bookinfoScenario } from './bookinfo.js';
import { ISTIO_SIDECAR_RULES } from './istio-sidecar-rules.js';

/** Plain JSON for the snapshot schema to read (and fill the defaults of). */
export function bookinfoSnapshotJson(): unknown {
  const { world, traffic } = bookinfoScenario();
  return structuredClone({
    version: SNAPSHOT_VERSION,
    name: world.name,
    settings: world.settings,
    hosts: world.hosts.map((h) => ({
      name: h.name,
      interfaces: h.interfaces,
      routes: h.routes,
      ipRules: h.ipRules,
      ...(h.rulesets.length > 0 ? { rules: ISTIO_SIDECAR_RULES } : {}),
      processes: h.processes,
      forwarding: h.forwarding,
    })),
    traffic,
  });
}
