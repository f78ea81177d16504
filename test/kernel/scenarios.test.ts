/**
 * The differential proof of the engine: every scenario in snapshots/ is built for real in network
 * namespaces (test/kernel/harness) and simulated by nfdb; the kernel's per-packet rule paths (nft
 * trace) and final counters (iptables-save -c) must be nfdb's. Compared: the path of every
 * connection's first packet through every table, and the counters of the nat table (of every
 * table when the scenario's traffic is UDP, whose packets the kernel sends deterministically).
 *
 * A scenario whose rules are a command file (`*.cmds`, as Linkerd's proxy-init and Consul run
 * them) runs twice: its commands run with iptables-nft, then with iptables-legacy, and nfdb loads
 * them as that backend does. `nft monitor trace` sees only nftables, so under legacy the paths
 * of that host are not compared; its counters are, and they tell the paths apart.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../source/io/read-snapshot.js';
import type { Backend, Scenario } from '../../source/model/index.js';
import { expectKernelAgrees } from './differential.js';
import { kernelMissing } from './missing.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');
const missing = kernelMissing();
if (missing) console.warn(`\n*** KERNEL DIFFERENTIAL TESTS SKIPPED: ${missing} ***\n`);

function load(name: string, backend?: Backend): Scenario {
  const file = join(SNAPSHOTS, name);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file, backend);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

/** Per host, the text of a command file its rules come from (`rules.file` ending in .cmds). */
function commandFiles(name: string): Record<string, string> {
  const file = join(SNAPSHOTS, name);
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    hosts: { name: string; rules?: string | { file: string } }[];
  };
  const out: Record<string, string> = {};
  for (const h of json.hosts) {
    const rules = h.rules;
    if (typeof rules === 'object' && rules.file.endsWith('.cmds'))
      out[h.name] = readFileSync(resolve(dirname(file), rules.file), 'utf8');
  }
  return out;
}

/**
 * A scenario with an envoy in `rewrite` mode is nfdb's hypothesis (no real proxy rewrites the
 * packet and sends it again): there is no kernel answer to compare it with, so the kernel suite
 * leaves it out; source/world/rewrite.test.ts checks that it obeys conntrack instead.
 */
function hypothetical(name: string): boolean {
  const json = JSON.parse(readFileSync(join(SNAPSHOTS, name), 'utf8')) as {
    hosts: { processes?: { kind: string; mode?: string }[] }[];
  };
  return json.hosts.some((h) =>
    h.processes?.some((p) => p.kind === 'envoy' && p.mode === 'rewrite'),
  );
}

const shipped = readdirSync(SNAPSHOTS)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .sort();
const snapshots = shipped.filter((f) => !hypothetical(f));
/** Each snapshot as it is; one with a command file once per backend. */
const scenarios: [string, Backend | undefined][] = snapshots.flatMap(
  (f): [string, Backend | undefined][] =>
    Object.keys(commandFiles(f)).length > 0
      ? [
          [f, 'nft'],
          [f, 'legacy'],
        ]
      : [[f, undefined]],
);

describe.skipIf(missing !== undefined)('nfdb against the kernel', () => {
  it('has at least twelve scenarios', () => {
    expect(snapshots.length).toBeGreaterThanOrEqual(12);
  });

  it('leaves out only the hypothetical rewrite-mode scenarios: no kernel to compare with', () => {
    expect(shipped.filter((f) => !snapshots.includes(f))).toEqual(['what-if-rewrite.json']);
  });

  it('runs the command-file scenarios (Linkerd, Consul) under both backends', () => {
    const both = scenarios.filter(([, b]) => b !== undefined).map(([f, b]) => `${f} ${b}`);
    expect(both).toContain('linkerd-proxy-init-cmds.json legacy');
    expect(both).toContain('consul-redirect-traffic-cmds.json nft');
  });

  it.each(scenarios)(
    '%s %s',
    async (name, backend) => {
      await expectKernelAgrees(load(name, backend), commandFiles(name));
    },
    30_000,
  );
});
