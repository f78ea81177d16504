/**
 * The INVALID segment against the kernel (curated question 12): drop-invalid.json built in
 * network namespaces, its stray segments sent from a raw socket on each connection's own
 * 4-tuple, out of its window. scenarios.test.ts holds it to the generic checks (paths of first
 * packets, nat counters); here the kernel must agree with nfdb on the stray's own path through
 * guarded-pod's mangle table and that table's counters, and on what the client saw: reset by the
 * unguarded pod's app, a clean close from the guarded pod; and nobody reset once the pod's
 * nf_conntrack_tcp_be_liberal is 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../source/io/read-snapshot.js';
import type { Ruleset, Scenario } from '../../source/model/index.js';
import { parseRules } from '../../source/rules/index.js';
import { deltasUpTo, rulesetAt } from '../../source/trace/counters.js';
import { realSegment, simulatedSegments } from '../../source/trace/path-segments.js';
import { connectionOutcome } from '../../source/trace/summary.js';
import { simulate } from '../../source/world/simulate.js';
import { runInKernel } from './harness/index.js';
import { kernelMissing } from './missing.js';

const missing = kernelMissing();

function load(): Scenario {
  const file = join(import.meta.dirname, '../../snapshots/drop-invalid.json');
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

/** `chain rule [packets:bytes]` of the rulesets' mangle tables. */
function mangleCounters(rulesets: readonly Ruleset[]): string[] {
  return rulesets.flatMap((r) =>
    r.tables
      .filter((t) => t.name === 'mangle')
      .flatMap((t) =>
        t.chains.flatMap((c) =>
          c.rules.map((x, i) => `${c.name} ${i + 1} [${x.counters.packets}:${x.counters.bytes}]`),
        ),
      ),
  );
}

describe.skipIf(missing !== undefined)('the INVALID segment in the kernel', () => {
  it('takes the same path and counts the same in mangle; resets the same client', async () => {
    const scenario = load();
    const trace = simulate(scenario);
    const kernel = await runInKernel(scenario);
    expect(kernel.errors).toEqual([]);

    const stray = trace.packets.find((p) => p.connectionId === 3 && p.label.includes('window'));
    const ours = simulatedSegments(trace, stray?.id ?? -1).filter((s) => s.host === 'guarded-pod');
    const theirs = kernel.paths
      .map((path) => realSegment(path))
      .filter((s) => s?.host === 'guarded-pod' && s.steps.some((t) => t.includes('ISTIO_DROP')));
    expect(theirs).toEqual(ours);

    const host = scenario.world.hosts.find((h) => h.name === 'guarded-pod');
    const deltas = deltasUpTo(trace);
    const simulated = (host?.rulesets ?? []).map((r) => rulesetAt(r, 'guarded-pod', deltas));
    const saved = kernel.counters['guarded-pod'] ?? '';
    const real = parseRules(saved, { file: 'guarded-pod', family: 'ipv4' }).rulesets;
    expect(mangleCounters(real)).toEqual(mangleCounters(simulated));
    expect(mangleCounters(real)).toContain('PREROUTING 1 [1:1052]');

    expect(connectionOutcome(trace, 1)?.kind).toBe('reset');
    expect(kernel.traffic[0]?.error ?? '').toMatch(/reset/i);
    expect(connectionOutcome(trace, 3)?.kind).toBe('ended');
    expect(kernel.traffic[1]).toMatchObject({ ok: true });
  }, 30_000);

  it('resets nobody with nf_conntrack_tcp_be_liberal=1 on the pod: the stray reaches envoy', async () => {
    const scenario = load();
    const hosts = scenario.world.hosts.map((h) =>
      h.name === 'pod' ? { ...h, conntrack: { tcpBeLiberal: true } } : h,
    );
    const liberal = {
      ...scenario,
      world: { ...scenario.world, hosts },
      traffic: scenario.traffic.slice(0, 1),
    };
    const trace = simulate(liberal);
    const kernel = await runInKernel(liberal);
    expect(kernel.errors).toEqual([]);
    expect(connectionOutcome(trace, 1)?.kind).toBe('delivered');
    expect(kernel.traffic[0]).toMatchObject({ ok: true });
  }, 30_000);
});
