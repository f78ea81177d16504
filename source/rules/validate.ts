/**
 * The checks the kernel (and iptables) make when a ruleset is loaded: every jump has a chain,
 * no chain can reach itself (ELOOP), and each extension is used where it is allowed — which
 * depends on the hooks a chain can be reached from, so those are computed first.
 */
import { findMatch, findTarget } from '../netfilter/registry.js';
import type { Hook, Placement } from '../netfilter/vocabulary.js';
import type { Chain, Diagnostic, Rule, Ruleset, Table } from './model.js';

const HOOK_OF: Readonly<Record<string, Hook>> = {
  PREROUTING: 'PREROUTING',
  INPUT: 'INPUT',
  FORWARD: 'FORWARD',
  OUTPUT: 'OUTPUT',
  POSTROUTING: 'POSTROUTING',
};

function targetsOf(chain: Chain): { rule: Rule; chain: string }[] {
  const result: { rule: Rule; chain: string }[] = [];
  for (const rule of chain.rules) {
    const t = rule.target;
    if (t && (t.kind === 'jump' || t.kind === 'goto')) result.push({ rule, chain: t.name });
  }
  return result;
}

function checkJumps(table: Table, diagnostics: Diagnostic[]): void {
  const names = new Map(table.chains.map((c) => [c.name, c]));
  for (const chain of table.chains) {
    for (const { rule, chain: target } of targetsOf(chain)) {
      const found = names.get(target);
      const pos = rule.target?.pos ?? rule.origin;
      if (!found) {
        diagnostics.push({
          severity: 'error',
          message: `jump to chain "${target}", which does not exist in table ${table.name}`,
          expected: 'an existing chain or a known target',
          found: target,
          pos,
        });
      } else if (found.builtin) {
        diagnostics.push({
          severity: 'error',
          message: `jump to built-in chain ${target}`,
          expected: 'a user-defined chain',
          found: target,
          pos,
        });
      }
    }
  }
}

/** Finds jump cycles with a depth-first walk; reports the rule that closes each cycle. */
function checkLoops(table: Table, diagnostics: Diagnostic[]): boolean {
  const names = new Map(table.chains.map((c) => [c.name, c]));
  const state = new Map<string, 'active' | 'done'>();
  let looped = false;
  const visit = (chain: Chain, path: string[]): void => {
    state.set(chain.name, 'active');
    for (const { rule, chain: next } of targetsOf(chain)) {
      const target = names.get(next);
      if (!target || target.builtin) continue;
      if (state.get(next) === 'active') {
        looped = true;
        const cycle = [...path.slice(path.indexOf(next)), next].join(' → ');
        diagnostics.push({
          severity: 'error',
          message: `jump loop: ${cycle} (the kernel refuses this with ELOOP)`,
          expected: 'no chain that can reach itself',
          found: cycle,
          pos: rule.target?.pos ?? rule.origin,
        });
      } else if (!state.has(next)) {
        visit(target, [...path, next]);
      }
    }
    state.set(chain.name, 'done');
  };
  for (const chain of table.chains) if (!state.has(chain.name)) visit(chain, [chain.name]);
  return looped;
}

/** Which hooks each chain can be reached from (a user chain: the union over its callers). */
export function reachableHooks(table: Table): Map<string, Set<Hook>> {
  const names = new Map(table.chains.map((c) => [c.name, c]));
  const hooks = new Map<string, Set<Hook>>(table.chains.map((c) => [c.name, new Set<Hook>()]));
  for (const chain of table.chains) {
    const hook = chain.builtin ? HOOK_OF[chain.name] : undefined;
    if (!hook) continue;
    const stack = [chain.name];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const name = stack.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      hooks.get(name)?.add(hook);
      const c = names.get(name);
      if (c) for (const { chain: next } of targetsOf(c)) if (names.has(next)) stack.push(next);
    }
  }
  return hooks;
}

function checkPlacement(ruleset: Ruleset, table: Table, diagnostics: Diagnostic[]): void {
  const hooks = reachableHooks(table);
  for (const chain of table.chains) {
    const chainHooks = [...(hooks.get(chain.name) ?? [])];
    for (const rule of chain.rules) {
      const where: Placement = {
        family: ruleset.family,
        table: table.name,
        hooks: chainHooks,
        protocol: rule.protocol?.value,
        protocolNegated: rule.protocol?.negated ?? false,
      };
      // iptables refuses -i/-o only in the built-in chains themselves; in a user chain the
      // kernel loads the rule and it simply never matches from the wrong hook.
      if (
        chain.builtin &&
        rule.inInterface &&
        chainHooks.some((h) => h === 'OUTPUT' || h === 'POSTROUTING')
      ) {
        diagnostics.push({
          severity: 'error',
          message: `-i cannot be used in a chain reached from ${chainHooks.join(', ')}`,
          expected: 'PREROUTING, INPUT or FORWARD',
          found: `-i ${rule.inInterface.value}`,
          pos: rule.origin,
        });
      }
      if (
        chain.builtin &&
        rule.outInterface &&
        chainHooks.some((h) => h === 'PREROUTING' || h === 'INPUT')
      ) {
        diagnostics.push({
          severity: 'error',
          message: `-o cannot be used in a chain reached from ${chainHooks.join(', ')}`,
          expected: 'FORWARD, OUTPUT or POSTROUTING',
          found: `-o ${rule.outInterface.value}`,
          pos: rule.origin,
        });
      }
      for (const match of rule.matches) {
        const module = match.simulated ? findMatch(match.module) : undefined;
        const problem = module?.check?.(match.data, where);
        if (problem)
          diagnostics.push({
            severity: 'error',
            message: `-m ${match.module}: ${problem}`,
            expected: 'a chain where the kernel allows it',
            found: `${table.name} ${chain.name}`,
            pos: match.pos ?? rule.origin,
          });
      }
      const t = rule.target;
      const module = t?.kind === 'extension' && t.simulated ? findTarget(t.name) : undefined;
      const problem = t && module?.check?.(t.data, where);
      if (t && problem)
        diagnostics.push({
          severity: 'error',
          message: `-j ${t.name}: ${problem}`,
          expected: 'a chain where the kernel allows it',
          found: `${table.name} ${chain.name}`,
          pos: t.pos ?? rule.origin,
        });
    }
  }
}

export function validate(ruleset: Ruleset): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const table of ruleset.tables) {
    checkJumps(table, diagnostics);
    if (!checkLoops(table, diagnostics)) checkPlacement(ruleset, table, diagnostics);
  }
  return diagnostics;
}
