/**
 * Builds a Ruleset from the commands a file holds (-N, -P, -A, -I, -X, -F, chain lines),
 * mutably and in one pass, then freezes it once: a 230,000-line dump must not copy chain
 * arrays per rule. Rule ids are given in creation order and never reused.
 */
import {
  type Backend,
  BUILTIN_CHAINS,
  type Chain,
  type Counters,
  type Diagnostic,
  type Family,
  type Rule,
  type Ruleset,
  type SourcePos,
  type Table,
  type TableName,
  ZERO_COUNTERS,
} from '../model/index.js';
import { didYouMean } from './did-you-mean.js';
import type { RuleDraft } from './rule-spec.js';

/**
 * A chain while the file is read: the very object the ruleset keeps (build() hands it out, no
 * copy: a dump has 60,000 chains), so its properties are exactly a Chain's, in a Chain's order.
 */
interface ChainDraft {
  name: string;
  builtin: boolean;
  policy: 'ACCEPT' | 'DROP' | undefined;
  counters: Counters;
  rules: Rule[];
  origin: SourcePos;
  absent: true | undefined;
  uncounted: true | undefined;
}

interface TableDraft {
  name: TableName;
  chains: Map<string, ChainDraft>;
  origin: SourcePos;
  /** Its chains in the order they were declared (a removed one stays). */
  order: ChainDraft[];
  /** Set when -X removed a chain: a chain in `order` may then be one no longer in the table. */
  deletedAny: boolean;
}

/** Rule lists up to this long are kept at their exact size while they are built. */
const EXACT_UP_TO = 8;

/**
 * `rules` and `rule` in a new array of their exact size, for short lists: literals for the
 * lengths a dump's chains mostly have (concat is a generic builtin, several times slower).
 */
function appended(rules: Rule[], rule: Rule): Rule[] {
  switch (rules.length) {
    case 0:
      return [rule];
    case 1:
      return [rules[0] as Rule, rule];
    case 2:
      return [rules[0] as Rule, rules[1] as Rule, rule];
    case 3:
      return [rules[0] as Rule, rules[1] as Rule, rules[2] as Rule, rule];
    case 4:
      return [rules[0] as Rule, rules[1] as Rule, rules[2] as Rule, rules[3] as Rule, rule];
    default:
      return rules.concat(rule);
  }
}

/**
 * The rule a draft makes, with every field of a Rule in one order (one object shape for the
 * engine). The draft's matches are taken as they are: the caller gives a draft of its own.
 */
export function draftRule(draft: RuleDraft, id: string, origin: SourcePos): Rule {
  return {
    id,
    protocol: draft.protocol,
    source: draft.source,
    destination: draft.destination,
    inInterface: draft.inInterface,
    outInterface: draft.outInterface,
    fragment: draft.fragment,
    matches: draft.matches,
    target: draft.target,
    targetColumn: draft.targetColumn,
    counters: draft.counters ?? ZERO_COUNTERS,
    origin,
  };
}

/** iptables-nft lists tables in this order (its table enum). */
export const TABLE_ORDER: readonly TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** Why the kernel would not delete a user chain: rules in it, or rules that jump to it. */
function busyReason(table: TableDraft, chain: ChainDraft): string | undefined {
  const n = chain.rules.length;
  if (n > 0) return `it has ${n} rule${n === 1 ? '' : 's'}`;
  for (const other of table.chains.values())
    for (const r of other.rules) {
      const t = r.target;
      if ((t?.kind === 'jump' || t?.kind === 'goto') && t.name === chain.name)
        return `chain ${other.name} jumps to it`;
    }
  return undefined;
}

export class RulesetBuilder {
  private readonly tables = new Map<TableName, TableDraft>();
  private nextId = 1;
  /** The chain of the previous rule: a dump appends to one chain for many lines in a row. */
  private lastTable: TableDraft | undefined;
  private lastChain: ChainDraft | undefined;
  /** Where lastChain is in its table's `order`, or -1 when that is not known. */
  private lastIndex = -1;

  constructor(
    readonly family: Family,
    private readonly diagnostics: Diagnostic[],
    readonly backend: Backend = 'nft',
  ) {}

  error(pos: SourcePos, message: string, expected?: string, found?: string): void {
    this.diagnostics.push({ severity: 'error', message, expected, found, pos });
  }

  /**
   * Opens a table, creating its built-in chains with policy ACCEPT as the kernel does: under
   * legacy all of them, each counting its policy; under nft none yet (each is `absent` until a
   * command names it, see `named` and `setPolicy`).
   */
  table(name: TableName, origin: SourcePos, flush = false): TableDraft {
    let table = this.tables.get(name);
    if (!table || flush) {
      table = { name, chains: new Map(), origin, order: [], deletedAny: false };
      const nft = this.backend === 'nft' ? true : undefined;
      for (const chain of BUILTIN_CHAINS[name]) {
        this.add(table, {
          name: chain,
          builtin: true,
          policy: 'ACCEPT',
          counters: ZERO_COUNTERS,
          rules: [],
          origin,
          absent: nft,
          uncounted: nft,
        });
      }
      this.tables.set(name, table);
    }
    return table;
  }

