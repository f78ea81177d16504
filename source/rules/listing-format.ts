/**
 * Reads what `iptables -L -v -n` prints (with or without -x, --line-numbers, or even -v and
 * -n), the text people paste into issues, back into a ruleset: the inverse of listing.ts.
 *
 * A listing is one table: `Chain NAME (policy P N packets, M bytes)` or `Chain NAME (N
 * references)` headers, a column header, then one line per rule:
 *
 *   [num] pkts bytes target prot opt in out source destination [match and target text]
 *
 * Each rule line is turned back into the rule-spec arguments that print it (`-p tcp -s
 * 1.2.3.4/32 -m tcp --dport 80 -j REDIRECT --to-ports 15001`) and read by readRuleSpec, as
 * every other format is, so the modules check their own values. The trailing text is read
 * left to right with the phrases each module of the registry gives for its `list()` text
 * (its `listing`). What the listing lost (counts
 * rounded to K/M, names where -n prints numbers, text nfdb does not know) is said in a warning
 * at its line and column; such text stays on the rule as a match that is not simulated.
 */

import {
  type Backend,
  BUILTIN_CHAINS,
  BUILTIN_VERDICTS,
  type Counters,
  type Diagnostic,
  type Family,
  type MatchUse,
  protocolByNumber,
  type Ruleset,
  type SourcePos,
  TABLE_NAMES,
  type TableName,
  ZERO_COUNTERS,
} from '../model/index.js';
import { parseCidr } from '../netfilter/address.js';
import {
  type Arg,
  keptText,
  type ListingPhrase,
  type PhraseResult,
} from '../netfilter/listing-phrase.js';
import { findTarget, MATCHES } from '../netfilter/registry.js';
import { RulesetBuilder } from './builder.js';
import { isTableName } from './commands.js';
import { countersFromText, tooBigCount } from './counter-text.js';
import { type HostNames, resolvedText, resolveHost } from './host-names.js';
import { stripAnnotations } from './listing-annotations.js';
import { type RuleDraft, readRuleSpec } from './rule-spec.js';
import type { Token } from './tokenize.js';

export interface ListingOptions {
  readonly file: string;
  /** The table the listing shows; else from an `iptables -t X -L` line in it, or its chains. */
  readonly table?: TableName;
  /** Else the family of the addresses in the source and destination columns. */
  readonly family?: Family;
  /** The family when no address tells (a listing without -n shows `anywhere`). */
  readonly familyHint?: Family;
  /** Recorded on the ruleset: a listing shows every built-in chain, so it declares them all. */
  readonly backend?: Backend;
  /** Addresses for host names the listing shows without -n (`--resolve NAME=ADDR`). */
  readonly hosts?: HostNames;
}

const HEADER =
  /^Chain (\S+) \((?:policy (\S+)(?: (\S+) packets, (\S+) bytes)?|(\d+) references?)\)(.*)$/;
const COLUMN_NAMES = new Set([
  'num',
  'pkts',
  'bytes',
  'target',
  'prot',
  'opt',
  'in',
  'out',
  'source',
  'destination',
]);
/** The columns a rule line cannot be read without (the others are optional). */
const REQUIRED_COLUMNS = ['target', 'prot', 'source', 'destination'];
/** `# host NAME`, the line `nfdb run --list` writes before each host's tables. */
const HOST_LINE = /^# host (\S+)$/;
/** A shell prompt before a command: `#`, `$`, `[root@node ~]#`, `root@node:~#`. */
const PROMPT = /^(?:\[[^\]]*\]|\S+@\S+)?\s*[#$]\s*/;
const VERDICTS: ReadonlySet<string> = new Set(BUILTIN_VERDICTS);
const OPT = /^(--|-f|!f)$/;
const COUNT = /^(\d+)([KMGT]?)$/;
const PROTOCOL = /^!?(\d{1,3}|[a-z][a-z0-9-]*)$/;
const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0', 'anywhere']);
const ANY_IFACE = new Set(['*', 'any']);

/** A match's phrase and the `-m` module it belongs to. */
interface MatchPhrase extends ListingPhrase {
  readonly module: string;
}

/** Every match's phrases, made once: the reader tries them in turn at each position. */
const MATCH_PHRASES: readonly MatchPhrase[] = [...MATCHES.values()].flatMap((m) =>
  m.listing.map((phrase) => ({ ...phrase, module: m.name })),
);

interface Word {
  readonly text: string;
  /** 0-based offset in the line. */
  readonly at: number;
}

function words(line: string): Word[] {
  const out: Word[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], at: m.index ?? 0 });
  return out;
}

