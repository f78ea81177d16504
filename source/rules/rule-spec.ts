/**
 * Reads a rule specification (everything after `-A CHAIN`) into a rule: the generic matches
 * (-p -s -d -i -o -f, each with its `!`), the `-m` modules with their options, and the target.
 * Options are handed to the module that owns them, as iptables' merged getopt table does:
 * the current `-m` module first, then the protocol's implicit module (`-p tcp --dport 80`).
 * This is the hot path of loading a large dump, so it walks tokens by index without copying.
 */

import type {
  Cidr,
  Counters,
  Diagnostic,
  Family,
  Hook,
  MatchUse,
  ModuleOption,
  Negatable,
  SourcePos,
  TargetUse,
} from '../model/index.js';
import { BUILTIN_VERDICTS, IP_PROTOCOLS, PROTOCOL_ALIASES } from '../model/index.js';
import { cidrText, parseCidr4, parseRuleCidr } from '../netfilter/address.js';
import { findMatch, findTarget, MATCHES } from '../netfilter/registry.js';
import type { ExtensionText, Parsed, Placement } from '../netfilter/vocabulary.js';
import { loadableMatch } from '../netfilter/xtables-matches.js';
import { countersFromText, tooBigCount } from './counter-text.js';
import { didYouMean } from './did-you-mean.js';
import { type HostNames, resolvedText, resolveHost } from './host-names.js';
import { NO_OPTIONS, NO_VALUES, type SpecCache, type UseNode } from './spec-cache.js';
import type { TextScan } from './text-scan.js';
import type { Token } from './tokenize.js';
import { bareName, nameWord, optionWord } from './words.js';

export interface RuleDraft {
  protocol?: Negatable<string>;
  source?: Negatable<Cidr>;
  destination?: Negatable<Cidr>;
  inInterface?: Negatable<string>;
  outInterface?: Negatable<string>;
  fragment?: Negatable<true>;
  matches: MatchUse[];
  target?: TargetUse;
  /** Where the target is on the rule's line (see Rule.targetColumn). */
  targetColumn?: number;
  counters?: Counters;
  /** `-s a,b` / `-d c,d`: every address, when there are several (the builder makes a rule each). */
  sourceList?: readonly Negatable<Cidr>[];
  destinationList?: readonly Negatable<Cidr>[];
}

export interface SpecContext {
  readonly file: string;
  readonly line: number;
  readonly family: Family;
  readonly diagnostics: Diagnostic[];
  /** Shared by the lines of one load, so that equal values are one object in the model. */
  readonly cache?: SpecCache;
  /** Addresses for host names (`--resolve NAME=ADDR`), beside the loopback's own. */
  readonly hosts?: HostNames;
  /**
   * The rule's origin is on the line read: a target's place is kept as the rule's targetColumn,
   * not as a position object in the target (a 10,000-service dump has 170,000 targets).
   */
  readonly targetColumns?: boolean;
}

const NO_HOOKS: readonly Hook[] = Object.freeze([]);

const VERDICTS: ReadonlyMap<string, string> = new Map(BUILTIN_VERDICTS.map((v) => [v, v]));
/** Numbers iptables-save writes by name, and the aliases of names: `-p 6` is `-p tcp`. */
const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    IP_PROTOCOLS.filter((p) => p.savedByName).map((p) => [String(p.number), p.name]),
  ),
  ...PROTOCOL_ALIASES,
};
const KNOWN_PROTOCOLS: ReadonlySet<string> = new Set(
  IP_PROTOCOLS.filter((p) => p.accepted).map((p) => p.name),
);
/** The known names as constants: a rule's protocol then holds no string of its own. */
const PROTOCOL_CONSTANT = new Map([...KNOWN_PROTOCOLS].map((p) => [p, p]));
/** The implicit match module `-p NAME` loads. */
const PROTOCOL_MODULE: Readonly<Record<string, string>> = Object.fromEntries(
  IP_PROTOCOLS.flatMap((p) => (p.module ? [[p.name, p.module]] : [])),
);

/**
 * A module while its line is read. Drafts are reused from line to line (the reader keeps them),
 * with their column buffers; their option arrays are made anew for each line (see addOption).
 */
interface ModuleDraft {
  name: string;
  module: ExtensionText<unknown> | undefined;
  /** The module's facts (undefined exactly when module is): what finish() reads of it. */
  facts: ModuleFacts | undefined;
  implicit: boolean;
  options: ModuleOption[];
  /** The column of each option, for errors found while the line is read. */
  columns: number[];
  /** Column of the module or target name; its SourcePos is made only when it is kept. */
  column: number;
  /** The match, when readLine made it already (a comment): finish() takes it as it is. */
  use: MatchUse | undefined;
}

/** The matches of a draft until finish() sets them (never written). */
const NO_DRAFT_MATCHES: MatchUse[] = [];

/**
 * The options of a draft without options (never written: the first option replaces it). An
 * array that held an object, emptied: a `[]` literal is an array of another kind to both
 * engines (JavaScriptCore: undecided; V8: small integers) than the option lists it stands
 * beside, and each read of a draft's options met both kinds (JavaScriptCore exited addOption,
 * exactOptions and nodeFor's optimized code some 600 times in a 10k-service check).
 */
const NO_DRAFT_OPTIONS: ModuleOption[] = [{ name: '', values: NO_VALUES, negated: false }];
NO_DRAFT_OPTIONS.pop();

function addOption(draft: ModuleDraft, option: ModuleOption, column: number): void {
  const options = draft.options;
  const n = options.length;
  // Exact-size literals for the one or two options most modules have (exactOptions keeps
  // them as they are); a push would leave room for 17.
  if (n === 0) draft.options = [option];
  else if (n === 1) draft.options = [options[0] as ModuleOption, option];
  else options.push(option);
  // The draft's own buffer, reused from line to line: only columns[0 .. n] are read.
  draft.columns[n] = column;
}

type Generic = 'p' | 's' | 'd' | 'i' | 'o' | 'f' | 'm' | 'j' | 'g' | 'c' | '4' | '6';

const GENERIC: Readonly<Record<string, Generic>> = {
  '-p': 'p',
  '--protocol': 'p',
  '-s': 's',
  '--source': 's',
  '--src': 's',
  '-d': 'd',
  '--destination': 'd',
  '--dst': 'd',
  '-i': 'i',
  '--in-interface': 'i',
  '-o': 'o',
  '--out-interface': 'o',
  '-f': 'f',
  '--fragment': 'f',
  '-m': 'm',
  '--match': 'm',
  '-j': 'j',
  '--jump': 'j',
  '-g': 'g',
  '--goto': 'g',
  '-c': 'c',
  '--set-counters': 'c',
  '-4': '4',
  '--ipv4': '4',
  '-6': '6',
  '--ipv6': '6',
};

