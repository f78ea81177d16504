/**
 * What an nft script builds, command by command, as the kernel would hold it: tables in the
 * order they were made, chains, rules with handles, sets with their elements. Mutable while a
 * script is read, frozen into the model's NftRuleset at the end.
 */
import type { SourcePos } from '../../model/index.js';
import type {
  NftBase,
  NftChain,
  NftElement,
  NftFamily,
  NftRule,
  NftRuleset,
  NftSet,
  NftTable,
} from '../../model/nft.js';

export interface ChainDraft {
  name: string;
  base?: NftBase;
  rules: NftRule[];
  handle?: number;
  comment?: string;
  origin: SourcePos;
}

export interface SetDraft {
  name: string;
  kind: 'set' | 'map';
  keyType: string[];
  dataType?: string;
  flags: string[];
  timeout?: number;
  elements: NftElement[];
  comment?: string;
  origin: SourcePos;
}

export interface TableDraft {
  family: NftFamily;
  name: string;
  chains: Map<string, ChainDraft>;
  sets: Map<string, SetDraft>;
  handle?: number;
  comment?: string;
  origin: SourcePos;
  /** The next handle the kernel would give in this table. */
  nextHandle: number;
}

export class NftBuilder {
  readonly tables = new Map<string, TableDraft>();
  private nextRule = 1;

  /** `prefix`: of the ids of the rules this builder makes (`n1`… as read, `e1`… as edited). */
  constructor(private readonly prefix = 'n') {}

  /**
   * A built ruleset made mutable again, for commands to act on: new rules get `prefix` ids
   * that none of its rules has, new objects the handles the kernel would give next.
   */
  static from(ruleset: NftRuleset, prefix: string): NftBuilder {
    const b = new NftBuilder(prefix);
    for (const t of ruleset.tables) {
      const handles = [t.handle ?? 0];
      const chains = new Map<string, ChainDraft>();
      for (const c of t.chains) {
        chains.set(c.name, { ...c, rules: [...c.rules] });
        handles.push(c.handle ?? 0, ...c.rules.map((r) => r.handle ?? 0));
        for (const r of c.rules) {
          const n = r.id.startsWith(prefix) ? Number(r.id.slice(prefix.length)) : 0;
          if (Number.isInteger(n)) b.nextRule = Math.max(b.nextRule, n + 1);
        }
      }
      const sets = new Map<string, SetDraft>(
        t.sets.map((s) => [
          s.name,
          { ...s, keyType: [...s.keyType], flags: [...s.flags], elements: [...s.elements] },
        ]),
      );
      b.tables.set(NftBuilder.key(t.family, t.name), {
        ...t,
        chains,
        sets,
        nextHandle: Math.max(...handles) + 1,
      });
    }
    return b;
  }

  static key(family: NftFamily, name: string): string {
    return `${family} ${name}`;
  }

  table(family: NftFamily, name: string): TableDraft | undefined {
    return this.tables.get(NftBuilder.key(family, name));
  }

  addTable(family: NftFamily, name: string, origin: SourcePos): TableDraft {
    const found = this.table(family, name);
    if (found) return found;
    const t: TableDraft = {
      family,
      name,
      chains: new Map(),
      sets: new Map(),
      origin,
      nextHandle: 1,
    };
    this.tables.set(NftBuilder.key(family, name), t);
    return t;
  }

  ruleId(): string {
    return `${this.prefix}${this.nextRule++}`;
  }

  handle(table: TableDraft): number {
    return table.nextHandle++;
  }

  build(): NftRuleset {
    return { tables: [...this.tables.values()].map(freezeTable) };
  }
}

function freezeChain(c: ChainDraft): NftChain {
  return {
    name: c.name,
    ...(c.base ? { base: c.base } : {}),
    rules: [...c.rules],
    ...(c.handle === undefined ? {} : { handle: c.handle }),
    ...(c.comment === undefined ? {} : { comment: c.comment }),
    origin: c.origin,
  };
}

function freezeSet(s: SetDraft): NftSet {
  return {
    name: s.name,
    kind: s.kind,
    keyType: [...s.keyType],
    ...(s.dataType === undefined ? {} : { dataType: s.dataType }),
    flags: [...s.flags],
    ...(s.timeout === undefined ? {} : { timeout: s.timeout }),
    elements: [...s.elements],
    ...(s.comment === undefined ? {} : { comment: s.comment }),
    origin: s.origin,
  };
}

function freezeTable(t: TableDraft): NftTable {
  return {
    family: t.family,
    name: t.name,
    chains: [...t.chains.values()].map(freezeChain),
    sets: [...t.sets.values()].map(freezeSet),
    ...(t.handle === undefined ? {} : { handle: t.handle }),
    ...(t.comment === undefined ? {} : { comment: t.comment }),
    origin: t.origin,
  };
}
