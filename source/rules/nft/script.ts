/**
 * Reads nft's text: knftables transactions (`add table …`, `add chain … { type nat hook output
 * priority -100 ; }`, `insert rule … index N …`, `add element …`, as Istio and kube-proxy write
 * them) and `nft [-a] list ruleset` output (`table inet x { chain y { … } }`, with handles and
 * counters). Both are what `nft -f` takes. Never throws for bad input: every bad command is a
 * diagnostic with its position, and the reader goes on with the next one.
 */
import type { Diagnostic, SourcePos } from '../../model/index.js';
import type { NftFamily, NftRuleset } from '../../model/nft.js';
import { NFT_FAMILIES } from '../../model/nft.js';
import { type ChainDraft, NftBuilder, type SetDraft, type TableDraft } from './builder.js';
import { checkNft } from './check.js';
import { Cursor, NftSyntaxError } from './cursor.js';
import {
  type ChainSpec,
  chainSpecBlock,
  chainSpecItem,
  type SetSpec,
  setSpecBlock,
  setSpecItem,
} from './declarations.js';
import { elements } from './expressions.js';
import { statements } from './statements.js';
import { type NftToken, tokenizeNft } from './tokens.js';

type Line = NftToken[];

/** Lines at brace depth 0 of tokens[from, to): newline or `;` ends one. */
function splitLines(tokens: readonly NftToken[], from: number, to: number): Line[] {
  const lines: Line[] = [];
  let current: Line = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i] as NftToken;
    if (t.kind === 'punct' && t.text === '{') depth++;
    if (t.kind === 'punct' && t.text === '}') depth--;
    if (depth === 0 && (t.kind === 'newline' || (t.kind === 'punct' && t.text === ';'))) {
      if (current.length > 0) lines.push(current);
      current = [];
      continue;
    }
    current.push(t);
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** The tokens between a line's first `{` at depth 0 and its match, and what is before it. */
function block(line: Line): { head: Line; inner: Line; after: Line } | undefined {
  const open = line.findIndex((t) => t.kind === 'punct' && t.text === '{');
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    const t = line[i] as NftToken;
    if (t.kind === 'punct' && t.text === '{') depth++;
    if (t.kind === 'punct' && t.text === '}' && --depth === 0)
      return {
        head: line.slice(0, open),
        inner: line.slice(open + 1, i),
        after: line.slice(i + 1),
      };
  }
  return undefined;
}

/** A rule's tokens as nft writes them: words apart, a comma against the word before it. */
function tokensText(tokens: readonly NftToken[]): string {
  let out = '';
  for (const t of tokens) {
    const text = t.kind === 'string' ? `"${t.text}"` : t.text;
    out += out === '' || (t.kind === 'punct' && t.text === ',') ? text : ` ${text}`;
  }
  return out;
}

const VERBS = new Set(['add', 'create', 'insert', 'replace', 'delete', 'destroy', 'flush']);

export class NftScriptReader {
  private readonly eof: SourcePos;

  /** `builder`: the tables the commands act on (a what-if edit's are the ruleset's own). */
  constructor(
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
    lastLine: number,
    private readonly builder = new NftBuilder(),
  ) {
    this.eof = { file, line: lastLine, column: 1 };
  }

  private error(message: string, pos: SourcePos, expected?: string, found?: string): void {
    this.diagnostics.push({
      severity: 'error',
      message,
      ...(expected === undefined ? {} : { expected }),
      ...(found === undefined ? {} : { found }),
      pos,
    });
  }

  private cursor(line: Line): Cursor {
    const tokens = line.filter((t) => t.kind !== 'newline');
    const last = line[line.length - 1];
    const end = last
      ? { file: this.file, line: last.line, column: last.column + last.text.length }
      : this.eof;
    return new Cursor(tokens, this.file, end);
  }

  /** Runs `body`; a syntax error becomes a diagnostic and abandons this command only. */
  private guarded(body: () => void): void {
    try {
      body();
    } catch (e) {
      if (!(e instanceof NftSyntaxError)) throw e;
      this.error(e.message, e.pos, e.expected, e.found);
    }
  }

  read(text: string): NftRuleset {
    const { tokens, errors } = tokenizeNft(text);
    for (const e of errors)
      this.error('unterminated string', { file: this.file, line: e.line, column: e.column }, '"');
    for (const line of splitLines(tokens, 0, tokens.length)) this.guarded(() => this.top(line));
    const ruleset = this.builder.build();
    this.diagnostics.push(...checkNft(ruleset));
    return ruleset;
  }

  private pos(t: NftToken | undefined): SourcePos {
    return t ? { file: this.file, line: t.line, column: t.column } : this.eof;
  }

