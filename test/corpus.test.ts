/**
 * Every iptables-format ruleset of the shared corpus (real files written by Istio, kube-proxy,
 * Docker, Kuma, Consul, Linkerd, Cilium and real firewalls) loads without an error, keeps every
 * rule it declares, and survives a round trip through nfdb's iptables-save output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../source/model/index.js';
import { parseRules, toIptablesSave } from '../source/rules/index.js';
import { normalizeRuleset } from '../source/rules/normalize.js';
import { CORPUS, nfdb } from './helpers/cli.js';

const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(rules|cmds)$/.test(f))
  .sort();

/** Rules a file declares: its -A and -I lines, minus those a later -F or -X removes (none here). */
function declaredRules(text: string): number {
  return text.split('\n').filter((l) => /(^|\s)-[AI] \S/.test(l) && !l.startsWith('#')).length;
}

/** The ruleset with every built-in chain made and counting, as restoring its save text makes it. */
function declared(ruleset: Ruleset): Ruleset {
  return {
    ...ruleset,
    tables: ruleset.tables.map((t) => ({
      ...t,
      chains: t.chains.map(({ absent: _a, uncounted: _u, ...c }) => c),
    })),
  };
}

describe('the corpus', () => {
  it('has the files SOURCES.md lists', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  it.each(files)('%s loads, keeps its rules and round-trips', (file) => {
    const text = readFileSync(`${CORPUS}/${file}`, 'utf8');
    const result = parseRules(text, { file });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rules = result.rulesets
      .flatMap((r) => r.tables)
      .flatMap((t) => t.chains)
      .reduce((n, c) => n + c.rules.length, 0);
    expect(rules).toBe(declaredRules(text));
    for (const ruleset of result.rulesets) {
      const saved = toIptablesSave(ruleset, { counters: true });
      const again = parseRules(saved, { file: 'saved', family: ruleset.family });
      expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // iptables-save prints every built-in chain with a policy, so restoring its text declares
      // them all (iptables-nft then makes each, with its counter): only that may differ.
      expect(again.rulesets.map(normalizeRuleset)).toEqual([normalizeRuleset(declared(ruleset))]);
      expect(toIptablesSave(again.rulesets[0] ?? ruleset, { counters: true })).toBe(saved);
    }
  });

  const nftFiles = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.nft'))
    .sort();

  it('has the nftables files SOURCES.md lists', () => {
    expect(nftFiles.length).toBeGreaterThanOrEqual(20);
  });

  it.each(nftFiles)('%s loads as nft and keeps every rule it adds', (file) => {
    const text = readFileSync(`${CORPUS}/${file}`, 'utf8');
    const result = parseRules(text, { file });
    expect(result.format).toBe('nft');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rules = (result.nft?.tables ?? [])
      .flatMap((t) => t.chains)
      .reduce((n, c) => n + c.rules.length, 0);
    expect(rules).toBe(text.split('\n').filter((l) => /^(add|insert) rule /.test(l)).length);
  });

  it('loads through the CLI, which names what it cannot simulate', () => {
    const result = nfdb([
      'check',
      `${CORPUS}/istio/capture-outbound-owner-groups-exclude.rules`,
      `${CORPUS}/istio/cni-inpod-hostprobe.rules`,
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--gid-owner ftp: a name needs the system user database');
    // An ipset's members come from a scenario, not the rules: check names the set.
    expect(result.stdout).toContain('ipsets: istio-inpod-probes-v4 (members from the scenario');
  });
});