/**
 * The first `count` matches of `list` in a new array of that size: literals for the counts most
 * rules have. Every rule keeps one, so they are packed arrays made where the heap can learn
 * that they live long (an array literal; `new Array(n)` is neither).
 */
function exactMatches(list: readonly MatchUse[], count: number): MatchUse[] {
  switch (count) {
    case 0:
      return [];
    case 1:
      return [list[0] as MatchUse];
    case 2:
      return [list[0] as MatchUse, list[1] as MatchUse];
    case 3:
      return [list[0] as MatchUse, list[1] as MatchUse, list[2] as MatchUse];
    default:
      return list.slice(0, count);
  }
}

/** GENERIC for the option word constants of words.ts: a lookup by a constant string. */
const GENERIC_WORDS: ReadonlyMap<string, Generic> = new Map(Object.entries(GENERIC));

/** `!` or `-x...`/`--x...` (but not a negative number): the end of an option's values. */
function isOptionLike(text: string): boolean {
  if (text.charCodeAt(0) !== 45 /* - */) return text === '!';
  if (text.length < 2) return false;
  const c = text.charCodeAt(1);
  return c < 48 || c > 57;
}

/** A draft's options as an array of their exact size (addOption makes one or two exact). */
function exactOptions(list: ModuleOption[]): readonly ModuleOption[] {
  return list.length === 0 ? NO_OPTIONS : list.length <= 2 ? list : list.slice();
}

const NO_TOKENS: readonly Token[] = [];

/** What readLine's first pass found, one step per option, done by its second pass. */
const STEP_PROTOCOL = 0;
const STEP_ADDRESS = 1;
const STEP_MODULE = 2;
const STEP_TARGET = 3;
const STEP_OPTION = 4;

/** The comment match, which readLine makes itself. */
const COMMENT = findMatch('comment') as ExtensionText<unknown>;

/**
 * What the reader asks of a match or target module, in one object shape for all of them: the
 * modules themselves have several (tcp is written by hand, the others by defineMatch or
 * defineTarget, targets differ from matches), and JavaScriptCore compiles a property read for
 * the shapes it has seen, then throws the optimized reader away when a later part of a dump
 * names a module of another shape (a 10k-service check recompiled readLine and finish so).
 */
interface ModuleFacts {
  readonly module: ExtensionText<unknown>;
  readonly name: string;
  readonly keepsOptionPositions: boolean;
  /** Whether the module has a load-time check (see finish). */
  readonly hasCheck: boolean;
  /** A check that reads only the protocol (see passesOnLine). */
  readonly checksProtocolOnly: boolean;
  /** A backend check, a limitation or symbolic values: every use keeps its position. */
  readonly alwaysPositioned: boolean;
  /** The module's options by the word a line writes (`--dport`; `-x` for a one-letter name). */
  readonly options: ReadonlyMap<string, { readonly canonical: string; readonly arity: number }>;
}

const FACTS = new Map<ExtensionText<unknown>, ModuleFacts>();

function factsOf(module: ExtensionText<unknown> | undefined): ModuleFacts | undefined {
  if (module === undefined) return undefined;
  const known = FACTS.get(module);
  if (known !== undefined) return known;
  const options = new Map<string, { readonly canonical: string; readonly arity: number }>();
  // The keys bareName() strips to each option's name, for the words optionWord() gives; the
  // specs made anew, in one shape too (tcp's have two fields, defineMatch's three).
  for (const [option, { canonical, arity }] of Object.entries(module.options)) {
    const spec = { canonical, arity };
    options.set(`--${option}`, spec);
    if (option.length === 1) options.set(`-${option}`, spec);
  }
  const facts: ModuleFacts = {
    module,
    name: module.name,
    keepsOptionPositions: module.keepsOptionPositions === true,
    hasCheck: module.check !== undefined,
    checksProtocolOnly: module.checksProtocolOnly === true,
    alwaysPositioned:
      module.checkBackend !== undefined ||
      module.unsimulated !== undefined ||
      module.assumed !== undefined ||
      module.symbolic !== undefined,
    options,
  };
  FACTS.set(module, facts);
  return facts;
}

/** ModuleFacts by the name a line writes (null: no module of that name), kept when first met. */
const LINE_MATCHES = new Map<string, ModuleFacts | null>();
const LINE_TARGETS = new Map<string, ModuleFacts | null>();

/** The facts of `-m NAME` or `-j NAME`, for a name of words.ts (so the table stays small). */
function lineModule(kind: 'match' | 'target', name: string): ModuleFacts | undefined {
  // Two maps, not one object of two: a read by a variable key costs JavaScriptCore an exit
  // each time the key is not the one it saw.
  const table = kind === 'match' ? LINE_MATCHES : LINE_TARGETS;
  const known = table.get(name);
  if (known !== undefined) return known ?? undefined;
  const facts = factsOf(kind === 'match' ? findMatch(name) : findTarget(name));
  table.set(name, facts ?? null);
  return facts;
}

/** readLine: not a line of the shapes it knows; the general reader must read it. */
export const NOT_READ = null;

/** Whether `text[from..to)` can be an address as written (-s/-d): digits, hex, `.`, `:`, `/`. */
function addressLike(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (
      !(
        (
          (c >= 48 && c <= 58) /* 0-9 : */ ||
          c === 46 /* . */ ||
          c === 47 /* / */ ||
          (c >= 97 && c <= 102) /* a-f */ ||
          (c >= 65 && c <= 70)
        ) /* A-F */
      )
    )
      return false;
  }
  return true;
}

/** Whether `text[from..to)` holds a backslash (searched for by hand: indexOf runs on). */
function hasBackslash(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 92 /* \\ */) return true;
  return false;
}

/**
 * Whether `text[from..to)` is a word the tokenizer would give as it is: no quote, backslash,
 * tab or carriage return in it, not starting with "-", and not "!".
 */
export function plainWord(text: string, from: number, to: number, scan?: TextScan): boolean {
  if (to <= from) return false;
  const first = text.charCodeAt(from);
  if (first === 45 /* - */ || (first === 33 /* ! */ && to === from + 1)) return false;
  // The load's scan of this text knows where those characters are (see TextScan).
  if (scan !== undefined && scan.text === text) return scan.plain(from, to);
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 34 || c === 39 || c === 92 || c === 9 || c === 13) return false;
  }
  return true;
}

