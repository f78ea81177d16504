/**
 * The kernel's answer on what-if rulesets (issue 11): the sidecar scenarios edited with nfdb's
 * own edits (the same parseEdit and applyEdit `nfdb run --edit` uses) and world edits (`--set`),
 * built in network namespaces and compared with nfdb's run of the same edited scenario, path
 * by path and counter by counter. The rulesets the kernel loads are the edited ones, written out
 * by toIptablesSave, so the edits themselves are what is checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../source/io/read-snapshot.js';
import type { Scenario } from '../../source/model/index.js';
import { parseEdit } from '../../source/rules/edits/index.js';
import { applySet, parseSet } from '../../source/world/set-path.js';
import { simulate } from '../../source/world/simulate.js';
import { editScenario } from '../../source/world/what-if.js';
import { expectKernelAgrees } from './differential.js';
import { kernelMissing } from './missing.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');
const missing = kernelMissing();

function load(name: string): Scenario {
  const file = join(SNAPSHOTS, name);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

/** The scenario with `--set` values, then `--edit`s of the pod's rules. */
function whatIf(name: string, edits: readonly string[], sets: readonly string[] = []): Scenario {
  let scenario = load(name);
  for (const text of sets) {
    const parsed = parseSet(text);
    const done = parsed.ok ? applySet(scenario, parsed.set) : parsed;
    if (!done.ok) throw new Error(done.message);
    scenario = done.scenario;
  }
  const hostEdits = edits.map((text) => {
    const parsed = parseEdit(text, 'ipv4');
    if (!parsed.ok) throw new Error(`${text}: ${JSON.stringify(parsed.diagnostics)}`);
    return { host: 'pod', edit: parsed.edit };
  });
  const edited = editScenario(scenario, hostEdits);
  if (!edited.ok) throw new Error(edited.message);
  return edited.scenario;
}

const cases: [string, () => Scenario, (s: Scenario) => void][] = [
  [
    'outbound without the uid and gid RETURNs: envoy loops through 15001',
    () =>
      whatIf('sidecar-outbound.json', [
        '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
        '-t nat -D ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN',
      ]),
    (s) => expect(simulate(s).findings.map((f) => f.kind)).toContain('loop'),
  ],
  [
    'inbound without the 127.0.0.6 RETURN',
    () =>
      whatIf('sidecar-inbound.json', ['-t nat -D ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN']),
    (s) => expect(simulate(s).connections.length).toBeGreaterThan(1),
  ],
  [
    'inbound with port 9080 excluded: the app gets the connection without envoy',
    () =>
      whatIf('sidecar-inbound.json', ['-t nat -I ISTIO_INBOUND 1 -p tcp --dport 9080 -j RETURN']),
    (s) => expect(simulate(s).connections).toHaveLength(1),
  ],
  [
    'outbound with envoy as uid 1000: the gid RETURN still lets it out',
    () => whatIf('sidecar-outbound.json', [], ['hosts.pod.processes.envoy.uid=1000']),
    (s) => expect(simulate(s).findings.map((f) => f.kind)).not.toContain('loop'),
  ],
  [
    'outbound with envoy as uid and gid 1000: it loops, nothing returns its packets',
    () =>
      whatIf(
        'sidecar-outbound.json',
        [],
        ['hosts.pod.processes.envoy.uid=1000', 'hosts.pod.processes.envoy.gid=1000'],
      ),
    (s) => expect(simulate(s).findings.map((f) => f.kind)).toContain('loop'),
  ],
];

describe.skipIf(missing !== undefined)('what-if rulesets against the kernel', () => {
  it.each(cases)(
    '%s',
    async (_, scenario, expectNfdb) => {
      const s = scenario();
      // What the case is about, in nfdb's run, before the kernel is asked the same.
      expectNfdb(s);
      await expectKernelAgrees(s);
    },
    60_000,
  );
});
