/**
 * An nft ruleset made ready to run: each rule's statements turned into operations with their
 * values typed once, `jump`/`goto` and verdict maps pointing at their chains, and every set and
 * map indexed by its exact keys, so that kube-proxy's `service-ips` is one lookup for a packet,
 * however many services it holds. Prefixes and ranges that cannot be a key are scanned.
 */
import type {
  Family,
  NftChain,
  NftElement,
  NftExpr,
  NftRhs,
  NftRule,
  NftRuleset,
  NftSet,
  NftStatement,
  NftTable,
  NftVerdict,
  TableRef,
} from '../../../model/index.js';
import { exprText } from '../../../rules/nft/check.js';
import { unsupportedWhy } from '../../../rules/nft/support.js';
import {
  declaredType,
  isFlagType,
  type NftType,
  partTypes,
  typedValue,
} from '../../../rules/nft/types.js';
import { exactKey, type NftRuntimeValue, passes, type ValueTest, valueTest } from './values.js';

export interface CompiledElement {
  readonly element: NftElement;
  readonly tests: readonly ValueTest[];
  verdict?: CompiledVerdict;
}

export interface CompiledNftSet {
  /** `table/set`: the key of the set's dynamic elements in a run. */
  readonly id: string;
  readonly name: string;
  readonly index: ReadonlyMap<string, CompiledElement>;
  readonly scan: readonly CompiledElement[];
  readonly timeout?: number;
}

export interface CompiledVerdict {
  readonly verdict: NftVerdict;
  chain?: CompiledNftChain;
}

export type NftOp =
  | {
      readonly kind: 'match';
      readonly expr: NftExpr;
      readonly type: NftType | undefined;
      readonly text: string;
      readonly test: (v: NftRuntimeValue | NftRuntimeValue[], lookup: SetLookup) => boolean;
    }
  | { readonly kind: 'counter' }
  | { readonly kind: 'verdict'; readonly verdict: CompiledVerdict }
  | {
      readonly kind: 'vmap';
      readonly expr: NftExpr;
      readonly set: CompiledNftSet;
      readonly text: string;
    }
  | {
      readonly kind: 'set';
      readonly target: 'mark' | 'ct mark' | 'ct zone';
      readonly value: number | NftExpr;
    }
  | { readonly kind: 'nat'; readonly statement: Extract<NftStatement, { kind: 'nat' }> }
  | { readonly kind: 'tproxy'; readonly statement: Extract<NftStatement, { kind: 'tproxy' }> }
  | { readonly kind: 'reject'; readonly with?: string }
  | {
      readonly kind: 'setop';
      readonly op: 'add' | 'update' | 'delete';
      readonly set: CompiledNftSet;
      readonly expr: NftExpr;
    }
  | { readonly kind: 'log'; readonly prefix?: string }
  | { readonly kind: 'notrack' }
  /** A part nfdb does not decide: `what` as written, and why. */
  | { readonly kind: 'gap'; readonly what: string; readonly why: string };

/** How a walk asks for a set's elements, its dynamic ones included. */
export type SetLookup = (
  set: CompiledNftSet,
  key: NftRuntimeValue[],
) => CompiledElement | true | undefined;

export interface CompiledNftRule {
  readonly rule: NftRule;
  readonly index: number;
  readonly ops: readonly NftOp[];
}

export interface CompiledNftChain {
  readonly chain: NftChain;
  readonly rules: readonly CompiledNftRule[];
}

export interface CompiledNftTable {
  readonly table: NftTable;
  readonly ref: TableRef;
  readonly chains: ReadonlyMap<string, CompiledNftChain>;
}

/** Which packet families a table sees. */
export function tableFamilies(table: NftTable): readonly Family[] {
  if (table.family === 'ip') return ['ipv4'];
  if (table.family === 'ip6') return ['ipv6'];
  if (table.family === 'inet') return ['ipv4', 'ipv6'];
  return [];
}

function tableRef(table: NftTable): TableRef {
  const family = table.family === 'ip' ? 'ipv4' : table.family === 'ip6' ? 'ipv6' : 'inet';
  return { family, name: table.name };
}