/**
 * Reads one rule specification. One reader serves every line of a load (see readRuleSpec): its
 * module drafts are kept and reused, so a line makes only what the model keeps.
 */
class SpecReader {
  private i = 0;
  private draft: RuleDraft = { matches: NO_DRAFT_MATCHES };
  /** readLine's draft, reused from line to line: the builder copies it into a rule at once. */
  private readonly lineDraft: RuleDraft = {
    protocol: undefined,
    source: undefined,
    destination: undefined,
    inInterface: undefined,
    outInterface: undefined,
    fragment: undefined,
    matches: NO_DRAFT_MATCHES,
    target: undefined,
    targetColumn: undefined,
    counters: undefined,
    sourceList: undefined,
    destinationList: undefined,
  };
  /** Drafts in use are modules[0 .. moduleCount - 1]; the rest are kept for reuse. */
  private readonly modules: ModuleDraft[] = [];
  private moduleCount = 0;
  /** The target's draft, reused too. */
  private readonly targetDraft: ModuleDraft = {
    name: '',
    module: undefined,
    facts: undefined,
    implicit: false,
    options: NO_DRAFT_OPTIONS,
    columns: [],
    column: 0,
    use: undefined,
  };
  private current: ModuleDraft | undefined;
  private target: ModuleDraft | undefined;
  private targetKind: TargetUse['kind'] | undefined;
  private failed = false;
  private tokens: readonly Token[] = NO_TOKENS;
  private ctx!: SpecContext;
  /** What value() read: its text, column and old-style `!`. */
  private valueText = '';
  private valueColumn = 0;
  private valueNegated = false;
  /** readLine's steps: kind, value range, column, `!` (addresses), shared name or canonical. */
  private readonly stepKind: number[] = [];
  private readonly stepFrom: number[] = [];
  private readonly stepTo: number[] = [];
  private readonly stepColumn: number[] = [];
  private readonly stepNegated: boolean[] = [];
  private readonly stepWord: (string | undefined)[] = [];
  /** The match module of a module step, found in the first pass. */
  private readonly stepModule: (ModuleFacts | undefined)[] = [];
  /** finish()'s list of the rule's matches, reused from rule to rule. */
  private readonly matchScratch: MatchUse[] = [];
  /** The comment of the last line that had one, and where its text is (see comment()). */
  private lastComment: MatchUse | undefined;
  private lastCommentText = '';
  private lastCommentFrom = 0;
  private lastCommentTo = 0;

  reset(
    tokens: readonly Token[],
    start: number,
    ctx: SpecContext,
    draft: RuleDraft = { matches: NO_DRAFT_MATCHES },
  ): this {
    this.i = start;
    this.tokens = tokens;
    this.ctx = ctx;
    this.draft = draft;
    this.moduleCount = 0;
    this.current = undefined;
    this.target = undefined;
    this.targetKind = undefined;
    this.failed = false;
    return this;
  }

  /**
   * Reads the rule specification `text[from..end)` of the line starting at `lineStart`, when it
   * is of the shapes a kube-proxy or iptables-save dump is made of: `[!] -s/-d ADDRESS`,
   * `-p tcp|udp|...`, `-m MODULE`, `-j TARGET`, and options of one value (`--dport 80`,
   * `--comment "..."`) of the module or target just named. Anything else (and every line
   * without a SpecCache) is NOT_READ, before anything is done: the general reader reads it.
   *
   * Hand-written hot path: the line is scanned by character codes without token objects or
   * token strings (option and module names are the constants of words.ts; only the values the
   * model keeps are sliced), then read by the very steps read() takes for those tokens, in the
   * same order, with the same columns: the rule, the sharing and every diagnostic are the
   * general reader's.
   *
   * The two passes are two methods: JavaScriptCore's optimizing JIT (FTL) took 250-430 ms a
   * compile for them as one function with all it inlines, and compiled it again each time a
   * later part of a dump threw the code away (a 10k-service check compiled it twice).
   */
  readLine(
    text: string,
    from: number,
    end: number,
    lineStart: number,
    ctx: SpecContext,
  ): RuleDraft | undefined | typeof NOT_READ {
    const cache = ctx.cache;
    if (!cache) return NOT_READ;
    const steps = this.scanLine(text, from, end, lineStart, cache);
    if (steps < 0) return NOT_READ;
    return this.readSteps(text, steps, ctx, cache);
  }

