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
import type { ExtensionText, Parsed } from '../netfilter/vocabulary.js';
import type { Family, ModuleOption, Negatable } from './model.js';

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

interface ModuleMemo {
  readonly rate: HitRate;
  readonly roots: Map<Family, MemoNode>;
}

interface ValuePool {
  readonly rate: HitRate;
  readonly arrays: Map<string, readonly string[]>;
}

/** The generic matches whose values are shared, each in its own pool. */
export type GenericKind = 'protocol' | 'address4' | 'address6' | 'interface';

export class SpecCache {
  private readonly strings = new Map<string, string>();
  private readonly pools = new Map<string, ValuePool>();
  private readonly generics = new Map<string, Map<string, Negatable<unknown>>>();
  private readonly memos = new Map<ExtensionText<unknown>, ModuleMemo>();

  /** One string per distinct chain or target name. */
  intern(text: string): string {
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
    return this.generics.get(negated ? `!${kind}` : kind)?.get(text) as Negatable<T> | undefined;
  }

  keepGeneric<T>(kind: GenericKind, text: string, value: Negatable<T>): Negatable<T> {
    const group = value.negated ? `!${kind}` : kind;
    let map = this.generics.get(group);
    if (!map) {
      map = new Map();
      this.generics.set(group, map);
    }
    map.set(text, value);
    return value;
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
      node = {};
      memo.roots.set(family, node);
    }
    for (const o of options) {
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
        next = {};
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