  chain(table: TableDraft, name: string, pos: SourcePos): ChainDraft | undefined {
    const last = this.lastChain;
    const order = table.order;
    if (last && this.lastTable === table) {
      if (last.name === name) return last;
      // A save file appends to its chains in the order it declared them: try the next one
      // before a lookup by name. It must still be the table's chain of that name.
      const next = this.lastIndex < 0 ? undefined : order[this.lastIndex + 1];
      if (
        next !== undefined &&
        next.name === name &&
        (!table.deletedAny || table.chains.get(name) === next)
      ) {
        this.lastChain = next;
        this.lastIndex++;
        return next;
      }
    }
    const chain = table.chains.get(name);
    // Where it is in `order`: a little after the last one when chains without rules were
    // skipped (a save file's order), else not known until the next lookup.
    let index = -1;
    if (chain) {
      const from = this.lastTable === table ? this.lastIndex + 1 : 0;
      const to = Math.min(order.length, from + 16);
      for (let k = from; k < to; k++) {
        if (order[k] === chain) {
          index = k;
          break;
        }
      }
    }
    this.lastTable = table;
    this.lastChain = chain;
    this.lastIndex = index;
    if (!chain) {
      this.error(
        pos,
        `chain "${name}" does not exist in table ${table.name}${didYouMean(name, table.chains.keys())}`,
        'a chain declared before use (-N or :CHAIN)',
        name,
      );
    }
    return chain;
  }

  /** `:NAME POLICY [p:b]` in a save file, or `-N NAME`. */
  declare(
    table: TableDraft,
    name: string,
    policy: string,
    counters: Counters,
    pos: SourcePos,
    strict: boolean,
  ): void {
    const existing = table.chains.get(name);
    if (existing?.builtin) {
      if (policy === '-') {
        this.error(pos, `built-in chain ${name} needs a policy`, 'ACCEPT or DROP', '-');
        return;
      }
      this.setPolicy(table, name, policy, pos, counters);
      return;
    }
    if (policy !== '-') {
      this.error(pos, `user-defined chain "${name}" cannot have a policy`, '-', policy);
      return;
    }
    if (existing) {
      if (strict) this.error(pos, `chain "${name}" already exists`, 'a new chain name', name);
      return;
    }
    if (name.length > 28 || name.startsWith('-') || name === '!') {
      this.error(
        pos,
        `invalid chain name "${name}"`,
        'at most 28 characters, not starting with "-"',
        name,
      );
      return;
    }
    this.add(table, {
      name,
      builtin: false,
      policy: undefined,
      counters,
      rules: [],
      origin: pos,
      absent: undefined,
      uncounted: undefined,
    });
  }

  private add(table: TableDraft, chain: ChainDraft): void {
    table.chains.set(chain.name, chain);
    table.order.push(chain);
  }

  /**
   * `-P NAME POLICY`, or a built-in's `:NAME POLICY [p:b]`. A problem with the chain is reported
   * at `pos` (the chain name), a bad policy at `policyPos` (the policy word) when there is one.
   */
  setPolicy(
    table: TableDraft,
    name: string,
    policy: string,
    pos: SourcePos,
    counters?: Counters,
    policyPos: SourcePos = pos,
  ): void {
    const chain = this.chain(table, name, pos);
    if (!chain) return;
    if (!chain.builtin) {
      this.error(
        pos,
        `user-defined chain "${name}" cannot have a policy`,
        'a built-in chain',
        name,
      );
      return;
    }
    if (policy !== 'ACCEPT' && policy !== 'DROP') {
      this.error(policyPos, `bad policy "${policy}"`, 'ACCEPT or DROP', policy);
      return;
    }
    chain.policy = policy;
    if (counters) chain.counters = counters;
    // iptables-nft makes the base chain with its counters when it is given a policy.
    chain.absent = undefined;
    chain.uncounted = undefined;
  }

  addRule(
    table: TableDraft,
    chainName: string,
    draft: RuleDraft,
    pos: SourcePos,
    at?: number,
  ): void {
    const chain = this.chain(table, chainName, pos);
    if (!chain) return;
    this.insert(chain, chainName, draft, pos, at);
  }