  private top(line: Line): void {
    const first = line[0] as NftToken;
    if (first.kind === 'handle') return;
    if (first.text === 'table' && first.kind === 'word') {
      this.tableBlock(line);
      return;
    }
    if (first.kind === 'word' && VERBS.has(first.text)) {
      this.command(this.cursor(line));
      return;
    }
    if (first.text === 'define' || first.text === 'include')
      throw new NftSyntaxError(
        `"${first.text}" is not read by nfdb`,
        this.pos(first),
        'the ruleset as nft lists it (nft list ruleset)',
        first.text,
      );
    throw new NftSyntaxError(
      'expected a command',
      this.pos(first),
      'add, insert, delete, flush or table',
      first.text,
    );
  }

  private family(c: Cursor): NftFamily {
    const t = c.peek();
    if (t && (NFT_FAMILIES as readonly string[]).includes(t.text) && c.peek(1)) {
      c.next();
      return t.text as NftFamily;
    }
    return 'ip';
  }

  private existingTable(c: Cursor, family: NftFamily): TableDraft {
    const t = c.word('expected a table name', 'a table name');
    const table = this.builder.table(family, t.text);
    if (!table) {
      c.back();
      c.fail(`no table ${family} ${t.text}`, 'a table added before');
    }
    return table;
  }

  private existingChain(c: Cursor, table: TableDraft): ChainDraft {
    const t = c.word('expected a chain name', 'a chain name');
    const chain = table.chains.get(t.text);
    if (!chain) {
      c.back();
      c.fail(`no chain ${t.text} in table ${table.family} ${table.name}`, 'a chain added before');
    }
    return chain;
  }

  private command(c: Cursor): void {
    const verb = c.next()?.text as string;
    const object = c.word(`"${verb}" needs an object`, 'table, chain, rule, set, map or element');
    switch (object.text) {
      case 'table':
        this.tableCommand(c, verb);
        return;
      case 'chain':
        this.chainCommand(c, verb);
        return;
      case 'rule':
        this.ruleCommand(c, verb);
        return;
      case 'set':
      case 'map':
        this.setCommand(c, verb, object.text);
        return;
      case 'element':
        this.elementCommand(c, verb);
        return;
      case 'ruleset':
        if (verb === 'flush') {
          this.builder.tables.clear();
          return;
        }
    }
    c.back();
    c.fail(`unknown object of "${verb}"`, 'table, chain, rule, set, map or element');
  }

  private tableCommand(c: Cursor, verb: string): void {
    const family = this.family(c);
    const name = c.word('expected a table name', 'a table name');
    const key = NftBuilder.key(family, name.text);
    const found = this.builder.table(family, name.text);
    if (verb === 'delete' || verb === 'destroy') {
      if (!found && verb === 'delete') {
        c.back();
        c.fail(`no table ${family} ${name.text}`, 'a table added before');
      }
      this.builder.tables.delete(key);
      return;
    }
    if (verb === 'flush') {
      if (!found) {
        c.back();
        c.fail(`no table ${family} ${name.text}`, 'a table added before');
      }
      for (const chain of found.chains.values()) chain.rules = [];
      for (const set of found.sets.values()) set.elements = [];
      return;
    }
    if (verb === 'create' && found) {
      c.back();
      c.fail(`table ${family} ${name.text} exists`, 'a new table ("add" keeps an existing one)');
    }
    const table = this.builder.addTable(family, name.text, c.pos(name));
    if (c.accept('{')) {
      while (!c.accept('}')) {
        if (c.accept(';')) continue;
        if (c.accept('comment')) table.comment = c.word('comment needs text', 'a string').text;
        else if (c.accept('flags')) c.word('flags needs a value', 'dormant');
        else c.fail('unknown table declaration', 'comment or flags');
      }
    }
    this.noMore(c);
  }

  private noMore(c: Cursor): void {
    if (c.is('}') || c.atEnd()) return;
    if (c.peek()?.kind === 'handle') return;
    c.fail('unexpected text after the command', 'the end of the line');
  }

  private chainCommand(c: Cursor, verb: string): void {
    const family = this.family(c);
    const table = this.existingTable(c, family);
    const name = c.word('expected a chain name', 'a chain name');
    const found = table.chains.get(name.text);
    if (verb === 'delete' || verb === 'destroy') {
      if (found) table.chains.delete(name.text);
      else if (verb === 'delete') {
        c.back();
        c.fail(`no chain ${name.text} in table ${family} ${table.name}`, 'a chain added before');
      }
      return;
    }
    if (verb === 'flush') {
      if (!found) {
        c.back();
        c.fail(`no chain ${name.text} in table ${family} ${table.name}`, 'a chain added before');
      }
      found.rules = [];
      return;
    }
    if (verb === 'create' && found) {
      c.back();
      c.fail(`chain ${name.text} exists`, 'a new chain ("add" keeps an existing one)');
    }
    const chain = found ?? this.newChain(table, name.text, c.pos(name));
    if (c.is('{')) {
      // `add chain T C { policy drop ; }` on a base chain keeps its hook (nft takes it so).
      const spec: ChainSpec = chain.base ? { base: chain.base } : {};
      chainSpecBlock(c, spec);
      this.applySpec(chain, spec, c.pos(name));
    }
    this.noMore(c);
  }

