/**
 * What the rules of one load share. A 10,000-service kube-proxy dump says `-p tcp`,
 * `-m tcp --dport 80` and `-j KUBE-MARK-MASQ` tens of thousands of times, and the model is plain
 * immutable data, so equal values are made once: interned names, option value arrays, the
 * values of generic matches (`-p`, `-s`, `-i`...), and what a module's parse made of equal
 * options. Each kind of sharing keeps count of how often it is hit and turns itself off when it
 * does not pay (a DNAT address is new in every rule). A cache lives as long as one load: nothing
 * here is global, so a ruleset never keeps another load's strings alive.
 *
 * This is the hot path of loading a large dump: lookups are by identity where they can be (a
 * canonical option name, an interned value array) rather than by building key strings.
 */

import type { Family, MatchUse, ModuleOption, Negatable, TargetUse } from '../model/index.js';
import type { ExtensionText, Parsed } from '../netfilter/vocabulary.js';
import type { TextScan } from './text-scan.js';
import { TextTable } from './text-table.js';

/** Shared empty arrays: most targets and many matches have no options (readers never write). */
export const NO_VALUES: readonly string[] = Object.freeze([]);
export const NO_OPTIONS: readonly ModuleOption[] = Object.freeze([]);

/** After this many uses, a sharing that is hit less than a quarter of the time turns off. */
const TRIAL = 512;

class HitRate {
  private uses = 0;
  private hits = 0;
  off = false;

  /** Counts a use; returns true when the trial has just ended badly. */
  count(hit: boolean): boolean {
    this.uses++;
    if (hit) this.hits++;
    if (this.uses === TRIAL && this.hits * 4 < this.uses) {
      this.off = true;
      return true;
    }
    return false;
  }
}

/** A trie over a module's options: option name (by `!`), then its interned value array. */
interface MemoNode {
  parsed?: Parsed<unknown>;
  plain?: Map<string, Map<readonly string[], MemoNode>>;
  negated?: Map<string, Map<readonly string[], MemoNode>>;
}

/** A memo node with every field, in one order (see emptyUseNode). */
function emptyMemoNode(): MemoNode {
  return { parsed: undefined, plain: undefined, negated: undefined };
}

interface ModuleMemo {
  readonly rate: HitRate;
  readonly roots: Map<Family, MemoNode>;
}

interface ValuePool {
  readonly rate: HitRate;
  readonly arrays: Map<string, readonly string[]>;
}

/** Options without a position, by `!` and by interned value array. */
interface OptionPool {
  readonly rate: HitRate;
  readonly plain: Map<readonly string[], ModuleOption>;
  readonly negated: Map<readonly string[], ModuleOption>;
}

/** Options of one value, by `!` and by that value's text. */
interface SinglePool {
  readonly rate: HitRate;
  readonly plain: Map<string, ModuleOption>;
  readonly negated: Map<string, ModuleOption>;
}

/**
 * A trie over a module's (shared) option objects: the shared list of those options, and the
 * last position-free use made of them (a match or a target) for a reuse when its data is equal.
 */
export interface UseNode {
  next?: Map<ModuleOption, UseNode>;
  list?: readonly ModuleOption[];
  use?: MatchUse | TargetUse;
  /** The module's parse of these options, per family (modules are pure functions of them). */
  parsed4?: Parsed<unknown>;
  parsed6?: Parsed<unknown>;
}

interface UseRoot {
  readonly rate: HitRate;
  readonly root: UseNode;
}

/**
 * A trie node with every field, in one order: nodes gain their fields in different orders (a
 * list, a use, a parse, children), and JavaScriptCore threw nodeFor's optimized code away
 * (400 exits in a 10k-service check) each time it met a node of a shape it had not seen.
 */
function emptyUseNode(): UseNode {
  return {
    next: undefined,
    list: undefined,
    use: undefined,
    parsed4: undefined,
    parsed6: undefined,
  };
}

/** One generic match's values by text (for one `!`); off when they are seldom equal. */
interface GenericPool {
  readonly rate: HitRate;
  readonly values: Map<string, Negatable<unknown>>;
}

