/**
 * Reads `nft -j list ruleset`: `{"nftables": [{"metainfo": …}, {"table": …}, {"chain": …},
 * {"set": …}, {"map": …}, {"rule": …}]}` into the model the text reader builds. Every bad object
 * is a diagnostic with its JSON path and line:column, and the reader goes on with the next one,
 * so `nfdb check` lists every error at once.
 */
import type { Diagnostic, Hook } from '../../model/index.js';
import type { NftChainType, NftFamily, NftRuleset } from '../../model/nft.js';
import { NFT_FAMILIES } from '../../model/nft.js';
import { NftBuilder, type TableDraft } from './builder.js';
import { checkNft } from './check.js';
import { NftSyntaxError } from './cursor.js';
import { NFT_HOOKS, priorityText } from './declarations.js';
import { type JsonAt, jsonRoot } from './json-node.js';
import { jsonElement, jsonStatement } from './json-rules.js';
import { printRule } from './print.js';
import { declaredType } from './types.js';

const OBJECTS = 'table, chain, rule, set or map';

/** Objects `nft -j list ruleset` prints that nfdb has no use for in a simulation. */
const IGNORED = new Set(['metainfo', 'flowtable', 'ct helper', 'ct timeout', 'ct expectation']);

/** Objects nfdb reads no further: named counters and quotas, synproxies, secmarks. */
const UNREAD = new Set(['counter', 'quota', 'limit', 'synproxy', 'secmark']);

/** A reader's failure as a diagnostic; anything else is a bug and goes on up. */
function asDiagnostic(e: unknown): Diagnostic {
  if (!(e instanceof NftSyntaxError)) throw e;
  return {
    severity: 'error',
    message: e.message,
    ...(e.expected === undefined ? {} : { expected: e.expected }),
    ...(e.found === undefined ? {} : { found: e.found }),
    pos: e.pos,
  };
}

function policyOf(chain: JsonAt): 'accept' | 'drop' {
  const at = chain.get('policy');
  const policy = at?.string('accept or drop') ?? 'accept';
  if (policy === 'accept' || policy === 'drop') return policy;
  return chain.fail(`unknown policy "${policy}"`, 'accept or drop');
}

class NftJsonReader {
  private readonly builder = new NftBuilder();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  private guarded(body: () => void): void {
    try {
      body();
    } catch (e) {
      this.diagnostics.push(asDiagnostic(e));
    }
  }

  read(root: JsonAt): NftRuleset {
    const list = root.isObject ? root.get('nftables') : undefined;
    if (!list?.isArray) root.fail('expected {"nftables": [ … ]}', 'nft -j list ruleset output');
    for (const item of list.items()) this.guarded(() => this.object(item));
    const ruleset = this.builder.build();
    this.diagnostics.push(...checkNft(ruleset));
    return ruleset;
  }

  private object(at: JsonAt): void {
    const { key, value } = at.single(OBJECTS);
    if (IGNORED.has(key)) return;
    if (UNREAD.has(key)) {
      this.diagnostics.push({
        severity: 'warning',
        message: `a named ${key} object is not simulated (at ${at.path})`,
        pos: at.pos,
      });
      return;
    }
    switch (key) {
      case 'table':
        this.table(value);
        return;
      case 'chain':
        this.chain(value);
        return;
      case 'rule':
        this.rule(value);
        return;
      case 'set':
      case 'map':
        this.set(value, key);
        return;
      case 'element':
        this.element(value);
        return;
    }
    if (['add', 'insert', 'replace', 'delete', 'flush', 'create'].includes(key))
      at.fail(
        `"${key}" is a JSON command: nfdb reads what nft -j lists`,
        'nft -j list ruleset output',
      );
    at.fail(`unknown object "${key}"`, OBJECTS);
  }

  private family(at: JsonAt): NftFamily {
    const f = at.need('family', 'a family').string('a family');
    if (!(NFT_FAMILIES as readonly string[]).includes(f))
      at.need('family', '').fail('unknown family', NFT_FAMILIES.join(', '));
    return f as NftFamily;
  }

  private table(at: JsonAt): void {
    const family = this.family(at);
    const name = at.need('name', 'a table name').string('a table name');
    const table = this.builder.addTable(family, name, at.pos);
    const handle = at.optionalNumber('handle');
    if (handle !== undefined) table.handle = handle;
    const comment = at.optionalString('comment');
    if (comment !== undefined) table.comment = comment;
  }

  /** The table an object names by `family` and `table`, listed before it. */
  private owner(at: JsonAt): TableDraft {
    const family = this.family(at);
    const tableAt: JsonAt = at.need('table', 'a table name');
    const table = this.builder.table(family, tableAt.string('a table name'));
    if (!table)
      tableAt.fail(`no table ${family} ${String(tableAt.node.value)}`, 'a table listed before');
    return table;
  }