  /** readLine's first pass: the steps of the line, or -1 when it is not of those shapes. */
  private scanLine(
    text: string,
    from: number,
    end: number,
    lineStart: number,
    cache: SpecCache,
  ): number {
    const scan = cache.scan?.text === text ? cache.scan : undefined;
    const kinds = this.stepKind;
    const froms = this.stepFrom;
    const tos = this.stepTo;
    const columns = this.stepColumn;
    const negations = this.stepNegated;
    const words = this.stepWord;
    let steps = 0;
    // The module whose options may follow (as `current` in read()); null: none may.
    let current: ModuleFacts | null = null;
    let targeted = false;
    let negated = false;
    /** Whether the current module is comment and has its --comment. */
    let commented = false;
    /** The generic options seen (s, d, p): one given twice is refused by the reader below. */
    let seen = '';
    let i = from;
    for (;;) {
      while (i < end && text.charCodeAt(i) === 32) i++;
      if (i >= end) break;
      const start = i;
      let stop = text.indexOf(' ', i);
      if (stop < 0 || stop > end) stop = end;
      const c = text.charCodeAt(start);
      if (c === 33 /* ! */) {
        if (stop !== start + 1 || negated) return -1;
        negated = true;
        i = stop;
        continue;
      }
      if (c !== 45 /* - */) return -1;
      const word = optionWord(text, start, stop);
      if (word === undefined) return -1;
      // The option's one value: a plain word, or a double-quoted text without escapes.
      let v = stop;
      while (v < end && text.charCodeAt(v) === 32) v++;
      if (v >= end) return -1;
      let valueFrom = v;
      let valueTo: number;
      let quoted = false;
      if (text.charCodeAt(v) === 34 /* " */) {
        const close = text.indexOf('"', v + 1);
        if (close < 0 || close >= end) return -1;
        if (scan !== undefined ? scan.hasBackslash(v + 1, close) : hasBackslash(text, v + 1, close))
          return -1;
        if (close + 1 < end && text.charCodeAt(close + 1) !== 32) return -1;
        // A quoted "-t" or "-w" would send the line to runCommand (isPlainAppend): not here.
        if (text.charCodeAt(v + 1) === 45 /* - */) return -1;
        valueFrom = v + 1;
        valueTo = close;
        i = close + 1;
        quoted = true;
      } else {
        valueTo = text.indexOf(' ', v);
        if (valueTo < 0 || valueTo > end) valueTo = end;
        if (!plainWord(text, v, valueTo, scan)) return -1;
        i = valueTo;
      }
      const generic = GENERIC_WORDS.get(word);
      let kind: number;
      let shared: string | undefined;
      if (generic !== undefined) {
        if (quoted || (negated && generic !== 's' && generic !== 'd')) return -1;
        if (generic !== 'm' && generic !== 'j') {
          if (seen.includes(generic)) return -1;
          seen += generic;
        }
        switch (generic) {
          case 's':
          case 'd':
            if (!addressLike(text, valueFrom, valueTo)) return -1;
            kind = STEP_ADDRESS;
            shared = generic;
            break;
          case 'p':
            shared = nameWord(text, valueFrom, valueTo);
            if (shared === undefined || !KNOWN_PROTOCOLS.has(shared)) return -1;
            kind = STEP_PROTOCOL;
            break;
          case 'm': {
            shared = nameWord(text, valueFrom, valueTo);
            const module = shared === undefined ? undefined : lineModule('match', shared);
            if (module === undefined || module.name !== shared || module.keepsOptionPositions)
              return -1;
            current = module;
            commented = false;
            kind = STEP_MODULE;
            this.stepModule[steps] = module;
            break;
          }
          case 'j': {
            if (targeted) return -1;
            targeted = true;
            // A target module or verdict by its constant; anything else is a chain (sliced).
            shared = nameWord(text, valueFrom, valueTo);
            const module = shared === undefined ? undefined : lineModule('target', shared);
            current = module !== undefined && module.name === shared ? module : null;
            kind = STEP_TARGET;
            break;
          }
          default:
            return -1;
        }
      } else {
        if (negated || current === null) return -1;
        const spec = current.options.get(word);
        if (spec === undefined || spec.arity !== 1) return -1;
        if (current.module === COMMENT) {
          // One --comment a module, of a length the module takes (see the second pass).
          if (commented || valueTo - valueFrom > 255) return -1;
          commented = true;
        }
        kind = STEP_OPTION;
        shared = spec.canonical;
      }
      kinds[steps] = kind;
      froms[steps] = valueFrom;
      tos[steps] = valueTo;
      // An option's column is the option word's; a generic option's is its value's (value()).
      columns[steps] =
        (kind === STEP_OPTION ? start : valueFrom - (quoted ? 1 : 0)) - lineStart + 1;
      negations[steps] = negated;
      words[steps] = shared;
      steps++;
      negated = false;
    }
    return negated ? -1 : steps;
  }

  /** readLine's second pass: the `steps` scanLine found, read as read() reads their tokens. */
  private readSteps(
    text: string,
    steps: number,
    ctx: SpecContext,
    cache: SpecCache,
  ): RuleDraft | undefined | typeof NOT_READ {
    const kinds = this.stepKind;
    const froms = this.stepFrom;
    const tos = this.stepTo;
    const columns = this.stepColumn;
    const negations = this.stepNegated;
    const words = this.stepWord;
    const draft = this.lineDraft;
    draft.protocol = undefined;
    draft.source = undefined;
    draft.destination = undefined;
    draft.inInterface = undefined;
    draft.outInterface = undefined;
    draft.fragment = undefined;
    draft.matches = NO_DRAFT_MATCHES;
    draft.target = undefined;
    draft.targetColumn = undefined;
    draft.counters = undefined;
    draft.sourceList = undefined;
    draft.destinationList = undefined;
    this.reset(NO_TOKENS, 0, ctx, draft);
    for (let k = 0; k < steps && !this.failed; k++) {
      const column = columns[k] as number;
      const word = words[k];
      switch (kinds[k]) {
        case STEP_PROTOCOL:
          // A known protocol's constant (phase one checked): protocol() would take it as it is.
          this.knownProtocol(word as string, false);
          break;
        case STEP_ADDRESS:
          this.address(
            word === 's' ? 's' : 'd',
            text.slice(froms[k], tos[k]),
            column,
            negations[k] as boolean,
          );
          break;
        case STEP_MODULE:
          // loadModule(word), with the module the first pass found for it.
          this.current = this.draftFor(word as string, this.stepModule[k], false, column);
          break;
        case STEP_TARGET:
          if (word !== undefined) this.loadTarget('j', word, column);
          else {
            // Not a verdict or a target module (nameWord knows them all): a jump to a chain.
            const f = froms[k] as number;
            const t = tos[k] as number;
            this.loadJump(
              cache.chainNames.find(text, f, t) ?? cache.intern(text.slice(f, t)),
              column,
            );
          }
          break;
        default: {
          const draft = this.current as ModuleDraft;
          if (draft.module === COMMENT) {
            // The comment match of this text, made once: what finish() would make of the
            // option option1 gives (not positioned: comment has no check), without the trie.
            const use = this.comment(text, froms[k] as number, tos[k] as number, draft, cache);
            if (use === undefined) return NOT_READ; // not reached: phase one checked the length
            draft.use = use;
            break;
          }
          // moduleOption() for one value of the current module: option1, as it does.
          addOption(
            this.current as ModuleDraft,
            cache.option1(word as string, false, text.slice(froms[k], tos[k])),
            column,
          );
        }
      }
    }
    if (this.failed) return undefined;
    return this.finish();
  }

  /**
   * The comment match of `text[from..to)`, one per text in a load (see SpecCache.comments).
   * Consecutive rules often say the same (a kube-proxy endpoint's two rules): the previous
   * line's comment is tried first, where its text is still in the cache of the processor.
   */
  private comment(
    text: string,
    from: number,
    to: number,
    draft: ModuleDraft,
    cache: SpecCache,
  ): MatchUse | undefined {
    const last = this.lastComment;
    const n = to - from;
    if (
      last !== undefined &&
      text === this.lastCommentText &&
      this.lastCommentTo - this.lastCommentFrom === n
    ) {
      const at = this.lastCommentFrom;
      let k = 0;
      while (k < n && text.charCodeAt(at + k) === text.charCodeAt(from + k)) k++;
      if (k === n) return last;
    }
    let use = cache.comments.find(text, from, to);
    if (use === undefined) {
      const comment = text.slice(from, to);
      const options = [{ name: 'comment', values: [comment], negated: false }];
      const parsed = COMMENT.parse(options, this.ctx.family);
      if (!parsed.ok) return undefined;
      use = {
        module: draft.name,
        options,
        data: parsed.data,
        implicit: false,
        simulated: true,
        pos: undefined,
      };
      cache.comments.add(comment, use, true, from);
    }
    this.lastComment = use;
    this.lastCommentText = text;
    this.lastCommentFrom = from;
    this.lastCommentTo = to;
    return use;
  }

