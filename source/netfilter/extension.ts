/**
 * Helpers every match and target module uses to read its options: the option table, grouping
 * the rule's options by canonical name, and the value types iptables shares across modules
 * (ports, port ranges, marks with masks). Errors carry what was expected and what was found.
 */
import type { ModuleOption } from '../model/index.js';
import { servicePort } from './services.js';
import type { ModuleError, Parsed } from './vocabulary.js';

export interface OptionSpec {
  readonly canonical: string;
  readonly arity: number;
  /** Given twice is allowed (old-style parsers such as set's flags); else refused. */
  readonly repeatable?: boolean;
}

/** Builds an option table: `{dport: 1, 'destination-port': ['dport', 1]}` style in one call. */
export function optionTable(
  entries: Readonly<Record<string, number | readonly [string, number]>>,
): Readonly<Record<string, OptionSpec>> {
  const table: Record<string, OptionSpec> = {};
  for (const [name, spec] of Object.entries(entries)) {
    table[name] =
      typeof spec === 'number'
        ? { canonical: name, arity: spec }
        : { canonical: spec[0], arity: spec[1] };
  }
  return table;
}

export interface GivenOption {
  readonly values: readonly string[];
  readonly negated: boolean;
  readonly index: number;
}

export type Grouped = ReadonlyMap<string, GivenOption>;

export function fail<D>(
  message: string,
  expected?: string,
  found?: string,
  optionIndex?: number,
): Parsed<D> {
  return { ok: false, message, expected, found, optionIndex };
}

export function ok<D>(data: D): Parsed<D> {
  return { ok: true, data };
}

/**
 * Groups options by canonical name. An option given twice (or by two of its names) is refused
 * with iptables' own words: its parser allows each option once.
 */
export function group(
  module: string,
  options: readonly ModuleOption[],
  table: Readonly<Record<string, OptionSpec>>,
): Grouped | ModuleError {
  const grouped = new Map<string, GivenOption>();
  for (let i = 0; i < options.length; i++) {
    const option = options[i] as ModuleOption;
    const spec = table[option.name];
    if (!spec) {
      return {
        message: `${module}: unknown option "--${option.name}"`,
        expected: `one of ${Object.keys(table)
          .map((n) => `--${n}`)
          .join(', ')}`,
        found: `--${option.name}`,
        optionIndex: i,
      };
    }
    if (option.values.length < spec.arity) {
      return {
        message: `${module}: option "--${option.name}" requires ${spec.arity === 1 ? 'a value' : `${spec.arity} values`}`,
        expected: spec.arity === 1 ? 'a value' : `${spec.arity} values`,
        found: option.values.length === 0 ? 'nothing' : option.values.join(' '),
        optionIndex: i,
      };
    }
    if (grouped.has(spec.canonical) && !spec.repeatable) return repeated(module, spec.canonical, i);
    grouped.set(spec.canonical, { values: option.values, negated: option.negated, index: i });
  }
  return grouped;
}

/** iptables' refusal of an option given twice: `option "--dport" can only be used once`. */
export function repeated(module: string, name: string, optionIndex: number): ModuleError {
  return {
    message: `${module}: option "--${name}" can only be used once`,
    expected: `--${name} once`,
    found: `--${name} again`,
    optionIndex,
  };
}

export function isError(value: unknown): value is ModuleError {
  return typeof value === 'object' && value !== null && 'message' in value;
}

