/**
 * Most xtables extensions are a handful of `[!] --option value` pairs that iptables-save prints
 * in a fixed order with canonical values. This factory builds such a module from a table of
 * options, each with its value reader; the module file then only adds its listing text and its
 * semantics. Modules with odd rules (tcp's --syn) are written out by hand instead.
 */
import type { Backend, Family, ModuleOption, Packet, TargetEffect } from '../model/index.js';
import { bang, fail, type GivenOption, group, isError, type OptionSpec, ok } from './extension.js';
import type { ListingPhrase } from './listing-phrase.js';
import type {
  ExtensionText,
  MatchContext,
  MatchModule,
  MatchResult,
  ModuleError,
  Parsed,
  Placement,
  SymbolicValue,
  TargetContext,
  TargetModule,
} from './vocabulary.js';

/** A value read from option text: what the engine uses, and how iptables-save prints it. */
export interface Value<V> {
  readonly value: V;
  readonly text: string;
}

export type ValueReader<V> = (values: readonly string[], family: Family) => Value<V> | string;

export interface OptionDef<V = unknown> {
  readonly arity: number;
  readonly aliases?: readonly string[];
  /** Returns the value or, on error, what was expected. Flags (arity 0) may omit it. */
  readonly read?: ValueReader<V>;
  /** Whether `!` is allowed before it. */
  readonly negatable?: boolean;
  /** Whether it may be given twice (the kernel tools refuse that for most options). */
  readonly repeatable?: boolean;
}

export interface Given<V = unknown> {
  readonly value: V;
  readonly text: string;
  readonly negated: boolean;
}

/** Parsed options of any module by canonical name, for helpers modules share. */
export type Options = Readonly<Record<string, Given | undefined>>;

/** A module's option table: how each option reads its value. */
export type OptionDefs = Readonly<Record<string, OptionDef>>;

/** The value an option's reader gives; a flag (no reader) is `true` when given. */
type ValueOf<D> = D extends { readonly read: ValueReader<infer V> } ? V : boolean;

/** A module's parsed options, each typed by its reader: what save, list and match receive. */
export type OptionsOf<T extends OptionDefs> = {
  readonly [K in keyof T]?: Given<ValueOf<T[K]>>;
};

interface Spec<T extends OptionDefs> {
  readonly name: string;
  readonly unsimulated?: string;
  readonly assumed?: string;
  /** Options in the order iptables-save prints them. */
  readonly options: T;
  /** Which options must, may not, or must also be given together, as the kernel tools say. */
  readonly combine?: Combination;
  /** Canonicalises after reading: defaults iptables fills in, merged options. */
  readonly complete?: (options: OptionsOf<T>, family: Family) => OptionsOf<T> | string;
  readonly check?: (options: OptionsOf<T>, where: Placement) => string | undefined;
  /** See ExtensionText.checksProtocolOnly. */
  readonly checksProtocolOnly?: true;
  readonly checkBackend?: (
    options: OptionsOf<T>,
    where: Placement,
    backend: Backend,
  ) => string | undefined;
  readonly list: (options: OptionsOf<T>) => string;
  readonly listing: readonly ListingPhrase[];
  readonly examples: readonly string[];
  readonly symbolic?: (options: OptionsOf<T>, given: readonly ModuleOption[]) => SymbolicValue[];
  readonly sets?: (options: OptionsOf<T>) => readonly string[];
  readonly keepsOptionPositions?: boolean;
  /** Printing, when it is not the plain `[!] --name text` sequence. */
  readonly save?: (options: OptionsOf<T>) => string;
}

function table(options: OptionDefs): Record<string, OptionSpec> {
  const result: Record<string, OptionSpec> = {};
  for (const [name, def] of Object.entries(options)) {
    const spec = { canonical: name, arity: def.arity, repeatable: def.repeatable };
    result[name] = spec;
    for (const alias of def.aliases ?? []) result[alias] = spec;
  }
  return result;
}

export function saveOptions(options: Options, order: readonly string[]): string {
  const parts: string[] = [];
  for (const name of order) {
    const given = options[name];
    if (!given) continue;
    parts.push(`${bang(given.negated)}--${name}${given.text === '' ? '' : ` ${given.text}`}`);
  }
  return parts.join(' ');
}

/** Reads one grouped option into `parsed`: undefined, or the failure to return. */
function readGiven(
  module: string,
  def: OptionDef,
  parsed: Record<string, Given>,
  name: string,
  given: GivenOption,
  family: Family,
): ModuleError | undefined {
  if (given.negated && !def.negatable) {
    return {
      message: `${module}: "--${name}" cannot be inverted with "!"`,
      expected: `--${name} without !`,
      found: `! --${name}`,
      optionIndex: given.index,
    };
  }
  const read = def.read ? def.read(given.values, family) : { value: true, text: '' };
  if (typeof read === 'string') {
    return {
      message: `${module}: bad value for "--${name}"`,
      expected: read,
      found: given.values.join(' ') || 'nothing',
      optionIndex: given.index,
    };
  }
  parsed[name] = { value: read.value, text: read.text, negated: given.negated };
  return undefined;
}

