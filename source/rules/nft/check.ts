/**
 * The load-time checks `nft -f` makes, on a ruleset already read: every value fits the
 * expression it is compared with (`ip saddr 300.1.1.1` is refused), every `jump`/`goto` names a
 * chain of its table, every set element fits the set's type. A set a rule names that the text
 * does not declare is a warning: Istio's host probe sets are made by istio-cni before its rules.
 */
import type { Diagnostic, SourcePos } from '../../model/index.js';
import type {
  NftElement,
  NftExpr,
  NftRhs,
  NftStatement,
  NftTable,
  NftValue,
  NftVerdict,
} from '../../model/nft.js';
import { declaredType, EXPECTED, type NftType, partTypes, typedValue } from './types.js';

function error(message: string, pos: SourcePos, expected?: string, found?: string): Diagnostic {
  return {
    severity: 'error',
    message,
    ...(expected === undefined ? {} : { expected }),
    ...(found === undefined ? {} : { found }),
    pos,
  };
}

function checkValue(v: NftValue, type: NftType | undefined, what: string, out: Diagnostic[]) {
  if (type === undefined || type === 'verdict') return;
  if (typedValue(v.text, type) === undefined)
    out.push(error(`${what}: not a value of type ${type}`, v.pos, EXPECTED[type], v.text));
}

function checkElement(
  e: NftElement,
  types: readonly (NftType | undefined)[],
  what: string,
  out: Diagnostic[],
) {
  if (e.key.length !== types.length) {
    out.push(
      error(
        `${what}: the element has ${e.key.length} part(s)`,
        e.pos,
        `${types.length} part(s) joined by " . "`,
        e.key.map((k) => k.text).join(' . '),
      ),
    );
    return;
  }
  e.key.forEach((k, i) => {
    checkValue(k, types[i], what, out);
  });
}

function exprText(e: NftExpr): string {
  switch (e.kind) {
    case 'payload':
      return `${e.protocol} ${e.field}`;
    case 'meta':
      return `meta ${e.key}`;
    case 'ct':
      return `ct ${e.direction ? `${e.direction} ` : ''}${e.key}`;
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'numgen':
      return `numgen ${e.mode} mod ${e.modulus}`;
    case 'concat':
      return e.parts.map(exprText).join(' . ');
    case 'binop':
      return `${exprText(e.left)} ${e.op} ${e.right.text}`;
  }
}

export { exprText };

class TableCheck {
  readonly out: Diagnostic[] = [];
  private readonly chains: ReadonlySet<string>;
  private readonly sets: ReadonlySet<string>;

  constructor(private readonly table: NftTable) {
    this.chains = new Set(table.chains.map((c) => c.name));
    this.sets = new Set(table.sets.map((s) => s.name));
  }

  private verdict(v: NftVerdict | undefined): void {
    if (!v || (v.kind !== 'jump' && v.kind !== 'goto')) return;
    if (!this.chains.has(v.chain))
      this.out.push(
        error(
          `${v.kind} to a chain that table ${this.table.family} ${this.table.name} does not have`,
          v.pos,
          'a chain of the table',
          v.chain,
        ),
      );
  }

  private namedSet(name: string, pos: SourcePos): void {
    if (this.sets.has(name)) return;
    this.out.push({
      severity: 'warning',
      message: `set @${name} is not declared in table ${this.table.family} ${this.table.name}: it must exist before nft loads these rules; nfdb takes it as empty`,
      pos,
    });
  }

  private rhs(left: NftExpr, right: NftRhs): void {
    const what = exprText(left);
    const types = partTypes(left);
    if (right.kind === 'value') checkValue(right.value, types[0], what, this.out);
    else if (right.kind === 'list')
      for (const v of right.values) checkValue(v, types[0], what, this.out);
    else if (right.kind === 'anonymous')
      for (const e of right.elements) {
        checkElement(e, types, what, this.out);
        this.verdict(e.verdict);
      }
    else this.namedSet(right.name, right.pos);
  }

  statement(s: NftStatement): void {
    switch (s.kind) {
      case 'match':
        this.rhs(s.left, s.right);
        return;
      case 'vmap':
        this.rhs(s.key, s.map);
        return;
      case 'verdict':
        this.verdict(s.verdict);
        return;
      case 'setop':
        this.namedSet(s.set, s.pos);
        return;
      case 'set':
        if ('text' in s.value)
          checkValue(s.value, partTypes(s.target)[0], exprText(s.target), this.out);
        return;
      case 'nat':
      case 'tproxy':
        if (s.address && !/^[0-9a-fA-F.:]+$/.test(s.address.text))
          this.out.push(
            error(`${s.kind}: not an address`, s.address.pos, 'an IP address', s.address.text),
          );
        return;
    }
  }

  run(): Diagnostic[] {
    for (const set of this.table.sets) {
      const types = set.keyType.map(declaredType);
      for (const e of set.elements) {
        checkElement(e, types, `${set.kind} ${set.name}`, this.out);
        this.verdict(e.verdict);
      }
    }
    for (const chain of this.table.chains)
      for (const rule of chain.rules) for (const s of rule.statements) this.statement(s);
    return this.out;
  }
}

export function checkNft(ruleset: { readonly tables: readonly NftTable[] }): Diagnostic[] {
  return ruleset.tables.flatMap((t) => new TableCheck(t).run());
}