/** `! ` when negated, else nothing: iptables-save prints the bang before the option. */
export function bang(negated: boolean): string {
  return negated ? '! ' : '';
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/**
 * A port as libxtables reads it (xtables_parse_port): a number as C writes one (`80`, `0x50`,
 * `0120` octal) up to 65535, else a service name (`ssh`).
 */
export function parsePort(text: string): number | undefined {
  const n = cNumber(text);
  if (n !== undefined) return n <= 65535 ? n : undefined;
  return servicePort(text);
}

/** strtoul(text, 0) when it reads the whole text: decimal, 0x hex, or 0 octal. */
export function cNumber(text: string): number | undefined {
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  return undefined;
}

/**
 * udp's and conntrack's ports (the XTTYPE_PORTRC option type of iptables 1.8.9): decimal only,
 * kept modulo 65536 (`65536` is 0, as the kernel tools store it), or a service name; a range
 * may run backwards (`5:1`), and then matches nothing, as in the kernel.
 */
export function parseWrappedPortRange(text: string): PortRange | undefined {
  const one = (t: string) => (/^\d{1,15}$/.test(t) ? Number(t) % 65536 : servicePort(t));
  const colon = text.indexOf(':');
  if (colon < 0) {
    const port = one(text);
    return port === undefined ? undefined : { from: port, to: port };
  }
  const from = colon === 0 ? 0 : one(text.slice(0, colon));
  const to = colon === text.length - 1 ? 65535 : one(text.slice(colon + 1));
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** `80`, `1024:65535`, `:1023`, `1024:` as iptables reads them. */
export function parsePortRange(text: string): PortRange | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const port = parsePort(text);
    return port === undefined ? undefined : { from: port, to: port };
  }
  const from = colon === 0 ? 0 : parsePort(text.slice(0, colon));
  const to = colon === text.length - 1 ? 65535 : parsePort(text.slice(colon + 1));
  if (from === undefined || to === undefined || from > to) return undefined;
  return { from, to };
}

export function formatPortRange(range: PortRange): string {
  return range.from === range.to ? `${range.from}` : `${range.from}:${range.to}`;
}

export const PORT_EXPECTED = 'a port number 0-65535 or service name, or a range FROM:TO';

export function parseUint32(text: string): number | undefined {
  if (!/^(0x[0-9a-fA-F]{1,8}|\d{1,10})$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffffffff ? value : undefined;
}

export interface MarkValue {
  readonly value: number;
  readonly mask: number;
}

/** `0x539`, `1337`, `0x539/0xfff`: a mark and its mask (all ones when absent). */
export function parseMark(text: string): MarkValue | undefined {
  const slash = text.indexOf('/');
  const value = parseUint32(slash < 0 ? text : text.slice(0, slash));
  const mask = slash < 0 ? 0xffffffff : parseUint32(text.slice(slash + 1));
  if (value === undefined || mask === undefined) return undefined;
  return { value, mask };
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** The mark as `-m mark` prints it: the mask only when it is not all ones. */
export function formatMark(mark: MarkValue): string {
  return mark.mask === 0xffffffff ? hex(mark.value) : `${hex(mark.value)}/${hex(mark.mask)}`;
}

export const MARK_EXPECTED = 'a 32-bit value, optionally /mask (e.g. 0x539/0xfff)';

export function inRange(value: number, range: PortRange): boolean {
  return value >= range.from && value <= range.to;
}

/**
 * Quotes a string the way iptables-save does (xtables_save_string): bare when it is only
 * letters, digits, `_` and `-`; else in double quotes with `"`, `\\` and `'` escaped.
 */
export function quoteIfNeeded(text: string): string {
  // Every comment of a large dump comes here: one pass over its characters tells whether it
  // is a bare word (/^[A-Za-z0-9_-]+$/), needs only quotes, or needs the escaping replace.
  let bare = text.length > 0;
  let printable = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || c === 39) return `"${text.replace(/["\\']/g, (e) => `\\${e}`)}"`;
    if (bare && !isWordChar(c)) bare = false;
    if (c < 32 || (c >= 0xd800 && c <= 0xdfff)) printable = false;
  }
  if (bare) return text;
  // JSON.stringify of such a text is the same quoted text, as one flat string: the model keeps
  // one for every comment, and a concatenation would keep two string objects instead.
  return printable ? JSON.stringify(text) : `"${text}"`;
}

/** A character of /[A-Za-z0-9_-]/. */
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) /* a-z */ ||
    (c >= 65 && c <= 90) /* A-Z */ ||
    (c >= 48 && c <= 57) /* 0-9 */ ||
    c === 95 /* _ */ ||
    c === 45 /* - */
  );
}