interface Section {
  table?: TableName;
  chains: ChainBlock[];
  /** Where the `-t` of an `iptables ... -L` line named the table. */
  commandTable?: TableName;
}

interface ChainBlock {
  readonly name: string;
  readonly line: number;
  readonly policy?: string;
  readonly counts?: readonly [Word, Word];
  readonly references?: number;
  readonly trailing: string;
  readonly trailingAt: number;
  columns?: string[];
  readonly rules: { line: number; text: string }[];
}

type Item =
  | {
      readonly kind: 'phrase';
      readonly phrase: MatchPhrase;
      readonly args: readonly Arg[];
      readonly at: number;
      readonly text: string;
    }
  | { readonly kind: 'raw'; readonly text: string; readonly at: number; readonly why: string };

interface Group {
  readonly module: string;
  rank: number;
  readonly names: Set<string>;
  readonly tokens: Token[];
  readonly at: number;
  text: string;
  raw?: string;
}

class ListingReader {
  private readonly builder: RulesetBuilder;

  constructor(
    private readonly options: ListingOptions,
    private readonly family: Family,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.builder = new RulesetBuilder(family, diagnostics, options.backend);
  }

  private pos(line: number, column: number): SourcePos {
    return { file: this.options.file, line, column };
  }

  private warn(line: number, at: number, message: string, expected?: string, found?: string) {
    this.diagnostics.push({
      severity: 'warning',
      message,
      expected,
      found,
      pos: this.pos(line, at + 1),
    });
  }

  private error(line: number, at: number, message: string, expected?: string, found?: string) {
    this.diagnostics.push({
      severity: 'error',
      message,
      expected,
      found,
      pos: this.pos(line, at + 1),
    });
  }

  /** A count as the listing shows it, as digits; K/M/G/T are rounded: the nearest value, with a warning. */
  private count(word: Word, rounded: Word[]): string | undefined {
    const m = COUNT.exec(word.text);
    if (!m) return undefined;
    const unit = m[2] ?? '';
    if (unit !== '') rounded.push(word);
    return `${m[1]}${'000'.repeat(unit === '' ? 0 : 'KMGT'.indexOf(unit) + 1)}`;
  }

  /** The packets and bytes words as counters, exact to 64 bits; an error (undefined) if not. */
  private counters(line: number, words: readonly [Word, Word], rounded: Word[]) {
    const [pkts, bytes] = words;
    const p = this.count(pkts, rounded);
    const b = this.count(bytes, rounded);
    if (p === undefined || b === undefined) {
      const bad = p === undefined ? pkts : bytes;
      this.error(line, bad.at, 'bad counter', 'a count such as 12, 12K or 3M', bad.text);
      return undefined;
    }
    const read = countersFromText(p, b);
    if (typeof read === 'object') return read;
    const bad = read === 'packets' ? pkts : bytes;
    const { message, expected } = tooBigCount(read);
    this.error(line, bad.at, message, expected, bad.text);
    return undefined;
  }

  private warnRounded(line: number, rounded: Word[]): void {
    const first = rounded[0];
    if (!first) return;
    const list = rounded.map((w) => w.text).join(', ');
    this.warn(
      line,
      first.at,
      rounded.length === 1
        ? `counter ${list} is rounded by the listing; use -x for exact counts`
        : `counters ${list} are rounded by the listing; use -x for exact counts`,
    );
  }

  read(sections: Section[], chainNames: ReadonlySet<string>): Ruleset | undefined {
    for (const section of sections) this.readSection(section, chainNames);
    return this.builder.hasTables() ? this.builder.build() : undefined;
  }

