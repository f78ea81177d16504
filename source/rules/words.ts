/**
 * The option words a rule line is made of (`-A`, `-p`, `-m`, `--dport`, `--comment`...), as
 * constant strings, so that the tokenizer can hand out one shared string per option word instead
 * of a fresh slice: a 230,000-line dump holds some two million of them. Lookups by a constant
 * string are also cheaper (its hash is known, and property lookups need no internalizing).
 *
 * Hand-written hot path: the word is found from the line's character codes without making a
 * string first (a small hash on length and two characters, then one startsWith).
 */
import { MATCHES, TARGETS } from '../netfilter/registry.js';

const WORDS: string[] = [
  '-A',
  '--append',
  '-I',
  '--insert',
  '-N',
  '--new-chain',
  '--new',
  '-P',
  '--policy',
  '-X',
  '--delete-chain',
  '-F',
  '--flush',
  '-D',
  '--delete',
  '-R',
  '--replace',
  '-Z',
  '--zero',
  '-t',
  '--table',
  '-w',
  '--wait',
  '-p',
  '--protocol',
  '-s',
  '--source',
  '--src',
  '-d',
  '--destination',
  '--dst',
  '-i',
  '--in-interface',
  '-o',
  '--out-interface',
  '-f',
  '--fragment',
  '-m',
  '--match',
  '-j',
  '--jump',
  '-g',
  '--goto',
  '-c',
  '--set-counters',
];
for (const m of [...MATCHES.values(), ...TARGETS.values()]) {
  for (const name of Object.keys(m.options)) WORDS.push(`--${name}`);
}

const SLOTS = 1024;

function slot(length: number, second: number, last: number): number {
  return (length * 97 + second * 31 + last) & (SLOTS - 1);
}

/** Words by a small hash of their length and two characters (see find). */
type WordTable = (string[] | undefined)[];

function wordTable(words: Iterable<string>): WordTable {
  const table: WordTable = new Array(SLOTS).fill(undefined);
  for (const word of new Set(words)) {
    const n = word.length;
    if (n < 2) continue;
    const key = slot(n, word.charCodeAt(n > 2 ? 2 : 1), word.charCodeAt(n - 1));
    const list = table[key] ?? [];
    list.push(word);
    table[key] = list;
  }
  return table;
}

function find(table: WordTable, line: string, start: number, end: number): string | undefined {
  const n = end - start;
  if (n < 2) return undefined;
  const list =
    table[slot(n, line.charCodeAt(n > 2 ? start + 2 : start + 1), line.charCodeAt(end - 1))];
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const word = list[k] as string;
    if (word.length === n && line.startsWith(word, start)) return word;
  }
  return undefined;
}

const OPTION_WORDS = wordTable(WORDS);

/** The bare option name of each word (`--dport` → `dport`), as a constant too. */
const BARE = new Map<string, string>();
for (const word of new Set(WORDS)) {
  BARE.set(word, word.charCodeAt(1) === 45 ? word.slice(2) : word.slice(1));
}

/** The constant for the option word `line[start..end)` (which starts with "-"), if it is one. */
export function optionWord(line: string, start: number, end: number): string | undefined {
  return find(OPTION_WORDS, line, start, end);
}

/**
 * The names a rule gives as values: match and target modules (by their own name strings, the
 * registry's keys), verdicts and protocols.
 */
const NAME_WORDS = wordTable([
  ...MATCHES.keys(),
  ...TARGETS.keys(),
  'ACCEPT',
  'DROP',
  'RETURN',
  'QUEUE',
  'tcp',
  'udp',
  'icmp',
  'sctp',
  'all',
]);

/** The constant for the module, target, verdict or protocol name `line[start..end)`, if any. */
export function nameWord(line: string, start: number, end: number): string | undefined {
  return find(NAME_WORDS, line, start, end);
}

/** The option name of an option word without its dashes: a constant for the known words. */
export function bareName(text: string): string {
  const known = BARE.get(text);
  if (known !== undefined) return known;
  return text.charCodeAt(1) === 45 /* - */ ? text.slice(2) : text.slice(1);
}