class TableCompiler {
  readonly sets = new Map<string, CompiledNftSet>();
  readonly chains = new Map<string, CompiledNftChain>();
  private readonly verdicts: CompiledVerdict[] = [];
  private anonymous = 0;

  constructor(private readonly table: NftTable) {}

  private verdict(v: NftVerdict): CompiledVerdict {
    const c: CompiledVerdict = { verdict: v };
    this.verdicts.push(c);
    return c;
  }

  private compileSet(
    id: string,
    name: string,
    types: readonly (NftType | undefined)[],
    elements: readonly NftElement[],
    timeout?: number,
  ): CompiledNftSet {
    const index = new Map<string, CompiledElement>();
    const scan: CompiledElement[] = [];
    for (const element of elements) {
      const tests: ValueTest[] = [];
      for (const [i, part] of element.key.entries()) {
        const type = types[i];
        const datum = type && typedValue(part.text, type);
        const test = datum && valueTest(datum);
        if (test) tests.push(test);
      }
      if (tests.length !== element.key.length) continue;
      const compiled: CompiledElement = {
        element,
        tests,
        ...(element.verdict ? { verdict: this.verdict(element.verdict) } : {}),
      };
      const keys = tests.map(exactKey);
      if (keys.every((k) => k !== undefined)) {
        const key = keys.join('\u0000');
        if (!index.has(key)) index.set(key, compiled);
      } else scan.push(compiled);
    }
    return { id, name, index, scan, ...(timeout === undefined ? {} : { timeout }) };
  }

  private namedSet(name: string): CompiledNftSet {
    const found = this.sets.get(name);
    if (found) return found;
    // A set the text did not declare (istio-cni makes it first): empty.
    const empty = this.compileSet(`${this.table.name}/${name}`, name, [], []);
    this.sets.set(name, empty);
    return empty;
  }

  private setOf(rhs: NftRhs, types: readonly (NftType | undefined)[]): CompiledNftSet | undefined {
    if (rhs.kind === 'named') return this.namedSet(rhs.name);
    if (rhs.kind === 'anonymous')
      return this.compileSet(
        `${this.table.name}/__anon${this.anonymous++}`,
        '',
        types,
        rhs.elements,
      );
    return undefined;
  }

  private match(s: Extract<NftStatement, { kind: 'match' }>): NftOp {
    const why = unsupportedWhy(s.left);
    const text = exprText(s.left);
    if (why) return { kind: 'gap', what: text, why };
    const types = partTypes(s.left);
    const type = types[0];
    const negated = s.op === '!=';
    const set = this.setOf(s.right, types);
    if (set) {
      return {
        kind: 'match',
        expr: s.left,
        type,
        text,
        test: (v, lookup) => (lookup(set, Array.isArray(v) ? v : [v]) !== undefined) !== negated,
      };
    }
    const values =
      s.right.kind === 'value' ? [s.right.value] : s.right.kind === 'list' ? s.right.values : [];
    const data = values.map((v) => (type ? typedValue(v.text, type) : undefined));
    for (const [i, d] of data.entries())
      if (!d || d.kind === 'symbolic')
        return {
          kind: 'gap',
          what: `${text} ${values[i]?.text}`,
          why: d?.kind === 'symbolic' ? d.why : 'the value cannot be typed',
        };
    const tests = data
      .map((d) => valueTest(d as NonNullable<typeof d>))
      .filter((t): t is ValueTest => t !== undefined);
    if (isFlagType(type) && s.op !== '==' && tests.every((t) => t.kind === 'number')) {
      const mask = tests.reduce((m, t) => m | (t.kind === 'number' ? t.lo : 0), 0);
      return {
        kind: 'match',
        expr: s.left,
        type,
        text,
        test: (v) => typeof v === 'number' && ((v & mask) !== 0) !== negated,
      };
    }
    const first = tests[0];
    if (s.op === '<' || s.op === '>' || s.op === '<=' || s.op === '>=') {
      const bound = first?.kind === 'number' ? first.lo : 0;
      const op = s.op;
      return {
        kind: 'match',
        expr: s.left,
        type,
        text,
        test: (v) =>
          typeof v === 'number' &&
          (op === '<' ? v < bound : op === '>' ? v > bound : op === '<=' ? v <= bound : v >= bound),
      };
    }
    return {
      kind: 'match',
      expr: s.left,
      type,
      text,
      test: (v) => !Array.isArray(v) && tests.some((t) => passes(t, v)) !== negated,
    };
  }