/** The generic matches whose values are shared, each in its own pool. */
export type GenericKind = 'protocol' | 'address4' | 'address6' | 'interface';

const NEGATED_KIND: Readonly<Record<GenericKind, string>> = {
  protocol: '!protocol',
  address4: '!address4',
  address6: '!address6',
  interface: '!interface',
};

export class SpecCache {
  private readonly strings = new Map<string, string>();
  private readonly pools = new Map<string, ValuePool>();
  private readonly generics = new Map<string, GenericPool>();
  private readonly memos = new Map<ExtensionText<unknown>, ModuleMemo>();
  private readonly options = new Map<string, OptionPool>();
  private readonly singles = new Map<string, SinglePool>();
  private readonly matchUses = new Map<string, UseRoot>();
  private readonly targetUses = new Map<string, UseRoot>();
  /**
   * `-m comment --comment TEXT` uses read by SpecReader.readLine, by TEXT: one entry per text,
   * where the general sharing keeps an option, a trie node and a parse per text (a dump has
   * 70,000 texts, most used more than once).
   */
  readonly comments = new TextTable<MatchUse>();
  /**
   * The chains declared by `:CHAIN` lines of the table being read, by name (kept by the save
   * reader): a jump found in a line's text takes the chain's own name without a slice of it.
   * Names it lacks (a chain made by -N) are found by intern().
   */
  readonly chainNames = new TextTable<string>();
  /** Where the text being read holds quotes and the like (set by the save reader). */
  scan: TextScan | undefined;
  /** The rule reader of this load (rule-spec.ts), kept with its reusable drafts. */
  reader: object | undefined;

  /**
   * One position-free option object per equal name, `!` and (interned) values. Options keep no
   * position in the model: errors about them are reported while the line is read.
   */
  option(name: string, negated: boolean, values: readonly string[]): ModuleOption {
    let pool = this.options.get(name);
    if (!pool) {
      pool = { rate: new HitRate(), plain: new Map(), negated: new Map() };
      this.options.set(name, pool);
    }
    if (pool.rate.off) return { name, values, negated };
    const map = negated ? pool.negated : pool.plain;
    const known = map.get(values);
    if (pool.rate.count(known !== undefined)) {
      pool.plain.clear();
      pool.negated.clear();
    }
    if (known) return known;
    const fresh = { name, values, negated };
    if (!pool.rate.off) map.set(values, fresh);
    return fresh;
  }

  /** option() for an option of one value, found by its text in one lookup. */
  option1(name: string, negated: boolean, text: string): ModuleOption {
    let pool = this.singles.get(name);
    if (!pool) {
      pool = { rate: new HitRate(), plain: new Map(), negated: new Map() };
      this.singles.set(name, pool);
    }
    if (pool.rate.off) return { name, values: this.values(name, [text]), negated };
    const map = negated ? pool.negated : pool.plain;
    const known = map.get(text);
    if (pool.rate.count(known !== undefined)) {
      pool.plain.clear();
      pool.negated.clear();
    }
    if (known) return known;
    const fresh = { name, values: [text], negated };
    if (!pool.rate.off) map.set(text, fresh);
    return fresh;
  }

  /**
   * The trie node of a match's or target's option list (`name` is the module or verdict), or
   * undefined when such sharing does not pay for it.
   */
  nodeFor(
    kind: 'match' | 'target',
    name: string,
    options: readonly ModuleOption[],
  ): UseNode | undefined {
    const roots = kind === 'match' ? this.matchUses : this.targetUses;
    let root = roots.get(name);
    if (!root) {
      root = { rate: new HitRate(), root: emptyUseNode() };
      roots.set(name, root);
    }
    if (root.rate.off) return undefined;
    let node = root.root;
    let fresh = false;
    // Indexed: the lists are of several array shapes (a shared empty one, literals, slices).
    for (let k = 0; k < options.length; k++) {
      const o = options[k] as ModuleOption;
      let next = node.next;
      if (!next) {
        next = new Map();
        node.next = next;
      }
      let child = next.get(o);
      if (!child) {
        child = emptyUseNode();
        next.set(o, child);
        fresh = true;
      }
      node = child;
    }
    if (root.rate.count(!fresh && node.list !== undefined)) {
      root.root.next = undefined;
      return undefined;
    }
    return node;
  }

