/**
 * The curated snapshots answer questions people ask: each has notes, and the notes end with how
 * its trace ends, a line per connection and one for the loop verdict. This holds every trace to
 * its notes, from the trace's facts (the outcome of each connection, the loop finding), so a
 * change of the engine that changes an answer cannot pass unseen.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../source/io/read-snapshot.js';
import type { Trace } from '../source/model/index.js';
import { connectionOutcome } from '../source/trace/summary.js';
import { simulate } from '../source/world/simulate.js';
import { ROOT } from './helpers/cli.js';

const SNAPSHOTS = join(ROOT, 'snapshots');

/** The questions the issue lists (13), each with the snapshots that answer it. */
const QUESTIONS: Record<number, string[]> = {
  1: ['sidecar-inbound', 'sidecar-outbound', 'what-if-loop'],
  2: ['app-to-own-pod-ip', 'app-to-localhost', 'envoy-to-own-pod-ip'],
  3: ['outbound-ports-and-ranges'],
  4: ['excluded-inbound-port'],
  5: ['tproxy-inbound'],
  6: ['dns-capture-ct-zones'],
  7: ['envoy-not-listening'],
  8: ['uid-1337-bypass'],
  9: ['clusterip-then-sidecar'],
  10: ['ambient-inpod-mark'],
  11: ['ambient-host-probe'],
  12: ['drop-invalid'],
  13: ['udp-not-captured'],
  14: ['fwmark-bit-conflict'],
};

function read(name: string) {
  const file = join(SNAPSHOTS, `${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded;
}

/** How a connection ended, in the words the notes use. */
function ending(trace: Trace, id: number): string {
  const o = connectionOutcome(trace, id);
  if (!o) return 'none';
  if (o.kind === 'delivered') return `delivered to ${o.process} on port ${o.port}`;
  if (o.kind === 'stopped') return 'stopped';
  if (o.kind === 'reset') return `reset by ${o.label} from ${o.from}`;
  return `${trace.packets.find((p) => p.id === o.packet)?.fate} ${o.label}`;
}

/** The notes' ending lines: `→ connection N (label): ending`, then `→ loop` or `→ no loop`. */
function promised(notes: string) {
  const connections = new Map<number, string>();
  let loop: boolean | undefined;
  for (const line of notes.split('\n')) {
    const c = /^→ connection (\d+) \(.*\): (.+)$/.exec(line);
    if (c) connections.set(Number(c[1]), c[2] ?? '');
    if (line === '→ loop' || line === '→ no loop') loop = line === '→ loop';
  }
  return { connections, loop };
}

const curated = readdirSync(SNAPSHOTS)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .filter((name) => read(name).snapshot.notes !== '');

describe('the curated snapshots', () => {
  it('answer the questions of the issue, each with notes', () => {
    for (const names of Object.values(QUESTIONS))
      for (const n of names) expect(curated).toContain(n);
  });

  it.each(curated)('%s ends as its notes say', (name) => {
    const { snapshot, scenario } = read(name);
    const trace = simulate(scenario);
    const { connections, loop } = promised(snapshot.notes);
    expect(loop, 'the notes say whether it loops').toBeDefined();
    expect(trace.findings.some((f) => f.kind === 'loop')).toBe(loop);
    const ended = new Map(trace.connections.map((c) => [c.id, ending(trace, c.id)]));
    expect(ended).toEqual(connections);
  });

  it('are listed in the README with their question', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of curated) expect(readme).toContain(`\`${name}\``);
  });
});