  private readSection(section: Section, chainNames: ReadonlySet<string>): void {
    const first = section.chains[0];
    if (!first) return;
    const tableName = section.table ?? 'filter';
    const table = this.builder.table(tableName, this.pos(first.line, 1));
    const builtins = BUILTIN_CHAINS[tableName];
    for (const chain of section.chains) {
      const at = this.pos(chain.line, 7);
      if (chain.trailing.trim() !== '') {
        this.warn(
          chain.line,
          chain.trailingAt,
          'text after the chain header is ignored',
          'nothing after ")"',
          chain.trailing.trim(),
        );
      }
      if (chain.policy !== undefined) {
        if (!builtins.includes(chain.name)) {
          this.error(
            chain.line,
            6,
            `chain ${chain.name} has a policy but is not a built-in chain of table ${tableName}`,
            `a built-in chain of ${tableName} (${builtins.join(', ')}), or --table for this listing`,
            chain.name,
          );
          continue;
        }
        const rounded: Word[] = [];
        const counters: Counters =
          (chain.counts && this.counters(chain.line, chain.counts, rounded)) || ZERO_COUNTERS;
        this.warnRounded(chain.line, rounded);
        this.builder.declare(table, chain.name, chain.policy, counters, at, true);
      } else {
        this.builder.declare(table, chain.name, '-', { packets: 0, bytes: 0 }, at, true);
      }
    }
    const jumps = new Map<string, number>();
    for (const chain of section.chains) {
      // An empty header: refused where it was read.
      if (chain.columns?.length === 0) continue;
      if (chain.columns === undefined && chain.rules.length > 0) {
        const r = chain.rules[0];
        if (r)
          this.error(
            r.line,
            0,
            'a rule line before the column header',
            'the column header line (pkts bytes target prot opt in out source destination)',
          );
        continue;
      }
      for (const rule of chain.rules) {
        const draft = this.rule(rule.line, rule.text, chain.columns ?? [], chainNames);
        if (!draft) continue;
        const t = draft.target;
        if (t && (t.kind === 'jump' || t.kind === 'goto'))
          jumps.set(t.name, (jumps.get(t.name) ?? 0) + 1);
        const first = /\S/.exec(rule.text)?.index ?? 0;
        this.builder.addRule(table, chain.name, draft, this.pos(rule.line, first + 1));
      }
    }
    for (const chain of section.chains) {
      const seen = jumps.get(chain.name) ?? 0;
      if (chain.references !== undefined && chain.references !== seen) {
        this.diagnostics.push({
          severity: 'note',
          message: `chain ${chain.name} has ${chain.references} references but the listing jumps to it ${seen} times: is part of the listing missing?`,
          pos: this.pos(chain.line, 1),
        });
      }
    }
  }

  /** Splits a rule line into its columns: which of target, opt are present decides the rest. */
  private columns(
    line: number,
    text: string,
    columns: readonly string[],
  ): { values: Map<string, Word>; rest: number } | undefined {
    const all = words(text);
    const hasOpt = columns.includes('opt');
    // (target, opt) present or absent: ip6tables prints no opt, a rule without -j no target.
    const layouts: [boolean, boolean][] = [
      [true, true],
      [false, true],
      [true, false],
      [false, false],
    ];
    for (const [withTarget, withOpt] of layouts) {
      if (withOpt && !hasOpt) continue;
      const names = columns.filter(
        (c) => (c !== 'target' || withTarget) && (c !== 'opt' || withOpt),
      );
      if (all.length < names.length) continue;
      const values = new Map<string, Word>();
      names.forEach((name, i) => {
        values.set(name, all[i] as Word);
      });
      const prot = values.get('prot')?.text ?? '';
      const opt = values.get('opt')?.text;
      if (!PROTOCOL.test(prot) || (withOpt && !OPT.test(opt ?? ''))) continue;
      const last = all[names.length - 1] as Word;
      return { values, rest: last.at + last.text.length };
    }
    const expected = columns.join(' ');
    this.error(
      line,
      /\S/.exec(text)?.index ?? 0,
      'not a rule line of the listing',
      `the columns ${expected.toUpperCase()} then the match and target text`,
      text.trim().length > 60 ? `${text.trim().slice(0, 57)}...` : text.trim(),
    );
    return undefined;
  }

