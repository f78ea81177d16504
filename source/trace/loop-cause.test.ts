import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../io/read-snapshot.js';
import type { Finding, Scenario } from '../model/index.js';
import { parseEdit } from '../rules/edits/index.js';
import { simulate } from '../world/simulate.js';
import { editScenario } from '../world/what-if.js';
import { loopCause } from './loop-cause.js';
import { loopCauseText } from './words/loop.js';

function snapshot(name: string): Scenario {
  const file = join(import.meta.dirname, `../../snapshots/${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(name);
  return loaded.scenario;
}

function causeText(scenario: Scenario): string | undefined {
  const trace = simulate(scenario);
  const loop = trace.findings.find((f): f is Finding & { kind: 'loop' } => f.kind === 'loop');
  const cause = loop && loopCause(trace, loop);
  return cause && loopCauseText(cause);
}

describe('loopCause', () => {
  it('names the listener, the round and the owner nothing in ISTIO_OUTPUT returns', () => {
    expect(causeText(snapshot('what-if-loop'))).toBe(
      "envoy's own connection re-enters 15001 with the same original destination 10.0.0.3:9080 (round 4): nothing in ISTIO_OUTPUT returns uid 1337 or gid 1337",
    );
  });

  it('names the inbound source address too, when the proxy bound one', () => {
    const parsed = parseEdit('-t nat -D ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN', 'ipv4');
    if (!parsed.ok) throw new Error('edit');
    const edited = editScenario(snapshot('sidecar-inbound'), [{ host: 'pod', edit: parsed.edit }]);
    if (!edited.ok) throw new Error(edited.message);
    expect(causeText(edited.scenario)).toBe(
      "envoy's own connection re-enters 15006 with the same original destination 10.0.0.2:9080 (round 4): nothing in ISTIO_OUTPUT returns uid 1337, gid 1337 or source 127.0.0.6",
    );
  });

  it('has nothing to say without a loop', () => {
    expect(causeText(snapshot('sidecar-outbound'))).toBeUndefined();
  });
});
