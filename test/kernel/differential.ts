/**
 * The differential check every kernel scenario runs: the scenario built for real in network
 * namespaces (./harness) and simulated by nfdb; the kernel's per-packet rule paths (nft trace)
 * and final counters (iptables-save -c) must be nfdb's. Compared: the path of every
 * connection's first packet through every table, and the counters of the nat table (of every
 * table when the scenario's traffic is UDP, whose packets the kernel sends deterministically).
 */
import { expect } from 'vitest';
import type { Ruleset, Scenario, TableName, Trace } from '../../source/model/index.js';
import { parseRules } from '../../source/rules/index.js';
import { deltasUpTo, rulesetAt } from '../../source/trace/counters.js';
import {
  realSegment,
  type Segment,
  simulatedSegments,
  type VerdictWords,
} from '../../source/trace/path-segments.js';
import { simulate } from '../../source/world/simulate.js';
import { type KernelResult, runInKernel } from './harness/index.js';

/**
 * Where a segment happened: its host and flow, with an ephemeral destination port (a reply to a
 * client) as `*`, since the kernel picks those at random and nfdb counts up from 40000. The port
 * is the key's last number: an IPv6 address has `:digits` of its own (`fd00::2`).
 */
const place = (seg: Segment, ephemeralFrom: number) =>
  `${seg.host} ${seg.key.replace(/:(\d+)( SYN)?$/, (m, port) => (Number(port) >= ephemeralFrom ? ':*' : m))}`;

/** Every place where nfdb has some packet, first or not, go through a table. */
function nfdbPlaces(trace: Trace, ephemeralFrom: number): Set<string> {
  const places = new Set<string>();
  for (const p of trace.packets)
    for (const seg of simulatedSegments(trace, p.id, true)) places.add(place(seg, ephemeralFrom));
  return places;
}

function countersByRule(rulesets: readonly Ruleset[], tables: readonly TableName[]): string[] {
  const lines: string[] = [];
  for (const r of rulesets) {
    for (const t of r.tables.filter((x) => tables.includes(x.name))) {
      for (const c of t.chains) {
        if (c.builtin)
          lines.push(`${t.name} ${c.name} policy [${c.counters.packets}:${c.counters.bytes}]`);
        c.rules.forEach((rule, i) => {
          lines.push(
            `${t.name} ${c.name} ${i + 1} [${rule.counters.packets}:${rule.counters.bytes}]`,
          );
        });
      }
    }
  }
  return lines;
}

/**
 * The kernel's per-packet paths (`nft monitor trace`) against nfdb's: the path of every
 * connection's first packet, and no hop the kernel took that nfdb never simulated. `words`:
 * verdicts as iptables names them, or as nft's trace does (for native nft tables, whose rules
 * have no iptables target). `ephemeralFrom`: the lowest port the kernel may pick at random (for
 * a client, or for `masquerade fully-random`, which picks from 1024 up).
 */
export function expectPathsAgree(
  trace: Trace,
  kernel: KernelResult,
  untraced: ReadonlySet<string> = new Set(),
  words: VerdictWords = 'iptables',
  ephemeralFrom = 32768,
): void {
  const kernelSegments = kernel.paths
    .map((p) => realSegment(p, words))
    .filter((s) => s !== undefined);
  const firsts = trace.connections.map((c) => trace.packets.find((p) => p.connectionId === c.id));
  for (const first of firsts) {
    if (!first) continue;
    for (const seg of simulatedSegments(trace, first.id, false, words)) {
      if (untraced.has(seg.host)) continue;
      const i = kernelSegments.findIndex((k) => k.host === seg.host && k.key === seg.key);
      const found = i >= 0 ? kernelSegments.splice(i, 1)[0] : undefined;
      expect({ where: `${seg.host} ${seg.key}`, path: found?.steps }).toEqual({
        where: `${seg.host} ${seg.key}`,
        path: seg.steps,
      });
    }
  }

  // The other way round: a hop the kernel took that nfdb never simulated (a packet nfdb
  // dropped too early, a host it skipped) leaves a kernel segment nfdb has no packet for.
  const places = nfdbPlaces(trace, ephemeralFrom);
  const unseen = kernelSegments
    .filter((k) => k.steps.length > 0 && !places.has(place(k, ephemeralFrom)))
    .map((k) => `${k.host} ${k.key}: ${k.steps.join(', ')}`);
  expect(unseen).toEqual([]);
}

/**
 * Runs the scenario in the kernel and expects nfdb's paths and counters. `commands`: per host,
 * a command file run instead of restoring the host's rulesets (see KernelOptions).
 */
export async function expectKernelAgrees(
  scenario: Scenario,
  commands: Record<string, string> = {},
): Promise<void> {
  const trace = simulate(scenario);
  const kernel = await runInKernel(scenario, { commands });
  expect(kernel.errors).toEqual([]);
  // nft monitor trace does not see iptables-legacy's tables: no path to compare there.
  const untraced = new Set(
    scenario.world.hosts
      .filter((h) => h.rulesets.some((r) => r.backend === 'legacy'))
      .map((h) => h.name),
  );

  expectPathsAgree(trace, kernel, untraced);

  const udp = scenario.traffic.every((t) => t.protocol === 'udp');
  const tables: TableName[] = udp ? ['raw', 'mangle', 'nat', 'filter'] : ['nat'];
  const deltas = deltasUpTo(trace);
  for (const host of scenario.world.hosts) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const ours = host.rulesets
        .filter((r) => r.family === family)
        .map((r) => rulesetAt(r, host.name, deltas));
      const saved = (family === 'ipv4' ? kernel.counters : kernel.counters6)[host.name] ?? '';
      const theirs = parseRules(saved, { file: `${host.name}.kernel`, family }).rulesets;
      expect({ host: host.name, family, counters: countersByRule(theirs, tables) }).toEqual({
        host: host.name,
        family,
        counters: countersByRule(ours, tables),
      });
    }
  }
}