/** Each option read by its own reader, so the result holds what OptionsOf<T> says it holds. */
function readAll<T extends OptionDefs>(
  spec: Spec<T>,
  optionTable: Record<string, OptionSpec>,
  options: readonly ModuleOption[],
  family: Family,
): OptionsOf<T> | ModuleError {
  const parsed: Record<string, Given> = {};
  const defs: OptionDefs = spec.options;
  const only = options.length === 1 ? (options[0] as ModuleOption) : undefined;
  const onlySpec = only === undefined ? undefined : optionTable[only.name];
  if (only !== undefined && onlySpec !== undefined && only.values.length >= onlySpec.arity) {
    // One known option with its values (a comment, a DNAT's address): what group() would
    // give for it, without a Map per rule.
    const given = { values: only.values, negated: only.negated, index: 0 };
    const name = onlySpec.canonical;
    const failed = readGiven(spec.name, defs[name] as OptionDef, parsed, name, given, family);
    if (failed) return failed;
  } else {
    const g = group(spec.name, options, optionTable);
    if (isError(g)) return g;
    for (const [name, given] of g) {
      const failed = readGiven(spec.name, defs[name] as OptionDef, parsed, name, given, family);
      if (failed) return failed;
    }
  }
  return parsed as OptionsOf<T>;
}

function parseWith<T extends OptionDefs>(spec: Spec<T>, optionTable: Record<string, OptionSpec>) {
  const combine = spec.combine && flatCombination(spec.combine);
  return (options: readonly ModuleOption[], family: Family): Parsed<OptionsOf<T>> => {
    const parsed = readAll(spec, optionTable, options, family);
    if (isError(parsed)) return { ok: false, ...parsed };
    const wrong =
      spec.combine &&
      combine &&
      !combinationHolds(combine, parsed) &&
      combinationError(spec.name, spec.combine, parsed, options, optionTable);
    if (wrong) return { ok: false, ...wrong };
    const completed = spec.complete ? spec.complete(parsed, family) : parsed;
    if (typeof completed === 'string') return fail(`${spec.name}: ${completed}`);
    return ok(completed);
  };
}

/**
 * The kernel tools' rules on combining a module's options (xtables' X6 flags: mandatory,
 * excluded, also-requires), by canonical name.
 */
export interface Combination {
  /** Each group needs one of its options: `[['hashlimit-upto', 'hashlimit-above']]`. */
  readonly required?: readonly (readonly string[])[];
  /** Pairs that exclude each other. */
  readonly conflicts?: readonly (readonly [string, string])[];
  /** An option that needs others: `{ every: ['packet'] }`. */
  readonly needs?: Readonly<Record<string, readonly string[]>>;
  /** An option that must come after another: `{ 'suppl-groups': 'gid-owner' }`. */
  readonly after?: Readonly<Record<string, string>>;
}

/** A Combination as flat lists, made once per module (see combinationHolds). */
interface FlatCombination {
  readonly required: readonly (readonly string[])[];
  readonly conflicts: readonly (readonly [string, string])[];
  readonly needs: readonly (readonly [string, readonly string[]])[];
  readonly after: readonly string[];
}

function flatCombination(rules: Combination): FlatCombination {
  return {
    required: rules.required ?? [],
    conflicts: rules.conflicts ?? [],
    needs: Object.entries(rules.needs ?? {}),
    after: Object.keys(rules.after ?? {}),
  };
}

/**
 * Whether the given options break none of the rules, answered without closures or entries:
 * every use of a module asks (170,000 times in a kube-proxy dump), and Bun's JavaScriptCore
 * spent 64 ms at 10k services in combinationError's closures. A rule on order (`after`) is left
 * to combinationError whenever its option is given, since it needs the options' positions.
 */
function combinationHolds(rules: FlatCombination, given: Options): boolean {
  for (let g = 0; g < rules.required.length; g++) {
    const group = rules.required[g] as readonly string[];
    let any = false;
    for (let k = 0; k < group.length && !any; k++) any = given[group[k] as string] !== undefined;
    if (!any) return false;
  }
  for (let c = 0; c < rules.conflicts.length; c++) {
    const [a, b] = rules.conflicts[c] as readonly [string, string];
    if (given[a] !== undefined && given[b] !== undefined) return false;
  }
  for (let n = 0; n < rules.needs.length; n++) {
    const [name, needed] = rules.needs[n] as readonly [string, readonly string[]];
    if (given[name] === undefined) continue;
    for (let k = 0; k < needed.length; k++)
      if (given[needed[k] as string] === undefined) return false;
  }
  for (let a = 0; a < rules.after.length; a++)
    if (given[rules.after[a] as string] !== undefined) return false;
  return true;
}