  private draftFor(
    name: string,
    facts: ModuleFacts | undefined,
    implicit: boolean,
    column: number,
  ): ModuleDraft {
    let draft = this.modules[this.moduleCount];
    const module = facts?.module;
    if (draft === undefined) {
      draft = {
        name,
        module,
        facts,
        implicit,
        options: NO_DRAFT_OPTIONS,
        columns: [],
        column,
        use: undefined,
      };
      this.modules.push(draft);
    } else {
      draft.name = name;
      draft.module = module;
      draft.facts = facts;
      draft.implicit = implicit;
      draft.options = NO_DRAFT_OPTIONS;
      draft.column = column;
      draft.use = undefined;
    }
    this.moduleCount++;
    return draft;
  }

  private pos(column: number): SourcePos {
    return { file: this.ctx.file, line: this.ctx.line, column };
  }

  error(column: number, message: string, expected?: string, found?: string): void {
    this.failed = true;
    this.ctx.diagnostics.push({
      severity: 'error',
      message,
      expected,
      found,
      pos: this.pos(column),
    });
  }

  read(): RuleDraft | undefined {
    const tokens = this.tokens;
    while (this.i < tokens.length && !this.failed) {
      const token = tokens[this.i] as Token;
      let negated = false;
      let at = token;
      if (token.text === '!' && !token.quoted) {
        negated = true;
        this.i++;
        const next = tokens[this.i];
        if (!next) {
          this.error(
            token.column,
            '"!" at the end of the rule',
            'an option after "!"',
            'end of line',
          );
          break;
        }
        at = next;
      }
      this.i++;
      const generic = at.quoted ? undefined : GENERIC[at.text];
      if (generic) this.generic(generic, at, negated);
      else if (at.text.startsWith('-') && !at.quoted) this.moduleOption(at, negated);
      else
        this.error(at.column, `unexpected "${at.text}"`, 'an option such as -p, -m or -j', at.text);
    }
    if (this.failed) return undefined;
    return this.finish();
  }

  /**
   * The value of a generic option, with the old `-s ! ADDR` negation: false after an error,
   * else the value is in valueText, valueColumn and valueNegated.
   */
  private value(option: Token): boolean {
    let negated = false;
    let token = this.tokens[this.i];
    if (token && token.text === '!' && !token.quoted) {
      negated = true;
      this.i++;
      token = this.tokens[this.i];
    }
    if (!token || (token.text.startsWith('-') && !token.quoted && token.text.length > 1)) {
      this.error(
        option.column,
        `option "${option.text}" requires a value`,
        'a value',
        token ? token.text : 'end of line',
      );
      return false;
    }
    this.i++;
    this.valueText = token.text;
    this.valueColumn = token.column;
    this.valueNegated = negated;
    return true;
  }

  private generic(kind: Generic, option: Token, negated: boolean): void {
    if (this.givenBefore(kind)) {
      // iptables' "multiple -p flags not allowed": the kernel's tools keep none of them.
      this.error(
        option.column,
        `multiple -${kind} flags not allowed`,
        `-${kind} once`,
        option.text,
      );
      return;
    }
    if (kind === 'f') {
      this.draft.fragment = { value: true, negated };
      return;
    }
    if (kind === '4' || kind === '6') {
      // The family's own flag says nothing more; the other one makes iptables-restore skip the
      // line (xshared.c: a `-6` line of an IPv4 file is for ip6tables), and so does nfdb.
      if ((kind === '4') === (this.ctx.family === 'ipv4')) return;
      this.ctx.diagnostics.push({
        severity: 'warning',
        message: `${option.text}: this line is for ${kind === '6' ? 'ip6tables' : 'iptables'}; ${this.ctx.family === 'ipv4' ? 'iptables' : 'ip6tables'}-restore skips it, and so does nfdb`,
        expected: `-${this.ctx.family === 'ipv4' ? 4 : 6} or nothing`,
        found: option.text,
        pos: this.pos(option.column),
      });
      // Read no further: the rest of the line is not iptables' either.
      this.failed = true;
      return;
    }
    if (kind === 'c') {
      const p = this.tokens[this.i];
      // `-c PACKETS,BYTES` in one word, as iptables also takes it.
      const both = p ? /^(\d+),(\d+)$/.exec(p.text) : null;
      if (p && both) {
        this.i++;
        const packets = both[1] as string;
        this.counters(p.column, packets, p.column + packets.length + 1, both[2] as string);
        return;
      }
      const b = this.tokens[this.i + 1];
      this.i += 2;
      if (!p || !b || !/^\d+$/.test(p.text) || !/^\d+$/.test(b.text)) {
        this.error(
          option.column,
          '-c needs two counters',
          'PACKETS BYTES',
          p?.text ?? 'end of line',
        );
        return;
      }
      this.counters(p.column, p.text, b.column, b.text);
      return;
    }
    if (!this.value(option)) return;
    const text = this.valueText;
    const column = this.valueColumn;
    const neg = negated || this.valueNegated;
    switch (kind) {
      case 'p':
        this.protocol(text, column, neg);
        return;
      case 's':
      case 'd':
        this.address(kind, text, column, neg);
        return;
      case 'i':
      case 'o':
        this.iface(kind, text, column, neg);
        return;
      case 'm':
        this.loadModule(text, column, false);
        return;
      case 'j':
      case 'g':
        this.loadTarget(kind, text, column);
        return;
    }
  }

  /** `-c PACKETS BYTES` (both digits already): exact, or refused when one passes 64 bits. */
  private counters(pAt: number, packets: string, bAt: number, bytes: string): void {
    const read = countersFromText(packets, bytes);
    if (typeof read === 'object') {
      this.draft.counters = read;
      return;
    }
    const { message, expected } = tooBigCount(read);
    if (read === 'packets') this.error(pAt, message, expected, packets);
    else this.error(bAt, message, expected, bytes);
  }