  private rule(
    line: number,
    text: string,
    columns: readonly string[],
    chainNames: ReadonlySet<string>,
  ): RuleDraft | undefined {
    const split = this.columns(line, text, columns);
    if (!split) return undefined;
    const { values } = split;
    const base: Token[] = [];
    const raws: Group[] = [];
    const add = (args: readonly Arg[], at: number, into: Token[]) => {
      for (const a of args) {
        into.push(
          typeof a === 'string'
            ? { text: a, column: at + 1, quoted: false }
            : { text: a.value, column: at + 1, quoted: true },
        );
      }
    };
    const rounded: Word[] = [];
    let counters: Counters | undefined;
    const pkts = values.get('pkts');
    const bytes = values.get('bytes');
    if (pkts && bytes) {
      counters = this.counters(line, [pkts, bytes], rounded);
      if (!counters) return undefined;
    }
    const num = values.get('num');
    if (num && !/^\d+$/.test(num.text)) {
      this.error(line, num.at, 'bad rule number', 'a number', num.text);
      return undefined;
    }
    this.warnRounded(line, rounded);

    const prot = values.get('prot') as Word;
    const protNegated = prot.text.startsWith('!');
    const protName = protNegated ? prot.text.slice(1) : prot.text;
    const protocol = protocolName(protName);
    if (protocol !== '0' && protocol !== 'all') {
      add([...(protNegated ? ['!'] : []), '-p', { value: protocol }], prot.at, base);
    } else if (protNegated) {
      add(['!', '-p', { value: 'all' }], prot.at, base);
    }
    const opt = values.get('opt');
    if (opt?.text === '-f') add(['-f'], opt.at, base);
    if (opt?.text === '!f') add(['!', '-f'], opt.at, base);
    for (const [column, option] of [
      ['in', '-i'],
      ['out', '-o'],
    ] as const) {
      const w = values.get(column);
      if (!w || ANY_IFACE.has(w.text)) continue;
      const negated = w.text.startsWith('!');
      add(
        [...(negated ? ['!'] : []), option, { value: w.text.slice(negated ? 1 : 0) }],
        w.at,
        base,
      );
    }
    for (const [column, option] of [
      ['source', '-s'],
      ['destination', '-d'],
    ] as const) {
      const w = values.get(column) as Word;
      const negated = w.text.startsWith('!');
      const address = w.text.slice(negated ? 1 : 0);
      if (ANY_ADDRESS.has(address) && !negated) continue;
      const value =
        address === 'anywhere' ? (this.family === 'ipv4' ? '0.0.0.0/0' : '::/0') : address;
      const isName = !parseCidr(value, this.family).ok && /^[A-Za-z][A-Za-z0-9.-]*$/.test(value);
      const resolved = isName ? resolveHost(address, this.family, this.options.hosts) : undefined;
      if (resolved) {
        this.warn(line, w.at, `${resolvedText(address, resolved)} in the ${column} column`);
        add([...(negated ? ['!'] : []), option, { value: resolved.address }], w.at, base);
        continue;
      }
      if (isName) {
        const raw = `${column} ${w.text}`;
        this.warn(
          line,
          w.at,
          `host name "${address}" in the ${column} column: the listing was made without -n; the rule is kept and not simulated`,
          `an address (list with -n), or --resolve ${address}=ADDR`,
          address,
        );
        raws.push({
          module: raw,
          rank: -1,
          names: new Set(),
          tokens: [],
          at: w.at,
          text: raw,
          raw,
        });
        continue;
      }
      add([...(negated ? ['!'] : []), option, { value }], w.at, base);
    }

    const target = values.get('target');
    const targetName = target?.text;
    const phrases = targetName ? findTarget(targetName)?.listing : undefined;
    const trailing = this.trailing(line, text, split.rest, phrases);
    const targetTokens: Token[] = [];
    let unknownTarget = false;
    // A known target whose text is not at the end of the line: not read with made-up defaults.
    const targetUnread = phrases !== undefined && !trailing.target && !trailing.goto;
    if (target && targetName) {
      if (trailing.goto) {
        add(['-g', { value: targetName }], target.at, targetTokens);
      } else if (targetUnread) {
        this.warn(
          line,
          target.at,
          `the text of target ${targetName} is not at the end of the line: the rule is kept and its target is not simulated`,
          `what iptables -L prints for ${targetName}`,
        );
      } else if (
        VERDICTS.has(targetName) ||
        chainNames.has(targetName) ||
        findTarget(targetName) ||
        !/^[A-Z][A-Z0-9]*$/.test(targetName)
      ) {
        add(['-j', { value: targetName }], target.at, targetTokens);
        if (trailing.target) add(trailing.target.args, trailing.target.at, targetTokens);
      } else {
        unknownTarget = true;
      }
    }

    const groups = this.groups(trailing.items, add);
    const read = this.readGroups(line, base, groups, targetTokens, targetName ?? '');
    if (!read) return undefined;
    const draft = read.draft;
    if (counters) draft.counters = counters;
    if (unknownTarget && target && targetName) {
      this.warn(
        line,
        target.at,
        `unknown target "${targetName}": the rule is kept and not simulated`,
      );
    }
    if ((unknownTarget || targetUnread || read.targetDropped) && target && targetName) {
      draft.target = {
        kind: 'extension',
        name: targetName,
        options: [],
        data: undefined,
        simulated: false,
        pos: this.pos(line, target.at + 1),
      };
    }
    // The reader gives one match per group it read, in order; text kept raw goes in between.
    const parsed = draft.matches;
    const matches: MatchUse[] = [];
    let next = 0;
    for (const g of [...raws, ...groups]) {
      if (g.raw !== undefined) {
        matches.push({
          module: keptText(g.raw),
          options: [],
          data: undefined,
          implicit: false,
          simulated: false,
          pos: this.pos(line, g.at + 1),
        });
      } else {
        const m = parsed[next++];
        if (m) matches.push(m);
      }
    }
    while (next < parsed.length) matches.push(parsed[next++] as MatchUse);
    draft.matches = matches;
    return draft;
  }