function combinationError(
  module: string,
  rules: Combination,
  given: Options,
  options: readonly ModuleOption[],
  table: Record<string, OptionSpec>,
): ModuleError | undefined {
  const at = (name: string) => options.findIndex((o) => table[o.name]?.canonical === name);
  const has = (name: string) => given[name] !== undefined;
  for (const group of rules.required ?? []) {
    if (group.some(has)) continue;
    const names = group.map((n) => `"--${n}"`).join(' or ');
    return {
      message: `${module}: option ${names} must be specified`,
      expected: group.map((n) => `--${n}`).join(' or '),
      found: options.length === 0 ? 'no option' : 'none of them',
    };
  }
  for (const [a, b] of rules.conflicts ?? []) {
    if (!has(a) || !has(b)) continue;
    const [first, second] = at(a) < at(b) ? [a, b] : [b, a];
    return {
      message: `${module}: option "--${second}" cannot be used together with "--${first}"`,
      expected: `--${first} or --${second}, not both`,
      found: `--${first} and --${second}`,
      optionIndex: at(second),
    };
  }
  for (const [name, first] of Object.entries(rules.after ?? {})) {
    if (!has(name) || (has(first) && at(first) < at(name))) continue;
    return {
      message: `${module}: option "--${name}" needs "--${first}" before it`,
      expected: `--${first} before --${name}`,
      found: has(first) ? `--${name} first` : `--${name} alone`,
      optionIndex: at(name),
    };
  }
  for (const [name, needed] of Object.entries(rules.needs ?? {})) {
    const missing = has(name) ? needed.find((n) => !has(n)) : undefined;
    if (missing === undefined) continue;
    return {
      message: `${module}: option "--${name}" also requires "--${missing}"`,
      expected: `--${missing} with --${name}`,
      found: `--${name} alone`,
      optionIndex: at(name),
    };
  }
  return undefined;
}

/** What a match and a target built from a spec share: reading, checking and writing. */
function textOf<T extends OptionDefs>(spec: Spec<T>): ExtensionText<OptionsOf<T>> {
  const optionTable = table(spec.options);
  const order = Object.keys(spec.options);
  return {
    name: spec.name,
    unsimulated: spec.unsimulated,
    assumed: spec.assumed,
    options: optionTable,
    parse: parseWith(spec, optionTable),
    check: spec.check,
    checksProtocolOnly: spec.checksProtocolOnly,
    checkBackend: spec.checkBackend,
    save: spec.save ?? ((o) => saveOptions(o, order)),
    list: spec.list,
    listing: spec.listing,
    examples: spec.examples,
    symbolic: spec.symbolic,
    sets: spec.sets,
    keepsOptionPositions: spec.keepsOptionPositions,
  };
}

export function defineMatch<T extends OptionDefs>(
  spec: Spec<T> & {
    match: (o: OptionsOf<T>, packet: Packet, ctx: MatchContext) => MatchResult;
  },
): MatchModule<OptionsOf<T>> {
  return { kind: 'match', ...textOf(spec), match: spec.match };
}

export function defineTarget<T extends OptionDefs>(
  spec: Spec<T> & {
    act: (o: OptionsOf<T>, packet: Packet, ctx: TargetContext) => TargetEffect;
  },
): TargetModule<OptionsOf<T>> {
  return { kind: 'target', ...textOf(spec), act: spec.act };
}

// Value readers shared by modules.

export const text: ValueReader<string> = (values) => ({
  value: values[0] ?? '',
  text: values[0] ?? '',
});

export function uint(max: number, expected: string, min = 0): ValueReader<number> {
  return (values) => {
    const raw = values[0] ?? '';
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(raw)) return expected;
    const value = Number(raw);
    return value >= min && value <= max ? { value, text: String(value) } : expected;
  };
}

/** A prefix length: 0-32 for IPv4, 0-128 for IPv6. */
export const prefixLength: ValueReader<number> = (values, family) =>
  uint(family === 'ipv6' ? 128 : 32, family === 'ipv6' ? 'a prefix 0-128' : 'a prefix 0-32')(
    values,
    family,
  );

export function enumList(allowed: readonly string[], expected: string): ValueReader<string[]> {
  return (values) => {
    const items = (values[0] ?? '').split(',').map((s) => s.toUpperCase());
    if (items.length === 0 || items.some((i) => !allowed.includes(i))) return expected;
    return { value: items, text: items.join(',') };
  };
}

export function only(kind: string, hooks: readonly string[], where: Placement): string | undefined {
  // Checked for every DNAT rule of a large dump: the list of bad hooks is made only when needed.
  if (where.hooks.every((h) => hooks.includes(h))) return undefined;
  const bad = where.hooks.filter((h) => !hooks.includes(h));
  return `${kind} is only valid in ${hooks.join(', ')}; this chain is reached from ${bad.join(', ')}`;
}

export function inTable(kind: string, tableName: string, where: Placement): string | undefined {
  return where.table === tableName
    ? undefined
    : `${kind} is only valid in the ${tableName} table, not ${where.table}`;
}

export const MATCH: MatchResult = { kind: 'match' };
export function noMatch(why: string): MatchResult {
  return { kind: 'no-match', why };
}
/** The names of those options that were given, in the order of `names`. */
export function present(options: Options, names: readonly string[]): string[] {
  return names.filter((name) => options[name] !== undefined);
}

/** Applies `!` to a test. */
export function test(given: Given | undefined, hit: boolean): boolean {
  return given ? hit !== given.negated : true;
}