  private newChain(table: TableDraft, name: string, origin: SourcePos): ChainDraft {
    const chain: ChainDraft = { name, rules: [], origin, handle: this.builder.handle(table) };
    table.chains.set(name, chain);
    return chain;
  }

  private applySpec(chain: ChainDraft, spec: ChainSpec, pos: SourcePos): void {
    if (spec.comment !== undefined) chain.comment = spec.comment;
    if (spec.unrunHook)
      this.diagnostics.push({
        severity: 'warning',
        message: `chain ${chain.name} hooks ${spec.unrunHook}, which nfdb does not simulate: it never runs`,
        pos,
      });
    if (!spec.base) return;
    if (chain.base && chain.base.hook !== spec.base.hook)
      this.error(`chain ${chain.name} is already a base chain on another hook`, pos);
    chain.base = spec.base;
  }

  /** `[index N | position H | handle H]` after a rule's chain. */
  private ruleCommand(c: Cursor, verb: string): void {
    const family = this.family(c);
    const table = this.existingTable(c, family);
    const chain = this.existingChain(c, table);
    let index: number | undefined;
    let handle: number | undefined;
    const where = c.peek();
    if (c.accept('index')) index = c.integer('index needs a number');
    else if (c.accept('position') || c.accept('handle')) handle = c.integer('needs a rule handle');
    const at = handle === undefined ? undefined : chain.rules.findIndex((r) => r.handle === handle);
    if (at !== undefined && at < 0)
      throw new NftSyntaxError(
        `no rule with handle ${handle} in chain ${chain.name}`,
        c.pos(where),
        'a handle of the chain',
        String(handle),
      );
    if (index !== undefined && index > chain.rules.length)
      throw new NftSyntaxError(
        `chain ${chain.name} has ${chain.rules.length} rules`,
        c.pos(where),
        `an index up to ${chain.rules.length}`,
        String(index),
      );
    if (verb === 'delete' || verb === 'destroy') {
      if (at === undefined) c.fail('delete rule needs a handle', '"handle N"');
      chain.rules.splice(at, 1);
      return;
    }
    const start = c.peek();
    const body = statements(c);
    const rule = {
      id: this.builder.ruleId(),
      handle: this.builder.handle(table),
      statements: body.statements,
      ...(body.comment === undefined ? {} : { comment: body.comment }),
      text: tokensText(c.tokens.slice(c.tokens.indexOf(start as NftToken))),
      origin: c.pos(start),
    };
    if (body.statements.length === 0 && start === undefined)
      c.fail('a rule needs a statement', 'a match or statement');
    const position = at ?? (index === undefined ? undefined : index);
    if (verb === 'replace') {
      if (at === undefined) c.fail('replace rule needs a handle', '"handle N"');
      chain.rules[at] = { ...rule, handle: chain.rules[at]?.handle ?? rule.handle };
    } else if (verb === 'insert') chain.rules.splice(position ?? 0, 0, rule);
    else if (position === undefined) chain.rules.push(rule);
    // `add rule … index N` / `position H`: after that rule.
    else chain.rules.splice(position + 1, 0, rule);
  }

  private setCommand(c: Cursor, verb: string, kind: 'set' | 'map'): void {
    const family = this.family(c);
    const table = this.existingTable(c, family);
    const name = c.word(`expected a ${kind} name`, `a ${kind} name`);
    const found = table.sets.get(name.text);
    if (verb === 'delete' || verb === 'destroy') {
      table.sets.delete(name.text);
      return;
    }
    if (verb === 'flush') {
      if (found) found.elements = [];
      return;
    }
    const spec: SetSpec = { flags: [] };
    if (c.is('{')) setSpecBlock(c, spec, kind === 'map');
    this.applySetSpec(table, name.text, kind, spec, c.pos(name), found);
    this.noMore(c);
  }