  /** The match phrases and target text after the destination column. */
  private trailing(
    line: number,
    text: string,
    start: number,
    targetPhrases: readonly ListingPhrase[] | undefined,
  ): { items: Item[]; goto: boolean; target?: { args: readonly Arg[]; at: number } } {
    const items: Item[] = [];
    const n = text.length;
    let i = start;
    const skip = () => {
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    };
    skip();
    let goto = false;
    if (text.startsWith('[goto]', i)) {
      goto = true;
      i += 6;
    }
    let target: { args: readonly Arg[]; at: number } | undefined;
    let unknownAt = -1;
    const flush = (end: number) => {
      if (unknownAt < 0) return;
      const raw = text.slice(unknownAt, end).trim();
      items.push({
        kind: 'raw',
        text: raw,
        at: unknownAt,
        why: `"${raw}" is not text iptables -L prints for a match or target nfdb knows: the rule is kept and not simulated`,
      });
      unknownAt = -1;
    };
    /** The target's text at `at`: to the end of the line, or (`prefix`) followed by more. */
    const tryTarget = (
      at: number,
      prefix: boolean,
    ): { args: readonly Arg[]; end: number } | undefined => {
      for (const phrase of targetPhrases ?? []) {
        phrase.pattern.lastIndex = at;
        const m = phrase.pattern.exec(text);
        if (!m) continue;
        const end = at + m[0].length;
        if (prefix ? m[0].length === 0 : text.slice(end).trim() !== '') continue;
        const args = phrase.args(m, this.family);
        if (args === undefined || 'lost' in args) continue;
        return { args, end };
      }
      return undefined;
    };
    while (true) {
      skip();
      if (i >= n) break;
      const whole = tryTarget(i, false);
      if (whole) {
        flush(i);
        target = { args: whole.args, at: i };
        i = n;
        break;
      }
      const found = this.phraseAt(text, i);
      if (found) {
        flush(i);
        const end = i + found.length;
        const phraseText = text.slice(i, end);
        if ('lost' in found.result) {
          items.push({
            kind: 'raw',
            text: phraseText,
            at: i,
            why: `${found.result.lost}; the rule is kept and "${phraseText}" is not simulated`,
          });
        } else {
          items.push({
            kind: 'phrase',
            phrase: found.phrase,
            args: found.result,
            at: i,
            text: phraseText,
          });
        }
        i = end;
        continue;
      }
      const head = tryTarget(i, true);
      if (head) {
        // Matches print before the target: what follows its text is no condition of the rule.
        flush(i);
        target = { args: head.args, at: i };
        i = head.end;
        skip();
        this.warn(
          line,
          i,
          'text after the target is ignored',
          'the end of the line',
          text.slice(i).trim(),
        );
        i = n;
        break;
      }
      if (unknownAt < 0) unknownAt = i;
      while (i < n && text[i] !== ' ' && text[i] !== '\t') i++;
    }
    // A target that may print nothing (REDIRECT, MASQUERADE, TRACE): only if nothing was left
    // unread, which could have been its text.
    const unread = unknownAt >= 0;
    flush(n);
    if (!target && !goto && !unread) {
      const t = tryTarget(n, false);
      if (t) target = { args: t.args, at: n };
    }
    for (const item of items) {
      if (item.kind === 'raw') this.warn(line, item.at, item.why, undefined, item.text);
    }
    return { items, goto, target };
  }