  /** Whether the rule already has the generic option `kind` (-m, -j and -g may be repeated or are checked elsewhere). */
  private givenBefore(kind: Generic): boolean {
    const d = this.draft;
    switch (kind) {
      case 'p':
        return d.protocol !== undefined;
      case 's':
        return d.source !== undefined;
      case 'd':
        return d.destination !== undefined;
      case 'i':
        return d.inInterface !== undefined;
      case 'o':
        return d.outInterface !== undefined;
      case 'f':
        return d.fragment !== undefined;
      case 'c':
        return d.counters !== undefined;
      default:
        return false;
    }
  }

  private protocol(text: string, column: number, negated: boolean): void {
    const lower = text.toLowerCase();
    const name = PROTOCOL_NAMES[lower] ?? lower;
    if (!KNOWN_PROTOCOLS.has(name) && !/^\d{1,3}$/.test(name)) {
      this.error(
        column,
        `unknown protocol "${text}"`,
        'a protocol name (tcp, udp, icmp...) or number',
        text,
      );
      return;
    }
    if (/^\d+$/.test(name) && Number(name) > 255) {
      this.error(column, `protocol number out of range`, 'a number 0-255', text);
      return;
    }
    if (negated && (name === 'all' || name === '0')) {
      // iptables: "rule would never match protocol".
      this.error(column, '! -p all would never match', 'a protocol to exclude', `! ${text}`);
      return;
    }
    this.knownProtocol(PROTOCOL_CONSTANT.get(name) ?? name, negated);
  }

  /** protocol() for a name it accepts as it is: a known protocol's constant, or a number. */
  private knownProtocol(value: string, negated: boolean): void {
    const cache = this.ctx.cache;
    if (!cache) {
      this.draft.protocol = { value, negated };
      return;
    }
    this.draft.protocol =
      cache.generic<string>('protocol', negated, value) ??
      cache.keepGeneric('protocol', value, { value, negated });
  }

  private address(kind: 's' | 'd', given: string, column: number, negated: boolean): void {
    if (given.includes(',')) {
      this.addressList(kind, given, column, negated);
      return;
    }
    const value = this.oneAddress(given, column, negated);
    if (!value) return;
    if (kind === 's') this.draft.source = value;
    else this.draft.destination = value;
  }

  /**
   * `-s a,b`: iptables makes one rule per address (per pair, with `-d c,d` too); the builder
   * does, from the list kept on the draft. `!` before a list is refused, as iptables does.
   */
  private addressList(kind: 's' | 'd', given: string, column: number, negated: boolean): void {
    if (negated) {
      this.error(
        column,
        '! not allowed with several source or destination addresses',
        'one address after !',
        given,
      );
      return;
    }
    const list: Negatable<Cidr>[] = [];
    let at = column;
    for (const part of given.split(',')) {
      const value = this.oneAddress(part, at, false);
      if (!value) return;
      list.push(value);
      at += part.length + 1;
    }
    if (kind === 's') {
      this.draft.source = list[0];
      this.draft.sourceList = list;
    } else {
      this.draft.destination = list[0];
      this.draft.destinationList = list;
    }
  }

  private oneAddress(given: string, column: number, negated: boolean): Negatable<Cidr> | undefined {
    const text = this.hostAddress(given, column);
    const cache = this.ctx.cache;
    const kind6 = this.ctx.family === 'ipv6' ? 'address6' : 'address4';
    const known = cache?.generic<Cidr>(kind6, negated, text);
    if (known) return known;
    // The common IPv4 shapes without parseCidr's intermediate words and strings (same Cidr).
    let cidr = this.ctx.family === 'ipv4' ? parseCidr4(text) : undefined;
    if (cidr === undefined) {
      const parsed = parseRuleCidr(text, this.ctx.family);
      if (!parsed.ok) {
        const hostname = /^[A-Za-z][A-Za-z0-9.-]*$/.test(text) && !text.includes(':');
        this.error(
          column,
          hostname
            ? `host name "${text}" cannot be resolved by nfdb: give its address with --resolve ${text}=ADDR`
            : `bad address "${text}"`,
          parsed.expected,
          text,
        );
        return undefined;
      }
      cidr = parsed.cidr;
    }
    const fresh = { value: cidr, negated };
    return cache ? cache.keepGeneric(kind6, text, fresh) : fresh;
  }

  /** A host name iptables would resolve when it runs: its address, if nfdb knows it (warned). */
  private hostAddress(text: string, column: number): string {
    if (!/^[A-Za-z][A-Za-z0-9.-]*$/.test(text)) return text;
    const resolved = resolveHost(text, this.ctx.family, this.ctx.hosts);
    if (!resolved) return text;
    this.ctx.diagnostics.push({
      severity: 'warning',
      message: resolvedText(text, resolved),
      pos: this.pos(column),
    });
    return resolved.address;
  }

  private iface(kind: 'i' | 'o', text: string, column: number, negated: boolean): void {
    if (text.length > 15 || text.includes('/')) {
      this.error(
        column,
        `bad interface name "${text}"`,
        'at most 15 characters, optionally ending in +',
        text,
      );
      return;
    }
    const cache = this.ctx.cache;
    const value = cache
      ? (cache.generic<string>('interface', negated, text) ??
        cache.keepGeneric('interface', text, { value: text, negated }))
      : { value: text, negated };
    if (kind === 'i') this.draft.inInterface = value;
    else this.draft.outInterface = value;
  }

  private loadModule(name: string, column: number, implicit: boolean): ModuleDraft {
    const facts = factsOf(findMatch(name));
    const draft = this.draftFor(facts?.name ?? name, facts, implicit, column);
    if (!implicit) this.current = draft;
    return draft;
  }

  private loadTarget(kind: 'j' | 'g', name: string, column: number): void {
    if (this.target || this.targetKind) {
      this.error(column, 'more than one target in a rule', 'one -j or -g', name);
      return;
    }
    const cache = this.ctx.cache;
    if (kind === 'g') {
      this.targetKind = 'goto';
      this.target = this.targetFor(cache ? cache.intern(name) : name, undefined, column);
      return;
    }
    const facts = factsOf(findTarget(name));
    const verdict = VERDICTS.get(name);
    // A name that is neither a verdict nor a module is a user chain or an unknown target: the
    // validator decides once every chain is known. Names are shared strings: a module's or a
    // verdict's own, or a chain name interned for the load.
    this.targetKind = verdict ? 'verdict' : facts ? 'extension' : 'jump';
    const shared = verdict ?? facts?.name ?? (cache ? cache.intern(name) : name);
    this.target = this.targetFor(shared, facts, column);
    this.current = this.target;
  }