  /**
   * The chains of the table being read, by name (set by the save reader): a jump to one of
   * them takes the chain's own name string, without a table of strings of its own.
   */
  chains: ReadonlyMap<string, { readonly name: string }> | undefined;

  /** One string per distinct chain or target name. */
  intern(text: string): string {
    const chain = this.chains?.get(text);
    if (chain !== undefined) return chain.name;
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  /**
   * The values of one `--option`, as an array shared with every equal use of that option
   * (arrays of several values are keyed by their text, which is rare).
   */
  values(option: string, list: readonly string[]): readonly string[] {
    if (list.length === 0) return NO_VALUES;
    let pool = this.pools.get(option);
    if (!pool) {
      pool = { rate: new HitRate(), arrays: new Map() };
      this.pools.set(option, pool);
    }
    if (pool.rate.off) return list;
    const key = list.length === 1 ? (list[0] as string) : list.join('\u0000');
    const known = pool.arrays.get(key);
    if (pool.rate.count(known !== undefined)) pool.arrays.clear();
    if (known) return known;
    if (!pool.rate.off) pool.arrays.set(key, list);
    return list;
  }

  /** A generic match's value for this text and `!`, if one was made before. */
  generic<T>(kind: GenericKind, negated: boolean, text: string): Negatable<T> | undefined {
    const pool = this.genericPool(negated ? NEGATED_KIND[kind] : kind);
    if (pool.rate.off) return undefined;
    // Every SEP rule's `-s POD/32` is new: such a pool turns off rather than keep them all.
    const known = pool.values.get(text) as Negatable<T> | undefined;
    if (pool.rate.count(known !== undefined)) pool.values.clear();
    return known;
  }

  keepGeneric<T>(kind: GenericKind, text: string, value: Negatable<T>): Negatable<T> {
    const pool = this.genericPool(value.negated ? NEGATED_KIND[kind] : kind);
    if (!pool.rate.off) pool.values.set(text, value);
    return value;
  }

  private genericPool(group: string): GenericPool {
    let pool = this.generics.get(group);
    if (!pool) {
      pool = { rate: new HitRate(), values: new Map() };
      this.generics.set(group, pool);
    }
    return pool;
  }

  /**
   * A module's parse, shared between uses with equal options (same names, `!` and values) in
   * the same family: modules are pure functions of those, and their data is never written.
   * Only successes are kept; an error is reported from the rule's own options every time.
   */
  parse(
    module: ExtensionText<unknown>,
    options: readonly ModuleOption[],
    family: Family,
  ): Parsed<unknown> {
    let memo = this.memos.get(module);
    if (!memo) {
      memo = { rate: new HitRate(), roots: new Map() };
      this.memos.set(module, memo);
    }
    if (memo.rate.off) return module.parse(options, family);
    let node: MemoNode | undefined = memo.roots.get(family);
    if (!node) {
      node = emptyMemoNode();
      memo.roots.set(family, node);
    }
    for (let k = 0; k < options.length; k++) {
      const o = options[k] as ModuleOption;
      let byName: Map<string, Map<readonly string[], MemoNode>> | undefined = o.negated
        ? node.negated
        : node.plain;
      if (!byName) {
        byName = new Map();
        if (o.negated) node.negated = byName;
        else node.plain = byName;
      }
      let byValues: Map<readonly string[], MemoNode> | undefined = byName.get(o.name);
      if (!byValues) {
        byValues = new Map();
        byName.set(o.name, byValues);
      }
      let next: MemoNode | undefined = byValues.get(o.values);
      if (!next) {
        next = emptyMemoNode();
        byValues.set(o.values, next);
      }
      node = next;
    }
    const known = node.parsed;
    if (memo.rate.count(known !== undefined)) memo.roots.clear();
    if (known) return known;
    const parsed = module.parse(options, family);
    if (parsed.ok) node.parsed = parsed;
    return parsed;
  }
}