  private phraseAt(
    text: string,
    at: number,
  ): { phrase: MatchPhrase; result: PhraseResult; length: number } | undefined {
    for (const phrase of MATCH_PHRASES) {
      phrase.pattern.lastIndex = at;
      const m = phrase.pattern.exec(text);
      if (!m) continue;
      const result = phrase.args(m, this.family);
      if (result === undefined) continue;
      return { phrase, result, length: m[0].length };
    }
    return undefined;
  }

  /** Phrases to `-m` groups: adjacent phrases of one module share a group while ranks rise. */
  private groups(
    items: readonly Item[],
    add: (args: readonly Arg[], at: number, into: Token[]) => void,
  ): Group[] {
    const groups: Group[] = [];
    for (const item of items) {
      if (item.kind === 'raw') {
        groups.push({
          module: item.text,
          rank: -1,
          names: new Set(),
          tokens: [],
          at: item.at,
          text: item.text,
          raw: item.text,
        });
        continue;
      }
      const names = item.args.filter(
        (a): a is string => typeof a === 'string' && a.startsWith('--'),
      );
      const last = groups[groups.length - 1];
      const rank = item.phrase.rank;
      if (
        last &&
        last.raw === undefined &&
        last.module === item.phrase.module &&
        rank !== undefined &&
        rank > last.rank &&
        !names.some((name) => last.names.has(name))
      ) {
        add(item.args, item.at, last.tokens);
        for (const name of names) last.names.add(name);
        last.rank = rank;
        last.text += ` ${item.text}`;
        continue;
      }
      const group: Group = {
        module: item.phrase.module,
        rank: rank ?? -1,
        names: new Set(names),
        tokens: [],
        at: item.at,
        text: item.text,
      };
      add(['-m', { value: item.phrase.module }, ...item.args], item.at, group.tokens);
      groups.push(group);
    }
    return groups;
  }

  /**
   * Reads the rule; when a module refuses its phrase, that phrase alone is kept as text (not
   * simulated) with a warning and the rest is read again. Errors in the fixed columns stay.
   */
  private readGroups(
    line: number,
    base: readonly Token[],
    groups: Group[],
    targetTokens: readonly Token[],
    targetName: string,
  ): { draft: RuleDraft; targetDropped: boolean } | undefined {
    const attempt = (tokens: readonly Token[]) => {
      const diagnostics: Diagnostic[] = [];
      const draft = readRuleSpec(tokens, 0, {
        file: this.options.file,
        line,
        family: this.family,
        diagnostics,
      });
      return { draft, diagnostics };
    };
    const assemble = (target: readonly Token[]) => [
      ...base,
      ...groups.filter((g) => g.raw === undefined).flatMap((g) => g.tokens),
      ...target,
    ];
    const whole = attempt(assemble(targetTokens));
    if (whole.draft) {
      this.diagnostics.push(...whole.diagnostics);
      return { draft: whole.draft, targetDropped: false };
    }
    const alone = attempt(base);
    if (!alone.draft) {
      this.diagnostics.push(...alone.diagnostics);
      return undefined;
    }
    for (const g of groups) {
      if (g.raw !== undefined) continue;
      const tried = attempt([...base, ...g.tokens]);
      if (tried.draft) continue;
      const why = tried.diagnostics.find((d) => d.severity === 'error');
      g.raw = g.text;
      this.warn(
        line,
        g.at,
        `"${g.text}" is not read: ${why?.message ?? 'refused'}; the rule is kept and this match is not simulated`,
        why?.expected,
        why?.found,
      );
    }
    let target = targetTokens;
    const targetAlone = targetTokens.length > 0 ? attempt([...base, ...targetTokens]) : undefined;
    if (targetAlone && !targetAlone.draft) {
      const why = targetAlone.diagnostics.find((d) => d.severity === 'error');
      this.warn(
        line,
        (targetTokens[0]?.column ?? 1) - 1,
        `target ${targetName} is not read: ${why?.message ?? 'refused'}; the rule is kept and its target is not simulated`,
        why?.expected,
        why?.found,
      );
      target = [];
    }
    const final = attempt(assemble(target));
    this.diagnostics.push(...final.diagnostics);
    return final.draft ? { draft: final.draft, targetDropped: target !== targetTokens } : undefined;
  }
}