  private setStatement(s: Extract<NftStatement, { kind: 'set' }>): NftOp {
    const t = s.target;
    const target =
      t.kind === 'meta' && t.key === 'mark'
        ? 'mark'
        : t.kind === 'ct' && t.key === 'mark'
          ? 'ct mark'
          : t.kind === 'ct' && t.key === 'zone'
            ? 'ct zone'
            : undefined;
    if (!target)
      return {
        kind: 'gap',
        what: `${exprText(t)} set`,
        why: `setting ${exprText(t)} is not simulated`,
      };
    if ('text' in s.value) {
      const d = typedValue(s.value.text, 'integer');
      if (d?.kind !== 'number')
        return {
          kind: 'gap',
          what: `${exprText(t)} set ${s.value.text}`,
          why: 'the value cannot be typed',
        };
      return { kind: 'set', target, value: d.lo };
    }
    const why = unsupportedWhy(s.value);
    if (why) return { kind: 'gap', what: exprText(s.value), why };
    return { kind: 'set', target, value: s.value };
  }

  private op(s: NftStatement): NftOp {
    switch (s.kind) {
      case 'match':
        return this.match(s);
      case 'counter':
        return { kind: 'counter' };
      case 'verdict':
        return { kind: 'verdict', verdict: this.verdict(s.verdict) };
      case 'vmap': {
        const why = unsupportedWhy(s.key);
        if (why) return { kind: 'gap', what: exprText(s.key), why };
        const set = this.setOf(s.map, partTypes(s.key)) as CompiledNftSet;
        return { kind: 'vmap', expr: s.key, set, text: exprText(s.key) };
      }
      case 'set':
        return this.setStatement(s);
      case 'nat':
        return { kind: 'nat', statement: s };
      case 'tproxy':
        return { kind: 'tproxy', statement: s };
      case 'reject':
        return { kind: 'reject', ...(s.with === undefined ? {} : { with: s.with }) };
      case 'setop': {
        const why = unsupportedWhy(s.key);
        if (why) return { kind: 'gap', what: exprText(s.key), why };
        return { kind: 'setop', op: s.op, set: this.namedSet(s.set), expr: s.key };
      }
      case 'log':
        return { kind: 'log', ...(s.prefix === undefined ? {} : { prefix: s.prefix }) };
      case 'notrack':
        return { kind: 'notrack' };
      case 'unsupported':
        return { kind: 'gap', what: s.text, why: s.why };
    }
  }

  compile(): CompiledNftTable {
    for (const set of this.table.sets) {
      const types = set.keyType.map(declaredType);
      this.sets.set(
        set.name,
        this.compileSet(
          `${this.table.name}/${set.name}`,
          set.name,
          types,
          set.elements,
          set.timeout,
        ),
      );
    }
    for (const chain of this.table.chains)
      this.chains.set(chain.name, {
        chain,
        rules: chain.rules.map((rule, index) => ({
          rule,
          index,
          ops: rule.statements.map((s) => this.op(s)),
        })),
      });
    for (const v of this.verdicts)
      if (v.verdict.kind === 'jump' || v.verdict.kind === 'goto')
        v.chain = this.chains.get(v.verdict.chain);
    return { table: this.table, ref: tableRef(this.table), chains: this.chains };
  }
}

export function compileNftTable(table: NftTable): CompiledNftTable {
  return new TableCompiler(table).compile();
}

/** Compiles every table once (rulesets are immutable: cached by identity). */
const cache = new WeakMap<NftRuleset, readonly CompiledNftTable[]>();

export function compileNft(ruleset: NftRuleset): readonly CompiledNftTable[] {
  const hit = cache.get(ruleset);
  if (hit) return hit;
  const compiled = ruleset.tables.map(compileNftTable);
  cache.set(ruleset, compiled);
  return compiled;
}

export type { NftSet };
