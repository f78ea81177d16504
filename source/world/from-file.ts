/**
 * From a validated scenario file to the World the engine runs: rules parsed (each host's text
 * already read by source/io), names cross-checked. Pure: every problem comes back as a message
 * naming the field, never as an exception.
 */

import type { z } from 'zod';
import type {
  Backend,
  Diagnostic,
  HostConfig,
  IpSetConfig,
  NftTable,
  Ruleset,
  Scenario,
} from '../model/index.js';
import { compileIpSet } from '../netfilter/ipset.js';
import { findMatch } from '../netfilter/registry.js';
import { formatDiagnostic, parseRules } from '../rules/index.js';
import type { HostFile, ScenarioFile } from './scenario-schema.js';
import { scenarioSchema } from './scenario-schema.js';

export type Loaded =
  | { readonly ok: true; readonly scenario: Scenario; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Rules text per host, already read: inline text or the file's contents. */
export interface RulesText {
  readonly text: string;
  readonly file: string;
  /** How its diagnostics are written, when `file:line:column` would not point anywhere real
   *  (rules inline in a scenario). */
  readonly format?: (d: Diagnostic) => string;
}

/** A host's fields of rules text: iptables' per family, and native nft tables beside them. */
export const RULE_FIELDS = ['rules', 'rules6', 'nft'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export type ReadRules = (host: HostFile, which: RuleField) => RulesText | undefined;

export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

export function validateScenario(
  json: unknown,
  file: string,
): { ok: true; value: ScenarioFile } | { ok: false; errors: string[] } {
  return validateAgainst(scenarioSchema, json, file);
}

/** Checks `json` against a schema of the scenario family; each error names its field's path. */
export function validateAgainst<T>(
  schema: z.ZodType<T>,
  json: unknown,
  file: string,
): { ok: true; value: T } | { ok: false; errors: string[] } {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map(
      (i) => `${file}: ${pathText(i.path) || '(top level)'}: ${i.message}`,
    ),
  };
}

function loadRules(
  host: HostFile,
  read: ReadRules,
  errors: string[],
  warnings: string[],
  backend: Backend | undefined,
  nft: NftTable[] = [],
): Ruleset[] {
  const out: Ruleset[] = [];
  for (const which of RULE_FIELDS) {
    const got = read(host, which);
    if (got === undefined) continue;
    const family = which === 'rules6' ? 'ipv6' : 'ipv4';
    const result = parseRules(got.text, { file: got.file, family, backend });
    const format = got.format ?? formatDiagnostic;
    for (const d of result.diagnostics)
      (d.severity === 'error' ? errors : warnings).push(format(d));
    if (which === 'nft' && result.rulesets.length > 0)
      errors.push(
        `${got.file}: expected nftables (an nft script or nft -j JSON), found iptables rules: they go in rules or rules6`,
      );
    else out.push(...result.rulesets.filter((r) => r.family === family));
    // An nft file holds its own families (ip, ip6, inet): its tables run as they are.
    nft.push(...(result.nft?.tables ?? []));
  }
  return out;
}

/** A host's ipsets in the model's terms; every member `ipset add` would refuse is an error. */
function loadIpSets(host: HostFile, at: string, errors: string[]): IpSetConfig[] {
  const names = new Set<string>();
  return (host.ipsets ?? []).map((s, j) => {
    if (names.has(s.name)) errors.push(`${at}.ipsets[${j}].name: "${s.name}" is used twice`);
    names.add(s.name);
    const config: IpSetConfig = {
      name: s.name,
      type: s.type,
      family: s.family === 'inet6' ? 'ipv6' : 'ipv4',
      members: s.members,
    };
    for (const e of compileIpSet(config).errors)
      errors.push(
        `${at}.ipsets[${j}].members[${e.member}]: "${s.members[e.member]}": expected ${e.expected}`,
      );
    return config;
  });
}

/**
 * libxt_set refuses a rule whose set is of the other family ("The protocol family of set S is
 * IPv4, which is not applicable"), so iptables-restore loads none of its rules: an error here.
 * A set the host does not give is left to the engine, which stops there and names it.
 */
function checkSetFamilies(host: HostConfig, at: string, errors: string[]): void {
  const sets = host.ipsets ?? [];
  if (sets.length === 0) return;
  for (const ruleset of host.rulesets)
    for (const table of ruleset.tables)
      for (const chain of table.chains)
        for (const rule of chain.rules)
          for (const m of rule.matches) {
            if (!m.simulated) continue;
            for (const name of findMatch(m.module)?.sets?.(m.data) ?? []) {
              const set = sets.find((s) => s.name === name);
              if (!set || set.family === ruleset.family) continue;
              const pos = m.pos ?? rule.origin;
              errors.push(
                `${at}: ${pos.file}:${pos.line}:${pos.column}: -m set ${name}: the set is ${set.family === 'ipv4' ? 'inet (IPv4)' : 'inet6 (IPv6)'}, the rule ${ruleset.family === 'ipv4' ? 'IPv4' : 'IPv6'}; iptables refuses it`,
              );
            }
          }
}

/**
 * The world a scenario file describes; its own errors name `name`, the file it came from.
 * `backend`, when given, overrides the file's `settings.backend` (the --backend flag).
 */
export function toScenario(
  file: ScenarioFile,
  read: ReadRules,
  name: string,
  backend?: Backend,
): Loaded {
  const chosen = backend ?? file.settings.backend;
  const errors: string[] = [];
  const warnings: string[] = [];
  const hosts: HostConfig[] = file.hosts.map((h, i) => {
    const nft: NftTable[] = [];
    return {
      name: h.name,
      interfaces: h.interfaces,
      routes: h.routes,
      ipRules: h.ipRules,
      rulesets: loadRules(h, read, errors, warnings, chosen, nft),
      processes: h.processes,
      forwarding: h.forwarding,
      ...(h.ipsets ? { ipsets: loadIpSets(h, `${name}: hosts[${i}]`, errors) } : {}),
      ...(h.conntrack ? { conntrack: h.conntrack } : {}),
      ...(nft.length > 0 ? { nft: { tables: nft } } : {}),
      ...(h.iptablesLoadedLast ? { iptablesLoadedLast: true } : {}),
    };
  });
  for (const [i, h] of hosts.entries()) checkSetFamilies(h, `${name}: hosts[${i}]`, errors);
  const names = new Set<string>();
  file.hosts.forEach((h, i) => {
    if (names.has(h.name)) errors.push(`${name}: hosts[${i}].name: "${h.name}" is used twice`);
    names.add(h.name);
  });
  file.traffic.forEach((t, i) => {
    const host = file.hosts.find((h) => h.name === t.fromHost);
    if (!host) errors.push(`${name}: traffic[${i}].fromHost: no host named "${t.fromHost}"`);
    else if (!host.processes.some((p) => p.name === t.process))
      errors.push(
        `${name}: traffic[${i}].process: host "${t.fromHost}" has no process named "${t.process}"`,
      );
    if (t.stray !== undefined && t.protocol !== 'tcp')
      errors.push(
        `${name}: traffic[${i}].stray: expected a TCP item (a stray segment is TCP's), got protocol "${t.protocol}"`,
      );
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    warnings,
    scenario: { world: { name: file.name, hosts, settings: file.settings }, traffic: file.traffic },
  };
}