  /**
   * addRule(table, text.slice(from, to), draft, pos): the chain of the last rule, or the next
   * one declared, is recognised in the text without slicing its name.
   */
  appendAt(
    table: TableDraft,
    text: string,
    from: number,
    to: number,
    draft: RuleDraft,
    pos: SourcePos,
  ): void {
    const last = this.lastChain;
    const n = to - from;
    if (last && this.lastTable === table) {
      if (last.name.length === n && text.startsWith(last.name, from)) {
        this.insert(last, last.name, draft, pos, undefined);
        return;
      }
      const next = this.lastIndex < 0 ? undefined : table.order[this.lastIndex + 1];
      if (
        next !== undefined &&
        next.name.length === n &&
        text.startsWith(next.name, from) &&
        (!table.deletedAny || table.chains.get(next.name) === next)
      ) {
        this.lastChain = next;
        this.lastIndex++;
        this.insert(next, next.name, draft, pos, undefined);
        return;
      }
    }
    this.addRule(table, text.slice(from, to), draft, pos);
  }

  private insert(
    chain: ChainDraft,
    chainName: string,
    draft: RuleDraft,
    pos: SourcePos,
    at: number | undefined,
  ): void {
    if (draft.sourceList === undefined && draft.destinationList === undefined) {
      this.insertOne(chain, chainName, draft, pos, at);
      return;
    }
    // iptables' loop: a rule per source, then per destination, each added as the command
    // says (so `-I` puts each before the one added before it).
    for (const source of draft.sourceList ?? [draft.source])
      for (const destination of draft.destinationList ?? [draft.destination])
        this.insertOne(chain, chainName, { ...draft, source, destination }, pos, at);
  }

  private insertOne(
    chain: ChainDraft,
    chainName: string,
    draft: RuleDraft,
    pos: SourcePos,
    at: number | undefined,
  ): void {
    // iptables-nft makes a built-in chain a rule is added to, without a policy counter.
    chain.absent = undefined;
    const rule = draftRule(draft, `r${this.nextId++}`, pos);
    if (at === undefined) {
      const rules = chain.rules;
      // A pushed-to array keeps room to grow (17 slots for 2 rules), and a dump has 60,000
      // chains of a few rules: up to EXACT_UP_TO rules, the list is made anew at its size.
      if (rules.length < EXACT_UP_TO) chain.rules = appended(rules, rule);
      else rules.push(rule);
      return;
    }
    if (at < 1 || at > chain.rules.length + 1) {
      this.error(
        pos,
        `rule number ${at} is out of range for chain ${chainName}`,
        `1-${chain.rules.length + 1}`,
        String(at),
      );
      return;
    }
    chain.rules.splice(at - 1, 0, rule);
  }

  flush(table: TableDraft, chainName: string | undefined, pos: SourcePos): void {
    if (chainName === undefined) {
      for (const chain of table.chains.values()) chain.rules = [];
      return;
    }
    const chain = this.chain(table, chainName, pos);
    if (!chain) return;
    chain.rules = [];
    // `-F CHAIN` names the chain: iptables-nft makes it (uncounted) if it was not there.
    chain.absent = undefined;
  }

  deleteChain(table: TableDraft, chainName: string | undefined, pos: SourcePos): void {
    const names =
      chainName === undefined
        ? [...table.chains.values()].filter((c) => !c.builtin).map((c) => c.name)
        : [chainName];
    for (const name of names) {
      const chain = this.chain(table, name, pos);
      if (!chain) continue;
      if (chain.builtin) {
        this.error(pos, `cannot delete built-in chain ${name}`, 'a user-defined chain', name);
        continue;
      }
      const busy = busyReason(table, chain);
      if (busy) {
        // Both backends refuse it (legacy: ENOTEMPTY/EMLINK; nft: "Device or resource busy").
        this.error(
          pos,
          `cannot delete chain ${name}: ${busy} (the kernel: Device or resource busy)`,
          busy.startsWith('it has') ? `-F ${name} before -X` : `no rule jumping to ${name}`,
          name,
        );
        continue;
      }
      table.chains.delete(name);
      table.deletedAny = true;
      this.lastChain = undefined;
      this.lastIndex = -1;
    }
  }

  hasTables(): boolean {
    return this.tables.size > 0;
  }

  build(): Ruleset {
    const tables: Table[] = [];
    for (const name of TABLE_ORDER) {
      const draft = this.tables.get(name);
      if (!draft) continue;
      const builtins = BUILTIN_CHAINS[name].map((n) => draft.chains.get(n) as ChainDraft);
      const users = [...draft.chains.values()].filter((c) => !c.builtin);
      // A save file lists its chains sorted already: check in one pass before sorting.
      let sorted = true;
      for (let i = 1; i < users.length && sorted; i++) {
        sorted = (users[i - 1] as ChainDraft).name <= (users[i] as ChainDraft).name;
      }
      if (!sorted) users.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const chains: Chain[] = [...builtins, ...users];
      // The drafts are the chains (see ChainDraft). Short rule lists are exact already (see
      // addRule); a long one loses its spare room.
      for (const c of chains as ChainDraft[]) {
        if (c.rules.length > EXACT_UP_TO) c.rules = c.rules.slice();
      }
      tables.push({ name, chains, origin: draft.origin });
    }
    return { family: this.family, tables, backend: this.backend };
  }
}