/** `iptables -t nat -L -v -n` (maybe after sudo, nsenter...): the table it lists. */
function commandTable(line: string): TableName | undefined {
  if (!/\bip6?tables(-nft|-legacy)?\b/.test(line) || !/(^|\s)(-L|--list)\b|\s-\w*L/.test(line))
    return undefined;
  const m = /(?:^|\s)(?:-t|--table)[ =]?(\S+)/.exec(line);
  const name = m?.[1] ?? 'filter';
  return isTableName(name) ? name : undefined;
}

/**
 * The table whose built-in chains the listing shows: filter when they fit it (the default),
 * else the table that has exactly them, else the first that has them all (not `exact`).
 */
function tableOfChains(names: readonly string[]): { table: TableName; exact: boolean } {
  const listed = names.filter((n) => TABLE_NAMES.some((t) => BUILTIN_CHAINS[t].includes(n)));
  const fits = (t: TableName) => listed.every((n) => BUILTIN_CHAINS[t].includes(n));
  if (fits('filter')) return { table: 'filter', exact: true };
  const order: TableName[] = ['nat', 'mangle', 'raw'];
  for (const t of order) {
    if (fits(t) && BUILTIN_CHAINS[t].length === listed.length) return { table: t, exact: true };
  }
  for (const t of order) if (fits(t)) return { table: t, exact: false };
  return { table: 'filter', exact: false };
}

/** The family of an address column's text, if it is an address. */
function addressFamily(word: string): Family | undefined {
  const text = word.startsWith('!') ? word.slice(1) : word;
  if (text.includes(':')) return parseCidr(text, 'ipv6').ok ? 'ipv6' : undefined;
  return /^\d/.test(text) && parseCidr(text, 'ipv4').ok ? 'ipv4' : undefined;
}

