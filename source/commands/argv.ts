/**
 * The command line's words read against a table of flags: what meow did for nfdb, without its
 * 245 kB bundle, which cost every command about a third of its start-up. Node's util.parseArgs
 * was not enough on its own (Node 20's has no `--no-` negation, takes `--rules -x` as a value,
 * and cannot say that a flag was given twice), so the rules are written out here, kept to
 * what meow did for each flag nfdb has:
 *
 *  - `--name value` and `--name=value`; a name as written in the table (`--proxyUid`) or in
 *    kebab case (`--proxy-uid`).
 *  - A string flag takes the next word unless it looks like a flag (`--json`, `-x`, `-`, `--`):
 *    then its value is empty, which the caller refuses as "needs a value". A negative number is
 *    a value (`--step -1` is refused for its value, not as a flag).
 *  - `--edit` and `--set` take the next word whatever it is: their values are iptables commands,
 *    which start with a dash (`--edit '-t nat -D X 6'`).
 *  - A boolean is true when named, false as `--no-name`; `--name=true|false` and
 *    `--name true|false` say it outright. The last one given wins.
 *  - A string flag given twice is refused, unless the table says it may be repeated: then its
 *    values are a list, empty when it is not given.
 *  - `-abc` is three one-letter flags; a one-letter flag is a boolean's short name.
 *  - After `--`, every word is input.
 *
 * Flags not in the table are collected as written (`--bogus`, `--no-bogus`, `-z`), in order,
 * for the caller to name with its own words.
 */

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly shortFlag?: string;
  readonly isMultiple?: boolean;
  readonly default?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgv {
  /** The words that are not flags, in order. */
  readonly input: readonly string[];
  /** Every boolean (its default if not given), every repeatable flag, each string given. */
  readonly flags: Readonly<Record<string, unknown>>;
  /** Flags the table does not know, as written (without their `=value`), in order. */
  readonly unknown: readonly string[];
}

export type ArgvResult =
  | ({ readonly ok: true } & ParsedArgv)
  | { readonly ok: false; readonly message: string };

/** Flags whose value is a command line of its own: the next word is theirs, dash or not. */
const RAW_VALUE = new Set(['edit', 'set']);

const NEGATIVE_NUMBER = /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (word: string) => word.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A word that is a flag, not a value: `-x`, `--json`, `-`, `--`; not `-1`. */
function looksLikeFlag(word: string): boolean {
  return word.startsWith('-') && !NEGATIVE_NUMBER.test(word);
}

export function parseArgv(argv: readonly string[], table: FlagTable): ArgvResult {
  const names = Object.keys(table);
  const byShort = new Map(
    names.flatMap((n) => {
      const short = table[n]?.shortFlag;
      return short ? [[short, n] as const] : [];
    }),
  );
  const known = (word: string): string | undefined => {
    const name = camel(word);
    return Object.hasOwn(table, name) ? name : undefined;
  };
  const flags: Record<string, unknown> = {};
  for (const n of names) {
    const spec = table[n] as FlagSpec;
    if (spec.isMultiple) flags[n] = [];
    else if (spec.type === 'boolean') flags[n] = spec.default ?? false;
  }
  const given = new Set<string>();
  const input: string[] = [];
  const unknown: string[] = [];

  const setString = (name: string, value: string): string | undefined => {
    const spec = table[name] as FlagSpec;
    if (spec.isMultiple) {
      (flags[name] as string[]).push(value);
      return undefined;
    }
    if (given.has(name)) return `the flag --${kebab(name)} can only be set once`;
    given.add(name);
    flags[name] = value;
    return undefined;
  };

  /** A boolean named at word i: true, unless its value (`=false`, or the next word) says false. */
  const setBoolean = (name: string, inline: string | undefined, i: number): number => {
    const next = argv[i + 1];
    const said = inline ?? (next === 'true' || next === 'false' ? next : undefined);
    flags[name] = said !== 'false';
    return inline === undefined && said !== undefined ? i + 1 : i;
  };

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      input.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeFlag(word) || word === '-') {
      input.push(word);
      continue;
    }
    if (!word.startsWith('--')) {
      const letters = [...word.slice(1)];
      letters.forEach((letter, k) => {
        const name = byShort.get(letter);
        if (name === undefined) unknown.push(`-${letter}`);
        else if (k < letters.length - 1) flags[name] = true;
        else i = setBoolean(name, undefined, i);
      });
      continue;
    }
    const eq = word.indexOf('=');
    const spelled = eq === -1 ? word.slice(2) : word.slice(2, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    const name = known(spelled);
    const negated =
      name === undefined && spelled.startsWith('no-') ? known(spelled.slice(3)) : undefined;
    if (negated !== undefined && table[negated]?.type === 'boolean' && inline === undefined) {
      flags[negated] = false;
      continue;
    }
    if (name === undefined) {
      unknown.push(`--${spelled}`);
      continue;
    }
    const spec = table[name] as FlagSpec;
    if (spec.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        return {
          ok: false,
          message: `--${kebab(name)} takes no value (given ${JSON.stringify(inline)})`,
        };
      i = setBoolean(name, inline, i);
      continue;
    }
    const next = argv[i + 1];
    let value = inline;
    if (
      value === undefined &&
      next !== undefined &&
      (RAW_VALUE.has(name) || !looksLikeFlag(next))
    ) {
      value = next;
      i++;
    }
    const refused = setString(name, value ?? '');
    if (refused !== undefined) return { ok: false, message: refused };
  }
  return { ok: true, input, flags, unknown };
}
