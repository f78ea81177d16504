/**
 * Applies one edit to a ruleset as the kernel's iptables would, or refuses it with iptables'
 * own words. Pure: a new ruleset shares every table, chain and rule the edit did not touch, and
 * every rule it did not touch keeps its id.
 */

import {
  type Chain,
  type Diagnostic,
  findTable,
  type Rule,
  type Ruleset,
  type Table,
  type TableName,
  ZERO_COUNTERS,
} from '../../model/index.js';
import { RulesetBuilder, TABLE_ORDER } from '../builder.js';
import { diagnosticText } from '../index.js';
import { ruleSpecText } from '../save.js';
import { validate } from '../validate.js';
import { editAsCommand } from './command.js';
import type { Edit, NewRule } from './types.js';

export type AppliedEdit =
  | {
      readonly ok: true;
      readonly ruleset: Ruleset;
      /** False when the edit left the rules as they were (a policy set to itself, …). */
      readonly changed: boolean;
      /** The id of the rule the edit placed (added, replaced, moved or put back), if any. */
      readonly ruleId?: string;
    }
  | {
      readonly ok: false;
      /** Names the edit, then says why: `iptables -t nat -D X 9: Index of deletion too big`. */
      readonly message: string;
      /** Load-time checks the edited rule fails, at its columns within the edit. */
      readonly diagnostics?: readonly Diagnostic[];
    };

type Refusal = Extract<AppliedEdit, { ok: false }>;

const NO_CHAIN = 'No chain/target/match by that name.';

function refuse(edit: Edit, why: string, diagnostics?: readonly Diagnostic[]): Refusal {
  return { ok: false, message: `${editAsCommand(edit).split('\n')[0]}: ${why}`, diagnostics };
}

/** `e1`, `e2`, …: never an id of the ruleset's (parsed rules are `r1`, …, see RulesetBuilder). */
export function freshRuleId(ruleset: Ruleset): string {
  let max = 0;
  for (const table of ruleset.tables)
    for (const chain of table.chains)
      for (const rule of chain.rules) {
        const n = /^e(\d+)$/.exec(rule.id);
        if (n) max = Math.max(max, Number(n[1]));
      }
  return `e${max + 1}`;
}

function emptyTable(ruleset: Ruleset, name: TableName): Table {
  const b = new RulesetBuilder(ruleset.family, [], ruleset.backend ?? 'legacy');
  b.table(name, { file: 'edit', line: 1, column: 1 });
  return b.build().tables[0] as Table;
}

function withTable(ruleset: Ruleset, table: Table): Ruleset {
  const others = ruleset.tables.filter((t) => t.name !== table.name);
  const tables = [...others, table].sort(
    (a, b) => TABLE_ORDER.indexOf(a.name) - TABLE_ORDER.indexOf(b.name),
  );
  return { ...ruleset, tables };
}

function withChain(table: Table, chain: Chain): Table {
  const chains = table.chains.some((c) => c.name === chain.name)
    ? table.chains.map((c) => (c.name === chain.name ? chain : c))
    : [...table.chains, chain].sort((a, b) =>
        a.builtin !== b.builtin ? (a.builtin ? -1 : 1) : a.name < b.name ? -1 : 1,
      );
  return { ...table, chains };
}

/** The chain with these rules; a built-in chain that gets rules now exists (iptables-nft). */
function withRules(chain: Chain, rules: readonly Rule[]): Chain {
  const { absent: _absent, ...rest } = chain;
  return { ...rest, rules };
}

function placed(rule: NewRule, id: string): Rule {
  return { ...rule, id, counters: ZERO_COUNTERS };
}

/** Whether any rule of the table jumps or goes to `name`. */
function referenced(table: Table, name: string): boolean {
  return table.chains.some((c) =>
    c.rules.some(
      (r) => (r.target?.kind === 'jump' || r.target?.kind === 'goto') && r.target.name === name,
    ),
  );
}

function sameSpec(a: Rule, b: NewRule): boolean {
  return ruleSpecText(a) === ruleSpecText({ ...b, id: '', counters: ZERO_COUNTERS });
}

/** The new load-time errors of the edited table (the rule's columns are within the edit). */
function newErrors(before: Ruleset, after: Ruleset, table: TableName): Diagnostic[] {
  const only = (r: Ruleset): Ruleset => ({
    ...r,
    tables: r.tables.filter((t) => t.name === table),
  });
  const key = (d: Diagnostic) => `${d.pos.file}:${d.pos.line}:${d.pos.column}:${d.message}`;
  const old = new Set(validate(only(before)).map(key));
  return validate(only(after)).filter((d) => d.severity === 'error' && !old.has(key(d)));
}

interface Done {
  readonly table: Table;
  readonly changed: boolean;
  readonly ruleId?: string;
}