export function parseListingLines(
  lines: readonly string[],
  options: ListingOptions,
  diagnostics: Diagnostic[],
): Ruleset[] {
  const first = diagnostics.length;
  const sections: Section[] = [{ chains: [] }];
  const chainNames = new Set<string>();
  let chain: ChainBlock | undefined;
  let lastColumns: string[] | undefined;
  let seen: Family | undefined;
  let seenChain = false;
  let stopped = false;
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const bare = raw.trim();
    if (stopped || bare === '' || bare.startsWith('```')) return;
    const host = HOST_LINE.exec(bare);
    if (host && sections.some((s) => s.chains.length > 0)) {
      // `nfdb run --list` prints every host: one file is one host's rules.
      stopped = true;
      diagnostics.push({
        severity: 'warning',
        message: `a listing of several hosts: only the first host's rules are read, not host ${host[1]}'s and after`,
        expected: "one host's listing per file",
        pos: { file: options.file, line: lineNo, column: 1 },
      });
      return;
    }
    // A root prompt (`# iptables -t nat -L -v -n`, as `nfdb run --list` writes) names the table.
    const command = bare.replace(PROMPT, '');
    const table = commandTable(command);
    if (table) {
      const last = sections[sections.length - 1] as Section;
      if (last.chains.length > 0) sections.push({ chains: [], commandTable: table });
      else last.commandTable = table;
      chain = undefined;
      return;
    }
    if (bare.startsWith('#')) return;
    const text = withoutAnnotations(raw, lineNo, options.file, diagnostics);
    const trimmed = text.trim();
    const indent = text.length - text.trimStart().length;
    const header = HEADER.exec(trimmed);
    if (header) {
      const section = sections[sections.length - 1] as Section;
      const name = header[1] ?? '';
      const trailing = header[6] ?? '';
      seenChain = true;
      chain = {
        name,
        line: lineNo,
        policy: header[2],
        counts:
          header[3] !== undefined && header[4] !== undefined
            ? [
                { text: header[3], at: text.indexOf(` ${header[3]} packets`) + 1 },
                { text: header[4], at: text.indexOf(` ${header[4]} bytes`) + 1 },
              ]
            : undefined,
        references: header[5] !== undefined ? Number(header[5]) : undefined,
        trailing,
        trailingAt: indent + trimmed.length - trailing.length,
        columns: lastColumns,
        rules: [],
      };
      section.chains.push(chain);
      chainNames.add(name);
      return;
    }
    const cols = words(trimmed).map((w) => w.text);
    if (
      cols.includes('target') &&
      cols.includes('source') &&
      cols.every((c) => COLUMN_NAMES.has(c))
    ) {
      const missing = REQUIRED_COLUMNS.filter((c) => !cols.includes(c));
      const twice = cols.find((c, i) => cols.indexOf(c) !== i);
      if (missing.length > 0 || twice !== undefined) {
        diagnostics.push({
          severity: 'error',
          message:
            twice !== undefined
              ? `the column header names ${twice} twice`
              : `the column header has no ${missing.join(', ')} column`,
          expected: 'the column header line (pkts bytes target prot opt in out source destination)',
          found: trimmed,
          pos: { file: options.file, line: lineNo, column: indent + 1 },
        });
        // Its rules cannot be split into columns: they are not read, and not reported again.
        lastColumns = [];
        if (chain) chain.columns = [];
        return;
      }
      lastColumns = cols;
      if (chain) chain.columns = cols;
      return;
    }
    if (!chain) {
      // Text before the first chain (a prompt, a command, a sentence) is not the listing's.
      if (seenChain) {
        diagnostics.push({
          severity: 'error',
          message: 'a line outside any chain',
          expected: 'a "Chain NAME (...)" header first',
          found: trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed,
          pos: { file: options.file, line: lineNo, column: indent + 1 },
        });
      }
      return;
    }
    chain.rules.push({ line: lineNo, text });
    if (seen !== 'ipv6' && options.family === undefined) {
      for (const w of words(text).slice(0, 12)) seen = addressFamily(w.text) ?? seen;
    }
  });
  const family: Family = options.family ?? seen ?? options.familyHint ?? 'ipv4';
  const used = sections.filter((s) => s.chains.length > 0);
  for (const section of used) {
    const given = (used.length === 1 ? options.table : undefined) ?? section.commandTable;
    if (given) {
      section.table = given;
      continue;
    }
    const builtins = section.chains.filter((c) => c.policy !== undefined).map((c) => c.name);
    const guess = tableOfChains(builtins);
    section.table = guess.table;
    if (!guess.exact) {
      diagnostics.push({
        severity: 'warning',
        message: `the table of this listing is not known: taking ${guess.table}, which has its built-in chains`,
        expected: '--table NAME, or a file name like x.nat.txt',
        found: builtins.join(', '),
        pos: { file: options.file, line: section.chains[0]?.line ?? 1, column: 1 },
      });
    }
  }
  const noVerbose = used
    .flatMap((s) => s.chains)
    .find((c) => c.columns && c.columns.length > 0 && !c.columns.includes('in'));
  if (noVerbose) {
    diagnostics.push({
      severity: 'warning',
      message:
        'this listing has no in/out columns (made without -v): interface matches and counters are not known',
      expected: 'the output of iptables -L -v -n -x',
      pos: { file: options.file, line: noVerbose.line + 1, column: 1 },
    });
  }
  const ruleset = new ListingReader(options, family, diagnostics).read(used, chainNames);
  // In the order of the text, as a reader goes through it.
  const mine = diagnostics
    .splice(first)
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
  diagnostics.push(...mine);
  return ruleset ? [ruleset] : [];
}

/** The line without the notes people add when they paste it (see stripAnnotations), warned. */
function withoutAnnotations(
  raw: string,
  line: number,
  file: string,
  diagnostics: Diagnostic[],
): string {
  const annotated = stripAnnotations(raw.replace(/\s+$/, ''));
  for (const a of annotated.found) {
    diagnostics.push({
      severity: 'warning',
      message: `"${a.text}" is no text of iptables -L: taken for a note added to the listing, and ignored`,
      pos: { file, line, column: a.at + 1 },
    });
  }
  return annotated.text;
}

/** A listing's protocol number back to the name iptables-save writes, if iptables takes it. */
function protocolName(text: string): string {
  const known = /^\d+$/.test(text) ? protocolByNumber(Number(text)) : undefined;
  return known?.accepted ? known.name : text;
}
