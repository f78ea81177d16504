/**
 * Every flag nfdb accepts, in one table: its type for the command line (argv.ts), the modes it
 * applies to, and how its value is checked. The help texts are tested against this table, so a
 * flag cannot go undocumented. Numbers are read as strings and checked here, with their text.
 */

import { parseSize } from '../io/read-limited.js';
import { PROXY_MODES, type ProxyMode } from '../model/index.js';
import { didYouMean } from '../rules/did-you-mean.js';
import { type HostNames, readResolve } from '../rules/host-names.js';
import type { FlagTable } from './argv.js';

/** The modes the first word picks; 'ui' is the default (no subcommand). */
export type Mode =
  | 'ui'
  | 'check'
  | 'run'
  | 'live'
  | 'help'
  | 'snapshots'
  | 'save'
  | 'config'
  | 'report';

export const FLAGS = {
  format: { type: 'string' },
  table: { type: 'string' },
  json: { type: 'boolean', default: false },
  counters: { type: 'boolean', default: false },
  list: { type: 'boolean', default: false },
  exact: { type: 'boolean', shortFlag: 'x', default: false },
  seed: { type: 'string' },
  step: { type: 'string' },
  connection: { type: 'string' },
  rules: { type: 'string' },
  edit: { type: 'string', isMultiple: true },
  set: { type: 'string', isMultiple: true },
  compare: { type: 'boolean', default: false },
  backend: { type: 'string' },
  proxyMode: { type: 'string' },
  tui: { type: 'boolean', default: true },
  proxy: { type: 'string' },
  proxyUid: { type: 'string' },
  proxyGid: { type: 'string' },
  inboundPort: { type: 'string' },
  outboundPort: { type: 'string' },
  proxyMark: { type: 'string' },
  inboundBind: { type: 'string' },
  to: { type: 'string', isMultiple: true },
  from: { type: 'string' },
  proto: { type: 'string' },
  uid: { type: 'string' },
  gid: { type: 'string' },
  open: { type: 'string' },
  notes: { type: 'string' },
  force: { type: 'boolean', default: false },
  netns: { type: 'string' },
  pid: { type: 'string' },
  save: { type: 'string' },
  trace: { type: 'string' },
  allowTrace: { type: 'boolean', default: false },
  resolve: { type: 'string', isMultiple: true },
  unknownMatch: { type: 'string' },
  maxSize: { type: 'string' },
  help: { type: 'boolean', shortFlag: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const satisfies FlagTable;

export type FlagName = keyof typeof FLAGS;

/** Where each flag means something; given anywhere else it is refused (exit 2). */
export const FLAG_MODES: Readonly<Record<FlagName, readonly Mode[]>> = {
  format: ['check', 'run', 'ui', 'report'],
  table: ['check', 'run', 'ui', 'report'],
  json: ['check', 'run', 'snapshots'],
  counters: ['run'],
  list: ['run'],
  exact: ['run'],
  seed: ['run', 'ui', 'report'],
  step: ['ui', 'save'],
  connection: ['run'],
  rules: ['run', 'ui', 'save', 'report'],
  edit: ['run', 'save', 'report'],
  set: ['run', 'report'],
  compare: ['run'],
  backend: ['check', 'run', 'ui', 'report'],
  proxyMode: ['run', 'ui', 'report'],
  tui: ['ui', 'live'],
  proxy: ['ui', 'run', 'live', 'report'],
  proxyUid: ['ui', 'run', 'live', 'report'],
  proxyGid: ['ui', 'run', 'live', 'report'],
  inboundPort: ['ui', 'run', 'live', 'report'],
  outboundPort: ['ui', 'run', 'live', 'report'],
  proxyMark: ['ui', 'run', 'live', 'report'],
  inboundBind: ['ui', 'run', 'live', 'report'],
  to: ['ui', 'run', 'live', 'report'],
  from: ['ui', 'run', 'live', 'report'],
  proto: ['ui', 'run', 'live', 'report'],
  uid: ['ui', 'run', 'live', 'report'],
  gid: ['ui', 'run', 'live', 'report'],
  open: ['ui', 'run', 'report'],
  notes: ['save'],
  force: ['save'],
  netns: ['live'],
  pid: ['live'],
  save: ['live'],
  trace: ['live'],
  allowTrace: ['live'],
  resolve: ['check', 'run', 'ui', 'report'],
  unknownMatch: ['run', 'ui', 'report'],
  maxSize: ['check', 'run', 'ui', 'report'],
  help: ['ui', 'check', 'run', 'live', 'help', 'snapshots', 'save', 'config', 'report'],
  version: ['ui', 'check', 'run', 'live', 'help', 'snapshots', 'save', 'config', 'report'],
};

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** How a flag is written on the command line: `--name`, `--no-name` for a default-true boolean. */
export function flagSpelling(name: FlagName): string {
  const spec: { type: string; default?: unknown } = FLAGS[name];
  const word = kebab(name);
  return spec.type === 'boolean' && spec.default === true ? `--no-${word}` : `--${word}`;
}

/** Every way a flag of nfdb is written: `--rules`, `--no-tui`, `-x`. */
function spellings(): string[] {
  return (Object.keys(FLAGS) as FlagName[]).flatMap((name) => {
    const short = (FLAGS[name] as { shortFlag?: string }).shortFlag;
    return [flagSpelling(name), ...(short ? [`-${short}`] : [])];
  });
}

/** `bogusFlag: true` → `--bogus-flag`, `z: true` → `-z`, `bogus: false` → `--no-bogus`. */
function spelled(key: string, value: unknown): string {
  if (key.length === 1) return `-${key}`;
  return value === false ? `--no-${kebab(key)}` : `--${kebab(key)}`;
}

const INTEGER_RANGE = {
  seed: { min: 0, max: 0xffff_ffff, what: 'an integer from 0 to 4294967295' },
  step: { min: 0, max: Number.MAX_SAFE_INTEGER, what: 'a step number, 0 or more' },
  connection: { min: 1, max: Number.MAX_SAFE_INTEGER, what: 'a connection number, 1 or more' },
} as const;

/** What a rule nfdb does not simulate is taken for (settings.unknownMatch of a scenario). */
export const UNKNOWN_MATCH = ['stop', 'match', 'no-match'] as const;

/** Why the value of --resolve or --unknown-match is refused, if it is. */
function badValue(name: FlagName, value: unknown): string | undefined {
  if (name === 'unknownMatch' && !(UNKNOWN_MATCH as readonly unknown[]).includes(value))
    return `--unknown-match ${JSON.stringify(String(value))}: expected ${UNKNOWN_MATCH.join(', ')}`;
  if (name !== 'resolve') return undefined;
  const read = readResolve(value as readonly string[]);
  return read.ok
    ? undefined
    : `--resolve ${JSON.stringify(read.bad)}: expected NAME=ADDR, as --resolve db.internal=10.1.2.3`;
}

/** The host names --resolve gives, for the parser (checkFlags has refused bad ones). */
export function hostsOf(flags: Readonly<Record<string, unknown>>): HostNames | undefined {
  const values = flags.resolve;
  if (!Array.isArray(values) || values.length === 0) return undefined;
  const read = readResolve(values as string[]);
  return read.ok ? read.hosts : undefined;
}

/** What nfdb says of a flag it does not know, written as given: `--bogus`, `-z`. */
export function unknownFlag(given: string): string {
  return `unknown flag ${given}${didYouMean(given, spellings())} (see nfdb --help)`;
}

export type Checked =
  | { readonly ok: true; readonly flags: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string };

/**
 * Checks the parsed flags: no unknown flag, no flag outside its
 * mode, integers where integers are due. The flags come back with the numbers as numbers.
 */
export function checkFlags(parsed: Readonly<Record<string, unknown>>, mode: Mode): Checked {
  const known = new Set<string>(Object.keys(FLAGS));
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) {
      return { ok: false, message: unknownFlag(spelled(key, value)) };
    }
  }
  const out: Record<string, unknown> = { ...parsed };
  for (const name of Object.keys(FLAGS) as FlagName[]) {
    const value = parsed[name];
    const spec: { type: string; default?: unknown } = FLAGS[name];
    // A flag that may be given many times is an empty list when it is not given.
    const given =
      value !== undefined &&
      value !== spec.default &&
      !(Array.isArray(value) && value.length === 0);
    if (!given) continue;
    if (!FLAG_MODES[name].includes(mode)) {
      const where = mode === 'ui' ? 'the UI (no subcommand)' : `'nfdb ${mode}'`;
      const modes = FLAG_MODES[name].map((m) => (m === 'ui' ? 'the UI' : m)).join(', ');
      return {
        ok: false,
        message: `${flagSpelling(name)} does not apply to ${where}: it is for ${modes}`,
      };
    }
    // `--to` at the end of the line, or before another flag, is a value left out too.
    if (value === '' || (Array.isArray(value) && value.includes('')))
      return {
        ok: false,
        message: `${flagSpelling(name)} needs a value${name === 'rules' ? ': a file, or - for standard input' : ''}`,
      };
    if (name === 'backend' && value !== 'nft' && value !== 'legacy')
      return {
        ok: false,
        message: `--backend ${JSON.stringify(String(value))}: expected nft or legacy`,
      };
    if (name === 'proxyMode' && !PROXY_MODES.includes(value as ProxyMode))
      return {
        ok: false,
        message: `--proxy-mode ${JSON.stringify(String(value))}: expected ${PROXY_MODES.join(' or ')}`,
      };
    if (name === 'maxSize') {
      const bytes = parseSize(String(value));
      if (bytes === undefined)
        return {
          ok: false,
          message: `--max-size ${JSON.stringify(String(value))}: expected a size such as 64M, 2G or 1000000`,
        };
      out[name] = bytes;
    }
    const bad = badValue(name, value);
    if (bad !== undefined) return { ok: false, message: bad };
    if (name === 'seed' || name === 'step' || name === 'connection') {
      const range = INTEGER_RANGE[name];
      const text = String(value);
      const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < range.min || n > range.max)
        return {
          ok: false,
          message: `--${name} ${JSON.stringify(text)}: expected ${range.what}`,
        };
      out[name] = n;
    }
  }
  return { ok: true, flags: out };
}