  /** loadTarget('j', name) for a name that is neither a verdict nor a target module. */
  private loadJump(name: string, column: number): void {
    if (this.target || this.targetKind) {
      this.error(column, 'more than one target in a rule', 'one -j or -g', name);
      return;
    }
    this.targetKind = 'jump';
    this.target = this.targetFor(name, undefined, column);
    this.current = this.target;
  }

  private targetFor(name: string, facts: ModuleFacts | undefined, column: number): ModuleDraft {
    const draft = this.targetDraft;
    draft.name = name;
    draft.module = facts?.module;
    draft.facts = facts;
    draft.options = NO_DRAFT_OPTIONS;
    draft.column = column;
    return draft;
  }

  private owner(name: string): ModuleDraft | undefined {
    const current = this.current;
    if (current && (!current.module || current.module.options[name])) return current;
    const modules = this.modules;
    const count = this.moduleCount;
    for (let k = 0; k < count; k++) {
      const m = modules[k] as ModuleDraft;
      if (m.module?.options[name]) return m;
    }
    const proto = this.draft.protocol;
    const implicitName = proto && !proto.negated ? PROTOCOL_MODULE[proto.value] : undefined;
    if (implicitName && !this.loaded(implicitName)) {
      const module = findMatch(implicitName);
      if (module?.options[name]) return this.loadModule(implicitName, 0, true);
    }
    return undefined;
  }

  /** Options a misspelt one may have meant: the current module's, else any in reach. */
  private optionNames(): string[] {
    const current = this.current?.module;
    const proto = this.draft.protocol;
    const implicit = proto && !proto.negated ? PROTOCOL_MODULE[proto.value] : undefined;
    const modules = current
      ? [current]
      : [
          ...this.modules.slice(0, this.moduleCount).map((m) => m.module),
          implicit === undefined ? undefined : findMatch(implicit),
        ];
    const names = current ? [] : Object.keys(GENERIC).filter((k) => k.startsWith('--'));
    for (const m of modules) if (m) names.push(...Object.keys(m.options).map((o) => `--${o}`));
    return names;
  }

  private loaded(name: string): boolean {
    for (let k = 0; k < this.moduleCount; k++)
      if ((this.modules[k] as ModuleDraft).name === name) return true;
    return false;
  }

  private moduleOption(option: Token, negated: boolean): void {
    const text = option.text;
    const name = bareName(text);
    const owner = this.owner(name);
    if (!owner) {
      this.error(
        option.column,
        `unknown option "${option.text}"${didYouMean(option.text, this.optionNames())}`,
        this.current
          ? `an option of "${this.current.name}"`
          : 'a generic option or -m MODULE first',
        option.text,
      );
      return;
    }
    const spec = owner.module?.options[name];
    let oldNegation = false;
    const next = this.tokens[this.i];
    // The old `--opt ! value` is xtables_check_inverse reading the option's argument; a flag
    // (`--syn`, `--socket-exists`) has none, so a `!` after it belongs to the next option.
    if (next && next.text === '!' && !next.quoted && spec?.arity !== 0) {
      oldNegation = true;
      this.i++;
    }
    // Values run to the next option; counted first so the array is made at its size.
    const arity = spec ? spec.arity : Number.POSITIVE_INFINITY;
    const tokens = this.tokens;
    const from = this.i;
    let end = from;
    while (end - from < arity && end < tokens.length) {
      const t = tokens[end] as Token;
      if (!t.quoted && isOptionLike(t.text)) break;
      end++;
    }
    this.i = end;
    const count = end - from;
    const canonical = spec?.canonical ?? name;
    const cache = this.ctx.cache;
    const positioned = owner.facts?.keepsOptionPositions === true;
    if (count === 1 && cache && !positioned && (!spec || spec.arity <= 1)) {
      // The common case: one value, shared with every equal option in one lookup.
      const neg = negated || oldNegation;
      addOption(owner, cache.option1(canonical, neg, (tokens[from] as Token).text), option.column);
      return;
    }
    let values: readonly string[];
    if (count === 0) values = NO_VALUES;
    else if (count === 1) values = [(tokens[from] as Token).text];
    else {
      const list: string[] = [];
      for (let k = from; k < end; k++) list.push((tokens[k] as Token).text);
      values = list.slice();
    }
    if (cache) values = cache.values(canonical, values);
    if (spec && values.length < spec.arity) {
      this.error(
        option.column,
        `option "${option.text}" requires a value`,
        spec.arity === 1 ? 'a value' : `${spec.arity} values`,
        this.tokens[this.i]?.text ?? 'end of line',
      );
      return;
    }
    const neg = negated || oldNegation;
    // Only options `nfdb check` may point at keep their position (summary.ts).
    addOption(
      owner,
      positioned
        ? { name: canonical, values, negated: neg, pos: this.pos(option.column) }
        : cache
          ? cache.option(canonical, neg, values)
          : { name: canonical, values, negated: neg },
      option.column,
    );
  }

  private finishModule(
    draft: ModuleDraft,
    node?: UseNode,
  ): { data: unknown; simulated: boolean } | undefined {
    if (!draft.module && draft !== this.target && !loadableMatch(draft.name)) {
      // No machine has it: iptables-restore refuses the line ("Couldn't load match").
      this.error(
        draft.column,
        `no match extension "${draft.name}": iptables cannot load it${didYouMean(draft.name, MATCHES.keys())}`,
        'a match module such as tcp, conntrack or mark',
        draft.name,
      );
      return undefined;
    }
    if (!draft.module) {
      this.ctx.diagnostics.push({
        severity: 'warning',
        message: `unknown ${draft === this.target ? 'target' : 'match'} "${draft.name}": the rule is kept and not simulated`,
        pos: this.pos(draft.column),
      });
      return { data: undefined, simulated: false };
    }
    const cache = this.ctx.cache;
    const family = this.ctx.family;
    // The trie node of these very option objects stands for them: its parse is theirs.
    let parsed: Parsed<unknown>;
    if (node) {
      const known = family === 'ipv6' ? node.parsed6 : node.parsed4;
      if (known) parsed = known;
      else {
        parsed = draft.module.parse(draft.options, family);
        if (parsed.ok) {
          if (family === 'ipv6') node.parsed6 = parsed;
          else node.parsed4 = parsed;
        }
      }
    } else
      parsed = cache
        ? cache.parse(draft.module, draft.options, family)
        : draft.module.parse(draft.options, family);
    if (parsed.ok) return { data: parsed.data, simulated: true };
    const at = parsed.optionIndex !== undefined ? draft.columns[parsed.optionIndex] : undefined;
    this.error(at ?? draft.column, parsed.message, parsed.expected, parsed.found);
    return undefined;
  }

