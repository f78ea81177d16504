/**
 * An nft ruleset back to text: as a script `nft -f` loads in one go (every table, chain, set
 * and map declared before any rule or element, since nft refuses a jump to a chain not yet
 * made), and as `nft list` prints it (table blocks, chains with their hook and policy, counters
 * as they stand). Rules keep the text they were written in: nft reads it back the same.
 */
import { type Counters, countText } from '../../model/index.js';
import type {
  NftChain,
  NftElement,
  NftRule,
  NftRuleset,
  NftSet,
  NftTable,
  NftVerdict,
} from '../../model/nft.js';

function verdictText(v: NftVerdict): string {
  return v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind;
}

function elementText(e: NftElement): string {
  const key = e.key.map((k) => k.text).join(' . ');
  const comment = e.comment === undefined ? '' : ` comment "${e.comment}"`;
  const data = e.verdict ? ` : ${verdictText(e.verdict)}` : e.data ? ` : ${e.data.text}` : '';
  return `${key}${comment}${data}`;
}

function setSpec(s: NftSet): string {
  const type = `type ${s.keyType.join(' . ')}${s.dataType ? ` : ${s.dataType}` : ''}`;
  const parts = [
    type,
    ...(s.flags.length > 0 ? [`flags ${s.flags.join(',')}`] : []),
    ...(s.timeout === undefined ? [] : [`timeout ${s.timeout}s`]),
    ...(s.comment === undefined ? [] : [`comment "${s.comment}"`]),
  ];
  return parts.join(' ; ');
}

function chainSpec(c: NftChain): string | undefined {
  const b = c.base;
  if (!b) return undefined;
  return `type ${b.type} hook ${b.hook.toLowerCase()} priority ${b.priority} ; policy ${b.policy} ;`;
}

/** A script `nft -f` loads: declarations first, then elements and rules in their order. */
export function toNftScript(ruleset: NftRuleset): string {
  const lines: string[] = [];
  const later: string[] = [];
  for (const t of ruleset.tables) {
    const at = `${t.family} ${t.name}`;
    lines.push(`add table ${at}`);
    for (const c of t.chains) {
      const spec = chainSpec(c);
      lines.push(`add chain ${at} ${c.name}${spec ? ` { ${spec} }` : ''}`);
    }
    for (const s of t.sets) {
      lines.push(`add ${s.kind} ${at} ${s.name} { ${setSpec(s)} ; }`);
      if (s.elements.length > 0)
        later.push(`add element ${at} ${s.name} { ${s.elements.map(elementText).join(', ')} }`);
    }
    for (const c of t.chains)
      for (const r of c.rules) later.push(`add rule ${at} ${c.name} ${r.text}`);
  }
  return `${[...lines, ...later].join('\n')}\n`;
}

/** How a rule's counter stands, for a listing: undefined for a rule without `counter`. */
export type RuleCounters = (
  table: NftTable,
  chain: NftChain,
  rule: NftRule,
) => Counters | undefined;

/** The rule's text with its counter as it stands (`counter packets 3 bytes 180`). */
function ruleLine(rule: NftRule, counters: Counters | undefined): string {
  if (!counters) return rule.text;
  const now = `counter packets ${countText(counters, 'packets')} bytes ${countText(counters, 'bytes')}`;
  return /\bcounter( packets \d+ bytes \d+)?/.test(rule.text)
    ? rule.text.replace(/\bcounter( packets \d+ bytes \d+)?/, now)
    : rule.text;
}

/** One table as `nft -a list table` prints it (handles when the ruleset knows them). */
export function nftTableListing(table: NftTable, counters?: RuleCounters): string {
  const handle = (h: number | undefined) => (h === undefined ? '' : ` # handle ${h}`);
  const out: string[] = [`table ${table.family} ${table.name} {${handle(table.handle)}`];
  if (table.comment !== undefined) out.push(`\tcomment "${table.comment}"`);
  const blocks: string[][] = [];
  for (const s of table.sets) {
    const block = [
      `\t${s.kind} ${s.name} {`,
      `\t\ttype ${s.keyType.join(' . ')}${s.dataType ? ` : ${s.dataType}` : ''}`,
    ];
    if (s.flags.length > 0) block.push(`\t\tflags ${s.flags.join(',')}`);
    if (s.timeout !== undefined) block.push(`\t\ttimeout ${s.timeout}s`);
    if (s.comment !== undefined) block.push(`\t\tcomment "${s.comment}"`);
    if (s.elements.length > 0)
      block.push(`\t\telements = { ${s.elements.map(elementText).join(',\n\t\t\t     ')} }`);
    block.push('\t}');
    blocks.push(block);
  }
  for (const c of table.chains) {
    const block = [`\tchain ${c.name} {${handle(c.handle)}`];
    const b = c.base;
    if (b)
      block.push(
        `\t\ttype ${b.type} hook ${b.hook.toLowerCase()} priority ${b.priorityText}; policy ${b.policy};`,
      );
    for (const r of c.rules)
      block.push(`\t\t${ruleLine(r, counters?.(table, c, r))}${handle(r.handle)}`);
    block.push('\t}');
    blocks.push(block);
  }
  out.push(blocks.map((b) => b.join('\n')).join('\n\n'));
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Every table, as `nft list ruleset` prints them. */
export function nftListing(ruleset: NftRuleset, counters?: RuleCounters): string {
  return ruleset.tables.map((t) => nftTableListing(t, counters)).join('');
}