  private applySetSpec(
    table: TableDraft,
    name: string,
    kind: 'set' | 'map',
    spec: SetSpec,
    pos: SourcePos,
    found: SetDraft | undefined,
  ): void {
    if (found) {
      if (spec.elements) found.elements.push(...spec.elements);
      return;
    }
    if (!spec.keyType) {
      this.error(`${kind} ${name} needs a type`, pos, '"{ type … ; }"');
      return;
    }
    table.sets.set(name, {
      name,
      kind,
      keyType: spec.keyType,
      ...(spec.dataType === undefined ? {} : { dataType: spec.dataType }),
      flags: spec.flags,
      ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }),
      elements: spec.elements ?? [],
      ...(spec.comment === undefined ? {} : { comment: spec.comment }),
      origin: pos,
    });
  }

  private elementCommand(c: Cursor, verb: string): void {
    const family = this.family(c);
    const table = this.existingTable(c, family);
    const name = c.word('expected a set name', 'a set or map name');
    const set = table.sets.get(name.text);
    if (!set) {
      c.back();
      c.fail(`no set ${name.text} in table ${family} ${table.name}`, 'a set or map added before');
    }
    const given = elements(c, set.kind === 'map');
    if (verb === 'delete' || verb === 'destroy') {
      const drop = new Set(given.map((e) => e.key.map((k) => k.text).join(' . ')));
      set.elements = set.elements.filter((e) => !drop.has(e.key.map((k) => k.text).join(' . ')));
    } else set.elements.push(...given);
    this.noMore(c);
  }

  /** `table FAMILY NAME { chain … { … } set … { … } }`, as nft lists a ruleset. */
  private tableBlock(line: Line): void {
    const b = block(line);
    const c = this.cursor(b ? b.head : line);
    c.next();
    const family = this.family(c);
    const name = c.word('expected a table name', 'a table name');
    if (!b) {
      c.fail('a table needs a block', '"{"');
      return;
    }
    const table = this.builder.addTable(family, name.text, c.pos(name));
    for (const inner of splitLines(b.inner, 0, b.inner.length))
      this.guarded(() => this.tableItem(table, inner));
  }

  private tableItem(table: TableDraft, line: Line): void {
    const first = line[0] as NftToken;
    if (first.kind === 'handle') {
      table.handle = Number(first.text);
      return;
    }
    const b = block(line);
    if (b && (first.text === 'chain' || first.text === 'set' || first.text === 'map')) {
      const head = this.cursor(b.head);
      head.next();
      const name = head.word(`expected a ${first.text} name`, 'a name');
      if (first.text === 'chain') {
        this.chainBlock(table, name.text, head.pos(name), b.inner);
        return;
      }
      this.setBlock(table, name.text, first.text, head.pos(name), b.inner);
      return;
    }
    const c = this.cursor(line);
    if (c.accept('comment')) table.comment = c.word('comment needs text', 'a string').text;
    else if (c.accept('flags')) c.next();
    else c.fail('expected a chain, set or map', 'chain, set, map, comment or flags');
  }

  private chainBlock(table: TableDraft, name: string, pos: SourcePos, inner: Line): void {
    const chain = table.chains.get(name) ?? this.newChain(table, name, pos);
    const spec: ChainSpec = {};
    for (const line of splitLines(inner, 0, inner.length)) {
      this.guarded(() => {
        const first = line[0] as NftToken;
        if (first.kind === 'handle') {
          chain.handle = Number(first.text);
          return;
        }
        const c = this.cursor(line);
        if (chainSpecItem(c, spec)) {
          this.noMore(c);
          return;
        }
        this.blockRule(table, chain, line);
      });
    }
    this.applySpec(chain, spec, pos);
  }

  /** A rule line of a listed chain, its `# handle N` at the end. */
  private blockRule(table: TableDraft, chain: ChainDraft, line: Line): void {
    const last = line[line.length - 1];
    const handle = last?.kind === 'handle' ? Number(last.text) : undefined;
    const body = handle === undefined ? line : line.slice(0, -1);
    const c = this.cursor(body);
    const parsed = statements(c);
    chain.rules.push({
      id: this.builder.ruleId(),
      handle: handle ?? this.builder.handle(table),
      statements: parsed.statements,
      ...(parsed.comment === undefined ? {} : { comment: parsed.comment }),
      text: tokensText(c.tokens),
      origin: this.pos(body[0]),
    });
    if (handle !== undefined) table.nextHandle = Math.max(table.nextHandle, handle + 1);
  }

  private setBlock(
    table: TableDraft,
    name: string,
    kind: 'set' | 'map',
    pos: SourcePos,
    inner: Line,
  ): void {
    const spec: SetSpec = { flags: [] };
    for (const line of splitLines(inner, 0, inner.length)) {
      this.guarded(() => {
        if ((line[0] as NftToken).kind === 'handle') return;
        const c = this.cursor(line);
        if (!setSpecItem(c, spec, kind === 'map'))
          c.fail('unknown set declaration', 'type, flags, timeout, elements or comment');
        this.noMore(c);
      });
    }
    this.applySetSpec(table, name, kind, spec, pos, table.sets.get(name));
  }
}

/** Reads an nft script or listing; diagnostics go to `diagnostics`. */
export function parseNftText(text: string, file: string, diagnostics: Diagnostic[]): NftRuleset {
  const lines = text.split('\n').length;
  return new NftScriptReader(file, diagnostics, lines).read(text);
}