  /** The module's options as a shared list when the cache has it, and the trie node. */
  private optionList(
    kind: 'match' | 'target',
    draft: ModuleDraft,
  ): { options: readonly ModuleOption[]; node: UseNode | undefined } {
    const cache = this.ctx.cache;
    // Options that keep positions are never shared.
    const node =
      cache && !draft.facts?.keepsOptionPositions
        ? cache.nodeFor(kind, draft.name, draft.options)
        : undefined;
    if (!node) return { options: exactOptions(draft.options), node };
    node.list ??= exactOptions(draft.options);
    return { options: node.list, node };
  }

  /**
   * Whether a check that reads only the protocol (`-m tcp` needs `-p tcp`) passes on this
   * line's own `-p`. The model is read-only and a rule keeps its line's protocol with its
   * matches, so validate.ts, which asks again, finds the same: the use needs no position, and
   * 70,000 `-m tcp --dport 80` of a kube-proxy dump are then one shared object.
   */
  private passesOnLine(facts: ModuleFacts, data: unknown): boolean {
    const check = facts.module.check;
    if (!facts.checksProtocolOnly || !check) return false;
    const p = this.draft.protocol;
    const where: Placement = {
      family: this.ctx.family,
      // Not read by such a check (see checksProtocolOnly); the real one is validate.ts's.
      table: 'filter',
      hooks: NO_HOOKS,
      protocol: p?.value,
      protocolNegated: p?.negated ?? false,
    };
    return check.call(facts.module, data, where) === undefined;
  }

  private finish(): RuleDraft | undefined {
    const count = this.moduleCount;
    // Made in a scratch list, then copied to an array of its exact size (see exactMatches).
    const matches = this.matchScratch;
    for (let k = 0; k < count; k++) {
      const m = this.modules[k] as ModuleDraft;
      if (m.use !== undefined) {
        matches[k] = m.use;
        continue;
      }
      const { options, node } = this.optionList('match', m);
      const done = this.finishModule(m, node);
      if (!done) return undefined;
      const facts = m.facts;
      // A position is kept only where something reads it: the placement check, `nfdb check`'s
      // limitations (summary.ts). Without one, equal uses are one shared object.
      const positioned =
        !m.implicit &&
        (!done.simulated ||
          !facts ||
          (facts.hasCheck && !this.passesOnLine(facts, done.data)) ||
          facts.alwaysPositioned);
      if (!positioned && node) {
        const known = node.use as MatchUse | undefined;
        if (
          known !== undefined &&
          known.data === done.data &&
          known.implicit === m.implicit &&
          known.simulated === done.simulated
        ) {
          matches[k] = known;
          continue;
        }
      }
      const use: MatchUse = {
        module: m.name,
        options,
        data: done.data,
        implicit: m.implicit,
        simulated: done.simulated,
        pos: positioned ? this.pos(m.column) : undefined,
      };
      if (!positioned && node) node.use = use;
      matches[k] = use;
    }
    this.draft.matches = exactMatches(matches, count);
    const t = this.target;
    if (t && this.targetKind) {
      let data: unknown;
      let simulated = true;
      let shared: { options: readonly ModuleOption[]; node: UseNode | undefined } | undefined;
      const columned = this.ctx.targetColumns === true && this.ctx.cache !== undefined;
      if (this.targetKind === 'extension') {
        if (t.facts && !t.facts.hasCheck) shared = this.optionList('target', t);
        const done = this.finishModule(t, shared?.node);
        if (!done) return undefined;
        data = done.data;
        simulated = done.simulated;
      } else if (t.options.length > 0 && this.targetKind === 'jump') {
        // Options after an unknown name: a target nfdb has no module for, not a chain.
        this.targetKind = 'extension';
        this.finishModule(t);
        simulated = false;
      } else if (t.options.length > 0) {
        this.error(
          t.columns[0] ?? t.column,
          `"${t.name}" takes no options`,
          'no options after a verdict or a goto',
          `--${t.options[0]?.name}`,
        );
        return undefined;
      }
      const kind = this.targetKind;
      if (columned) this.draft.targetColumn = t.column;
      // Jumps, checked and unknown extensions are made per rule: a jump's chain and a DNAT's
      // address are seldom said twice, and looking for an equal one cost more than making one.
      const own =
        kind === 'jump' ||
        kind === 'goto' ||
        (kind === 'extension' && (!simulated || !t.facts || t.facts.hasCheck));
      // Those need a position: for a missing chain (validate.ts), the placement check and
      // `nfdb check`. The rule's targetColumn gives it where the line read is the rule's (a
      // pos object each was 170,000 objects in a 10,000-service dump); elsewhere, their own.
      const positioned = own && !columned;
      const { options, node } = own
        ? { options: exactOptions(t.options), node: undefined }
        : (shared ?? this.optionList('target', t));
      const known = node?.use as TargetUse | undefined;
      if (
        known !== undefined &&
        known.kind === kind &&
        known.name === t.name &&
        known.data === data &&
        known.simulated === simulated
      ) {
        this.draft.target = known;
      } else {
        const use: TargetUse = {
          kind,
          name: t.name,
          options,
          data,
          simulated,
          pos: positioned ? this.pos(t.column) : undefined,
        };
        if (node) node.use = use;
        this.draft.target = use;
      }
    }
    return this.draft;
  }
}

/**
 * SpecReader.readLine with the load's reader (NOT_READ without a cache). The draft it returns is
 * the reader's own, valid until its next line: the caller copies it into a rule at once.
 */
export function readRuleLine(
  text: string,
  from: number,
  end: number,
  lineStart: number,
  ctx: SpecContext,
): RuleDraft | undefined | typeof NOT_READ {
  const cache = ctx.cache;
  if (!cache) return NOT_READ;
  cache.reader ??= new SpecReader();
  const reader = cache.reader as SpecReader;
  return reader.readLine(text, from, end, lineStart, ctx);
}

export function readRuleSpec(
  tokens: readonly Token[],
  start: number,
  ctx: SpecContext,
): RuleDraft | undefined {
  const cache = ctx.cache;
  // One reader per load: the cache lives exactly as long (a reader without one is fresh).
  if (cache) cache.reader ??= new SpecReader();
  const reader = (cache?.reader as SpecReader | undefined) ?? new SpecReader();
  return reader.reset(tokens, start, ctx).read();
}

export function cidrToText(c: Cidr): string {
  return cidrText(c);
}
