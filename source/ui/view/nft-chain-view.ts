/**
 * An nft chain as the chain pane shows it: the lines `nft -a list chain` prints (each rule's text
 * with its counter as it stands at the cursor, and its handle), under the chain's declaration,
 * with the same cursor, match marks and moved counters as an iptables chain.
 */
import {
  chainNamed,
  countText,
  type NftChain,
  type NftTable,
  type Scenario,
  type Step,
  type Trace,
} from '../../model/index.js';
import { counterKey, nftCounterAt } from '../../trace/counters.js';
import type { ChainRow, ChainView } from './chain-view.js';
import type { CounterCache } from './counter-cache.js';
import type { ChainRef } from './focus-chain.js';
import { matchedSoFar } from './matched-steps.js';

/** The nft chain a focus names, in a table of the packet's family (inet sees both). */
export function findNftChain(
  scenario: Scenario,
  focus: ChainRef,
  family: 'ipv4' | 'ipv6',
): { table: NftTable; chain: NftChain } | undefined {
  const tables = scenario.world.hosts.find((h) => h.name === focus.host)?.nft?.tables ?? [];
  const sees = (t: NftTable) =>
    t.family === 'inet' || t.family === (family === 'ipv4' ? 'ip' : 'ip6');
  for (const table of tables) {
    if (table.name !== focus.table || !sees(table)) continue;
    const chain = chainNamed(table.chains, focus.chain);
    if (chain) return { table, chain };
  }
  return undefined;
}

function declaration(table: NftTable, chain: NftChain): string {
  const b = chain.base;
  const head = `table ${table.family} ${table.name} chain ${chain.name}`;
  return b
    ? `${head} { type ${b.type} hook ${b.hook.toLowerCase()} priority ${b.priorityText}; policy ${b.policy}; }`
    : head;
}

export function nftChainView(
  scenario: Scenario,
  trace: Trace,
  cursor: number,
  counters: CounterCache,
  focus: ChainRef,
  step: Step,
  browsing: ChainView['browsing'],
): ChainView | undefined {
  const found = findNftChain(scenario, focus, step.packet.family);
  if (!found) return undefined;
  const { table, chain } = found;
  const counterAt = nftCounterAt(focus.host, counters.at(cursor));
  const matchedHere = matchedSoFar(trace, cursor, focus.host);
  const movedNow = new Set(step.counters.map((c) => counterKey(c)));
  const moved = (id: string) =>
    (['ipv4', 'ipv6'] as const).some((family) =>
      movedNow.has(
        counterKey({ host: focus.host, family, table: table.name, chain: chain.name, rule: id }),
      ),
    );
  const currentRow =
    focus.ruleIndex !== undefined && (step.kind === 'rule' || step.kind === 'stop')
      ? focus.ruleIndex
      : undefined;
  const rowAt = (index: number): ChainRow | undefined => {
    const rule = chain.rules[index];
    if (!rule) return undefined;
    const c = counterAt(table, chain, rule);
    const text = c
      ? rule.text.replace(
          /\bcounter( packets \d+ bytes \d+)?/,
          `counter packets ${countText(c, 'packets')} bytes ${countText(c, 'bytes')}`,
        )
      : rule.text;
    return {
      index,
      text: `${text}${rule.handle === undefined ? '' : ` # handle ${rule.handle}`}`,
      pinnedAt: 0,
      current: currentRow === index,
      matched: matchedHere.has(rule.id),
      moved: moved(rule.id),
    };
  };
  return {
    host: focus.host,
    table: `${table.family} ${table.name}`,
    chain: chain.name,
    header: declaration(table, chain),
    columns: '',
    columnsPinnedAt: 0,
    rowCount: chain.rules.length,
    rowAt,
    policyMoved: false,
    ...(currentRow === undefined ? {} : { currentRow }),
    ...(browsing ? { browsing } : {}),
  };
}