  private chain(at: JsonAt): void {
    const table = this.owner(at);
    const name = at.need('name', 'a chain name').string('a chain name');
    const handle = at.optionalNumber('handle');
    const comment = at.optionalString('comment');
    const chain = table.chains.get(name) ?? {
      name,
      rules: [],
      origin: at.pos,
      handle: handle ?? this.builder.handle(table),
    };
    if (comment !== undefined) chain.comment = comment;
    table.chains.set(name, chain);
    const hookAt: JsonAt | undefined = at.get('hook');
    if (!hookAt) return;
    const hook = this.hook(hookAt, name);
    if (!hook) return;
    const type = at.need('type', 'filter, nat or route').string('a chain type');
    if (!['filter', 'nat', 'route'].includes(type))
      at.need('type', '').fail('unknown chain type', 'filter, nat or route');
    const prio = at.need('prio', 'a priority').number('a priority');
    const policy = policyOf(at);
    chain.base = {
      type: type as NftChainType,
      hook,
      priority: prio,
      priorityText: priorityText(prio, hook),
      policy,
      ...(at.get('policy') ? { policyGiven: true as const } : {}),
    };
  }

  /** The hook a base chain names; undefined for one nfdb does not run (said as a warning). */
  private hook(at: JsonAt, chain: string): Hook | undefined {
    const name = at.string('a hook name');
    const hook = NFT_HOOKS[name];
    if (hook) return hook;
    if (!['ingress', 'egress'].includes(name))
      return at.fail('unknown hook', 'prerouting, input, forward, output or postrouting');
    this.diagnostics.push({
      severity: 'warning',
      message: `chain ${chain} hooks ${name}, which nfdb does not simulate: it never runs`,
      pos: at.pos,
    });
    return undefined;
  }

  private rule(at: JsonAt): void {
    const table = this.owner(at);
    const chainAt: JsonAt = at.need('chain', 'a chain name');
    const chain = table.chains.get(chainAt.string('a chain name'));
    if (!chain)
      chainAt.fail(
        `no chain ${String(chainAt.node.value)} in table ${table.family} ${table.name}`,
        'a chain listed before',
      );
    const expr = at.need('expr', 'a list of statements');
    if (!expr.isArray) expr.fail('expected a list of statements', 'a list of statements');
    const statements = expr.items().map((s) => jsonStatement(s, table.family));
    const comment = at.optionalString('comment');
    const handle = at.optionalNumber('handle');
    chain.rules.push({
      id: this.builder.ruleId(),
      handle: handle ?? this.builder.handle(table),
      statements,
      ...(comment === undefined ? {} : { comment }),
      text: printRule(statements, comment),
      origin: at.pos,
    });
    if (handle !== undefined) table.nextHandle = Math.max(table.nextHandle, handle + 1);
  }

  private set(at: JsonAt, kind: 'set' | 'map'): void {
    const table = this.owner(at);
    const name = at.need('name', `a ${kind} name`).string(`a ${kind} name`);
    const typeAt = at.need('type', 'the key type');
    const keyType = typeAt.isArray
      ? typeAt.items().map((t) => t.string('a type name'))
      : [typeAt.string('a type name')];
    const dataType = kind === 'map' ? at.need('map', 'the data type').scalar() : undefined;
    const types = keyType.map(declaredType);
    const timeout = at.optionalNumber('timeout');
    const comment = at.optionalString('comment');
    table.sets.set(name, {
      name,
      kind,
      keyType,
      ...(dataType === undefined ? {} : { dataType }),
      flags: at.strings('flags'),
      ...(timeout === undefined ? {} : { timeout }),
      elements: (at.get('elem')?.items() ?? []).map((e) => jsonElement(e, types)),
      ...(comment === undefined ? {} : { comment }),
      origin: at.pos,
    });
  }

  /** `{"element": {"family", "table", "name", "elem": [ … ]}}`. */
  private element(at: JsonAt): void {
    const table = this.owner(at);
    const nameAt: JsonAt = at.need('name', 'a set name');
    const set = table.sets.get(nameAt.string('a set name'));
    if (!set)
      nameAt.fail(
        `no set ${String(nameAt.node.value)} in table ${table.family} ${table.name}`,
        'a set listed before',
      );
    const types = set.keyType.map(declaredType);
    set.elements.push(...(at.get('elem')?.items() ?? []).map((e) => jsonElement(e, types)));
  }
}

/** Reads `nft -j list ruleset` output; diagnostics go to `diagnostics`. */
export function parseNftJson(text: string, file: string, diagnostics: Diagnostic[]): NftRuleset {
  try {
    return new NftJsonReader(diagnostics).read(jsonRoot(text, file));
  } catch (e) {
    diagnostics.push(asDiagnostic(e));
    return { tables: [] };
  }
}