function ruleEdit(edit: Edit, ruleset: Ruleset, table: Table, chain: Chain): Done | string {
  const rules = chain.rules;
  const done = (next: readonly Rule[], ruleId?: string): Done => ({
    table: withChain(table, withRules(chain, next)),
    changed: true,
    ruleId,
  });
  const spliced = (at: number, remove: number, ...add: Rule[]): Rule[] => {
    const next = rules.slice();
    next.splice(at, remove, ...add);
    return next;
  };
  switch (edit.op) {
    case 'append': {
      const id = freshRuleId(ruleset);
      return done([...rules, placed(edit.rule, id)], id);
    }
    case 'insert': {
      if (edit.index > rules.length + 1) return 'Index of insertion too big';
      const id = freshRuleId(ruleset);
      return done(spliced(edit.index - 1, 0, placed(edit.rule, id)), id);
    }
    case 'replace': {
      const old = rules[edit.index - 1];
      if (!old) return 'Index of replacement too big';
      // The replaced rule keeps its id: the traces before and after line up on it.
      return done(spliced(edit.index - 1, 1, placed(edit.rule, old.id)), old.id);
    }
    case 'delete':
      if (edit.index > rules.length) return 'Index of deletion too big';
      return done(spliced(edit.index - 1, 1));
    case 'delete-matching': {
      const at = rules.findIndex((r) => sameSpec(r, edit.rule));
      if (at < 0) return 'Bad rule (does a matching rule exist in that chain?)';
      return done(spliced(at, 1));
    }
    case 'disable':
      if (rules[edit.index - 1]?.id !== edit.rule.id)
        return `rule ${edit.index} of ${edit.chain} is not the rule to switch off (${edit.rule.id})`;
      return done(spliced(edit.index - 1, 1));
    case 'enable': {
      if (rules.some((r) => r.id === edit.rule.id)) return `rule ${edit.rule.id} is already on`;
      // Where it was, or the end when the chain has shrunk since.
      const at = Math.min(edit.index, rules.length + 1);
      return done(spliced(at - 1, 0, edit.rule), edit.rule.id);
    }
    case 'move': {
      const rule = rules[edit.index - 1];
      if (rule?.id !== edit.rule.id)
        return `rule ${edit.index} of ${edit.chain} is not the rule to move`;
      if (edit.to < 1 || edit.to > rules.length) return 'Index of insertion too big';
      const without = spliced(edit.index - 1, 1);
      without.splice(edit.to - 1, 0, rule);
      return { ...done(without, rule.id), changed: edit.to !== edit.index };
    }
    default:
      return 'not a rule edit';
  }
}

type IptablesEdit = Exclude<Edit, { op: 'nft' }>;

function chainEdit(edit: IptablesEdit, table: Table): Done | string {
  const chain =
    edit.chain === undefined ? undefined : table.chains.find((c) => c.name === edit.chain);
  switch (edit.op) {
    case 'policy': {
      if (!chain?.builtin) return 'Bad built-in chain name';
      const { absent: _a, uncounted: _u, ...rest } = chain;
      return {
        table: withChain(table, { ...rest, policy: edit.policy }),
        changed: chain.policy !== edit.policy || chain.absent === true || chain.uncounted === true,
      };
    }
    case 'new-chain': {
      if (chain) return 'Chain already exists';
      const name = edit.chain ?? '';
      if (name.length > 28 || name.startsWith('-') || name === '!')
        return `Invalid chain name \`${name}' (at most 28 characters, not starting with "-")`;
      const origin = { file: 'edit', line: 1, column: 1 };
      return {
        table: withChain(table, {
          name,
          builtin: false,
          counters: ZERO_COUNTERS,
          rules: [],
          origin,
        }),
        changed: true,
      };
    }
    case 'flush': {
      if (chain) {
        // `-F CHAIN` names the chain: iptables-nft makes a built-in one that was not there.
        const changed = chain.rules.length > 0 || chain.absent === true;
        return { table: withChain(table, withRules(chain, [])), changed };
      }
      if (edit.chain !== undefined) return NO_CHAIN;
      const chains = table.chains.map((c) => (c.rules.length > 0 ? { ...c, rules: [] } : c));
      return { table: { ...table, chains }, changed: table.chains.some((c) => c.rules.length > 0) };
    }
    case 'delete-chain': {
      if (edit.chain !== undefined && !chain) return NO_CHAIN;
      const doomed = chain ? [chain] : table.chains.filter((c) => !c.builtin);
      for (const c of doomed) {
        if (c.builtin) return "Can't delete built-in chain";
        if (referenced(table, c.name)) return `Too many links (chain ${c.name} is jumped to)`;
        if (c.rules.length > 0) return `Directory not empty (chain ${c.name} has rules)`;
      }
      const chains = table.chains.filter((c) => !doomed.includes(c));
      return { table: { ...table, chains }, changed: doomed.length > 0 };
    }
    default:
      return 'not a chain edit';
  }
}

/** Applies one edit, or refuses it as iptables would, naming the edit. */
export function applyEdit(ruleset: Ruleset, edit: Edit): AppliedEdit {
  if (edit.op === 'nft') return refuse(edit, 'an nft command edits nft tables, not iptables');
  if (edit.family !== ruleset.family)
    return refuse(edit, `the ruleset is ${ruleset.family}, the edit ${edit.family}`);
  const table = findTable(ruleset, edit.table) ?? emptyTable(ruleset, edit.table);
  const isChainEdit = ['policy', 'new-chain', 'flush', 'delete-chain'].includes(edit.op);
  let done: Done | string;
  if (isChainEdit) done = chainEdit(edit, table);
  else {
    const chain = table.chains.find((c) => c.name === edit.chain);
    done = chain ? ruleEdit(edit, ruleset, table, chain) : NO_CHAIN;
  }
  if (typeof done === 'string') return refuse(edit, done);
  if (!done.changed) return { ok: true, ruleset, changed: false };
  const next = withTable(ruleset, done.table);
  if (edit.op === 'append' || edit.op === 'insert' || edit.op === 'replace') {
    const errors = newErrors(ruleset, next, edit.table);
    if (errors.length > 0) return refuse(edit, diagnosticText(errors[0] as Diagnostic), errors);
  }
  return { ok: true, ruleset: next, changed: true, ruleId: done.ruleId };
}
