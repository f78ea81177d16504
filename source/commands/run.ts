/**
 * `nfdb run`: the trace without a UI, as a walkthrough, as JSON, or as each host's final
 * counters in the formats of the real tools (`iptables-save -c`, `iptables -L -v -n`).
 */

import { writeJson } from '../io/json-stream.js';
import type { Scenario, Trace } from '../model/index.js';
import { TABLE_NAMES } from '../model/index.js';
import { toIptablesSave } from '../rules/index.js';
import { toListing } from '../rules/listing.js';
import { nftTableListing } from '../rules/nft/script-text.js';
import { deltasUpTo, nftCounterAt, rulesetAt } from '../trace/counters.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { walkthrough } from '../trace/walkthrough.js';
import { simulate } from '../world/simulate.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';
import { traceForJson } from './exact-json.js';
import { withProxyModeFlag } from './scenario.js';
import { userScenario } from './user-scenario.js';
import type { WhatIf } from './what-if.js';
import { hasWhatIf } from './what-if-flags.js';

function finalRulesets(scenario: Scenario, trace: Trace) {
  const deltas = deltasUpTo(trace);
  return scenario.world.hosts.map((h) => ({
    host: h.name,
    rulesets: h.rulesets.map((r) => rulesetAt(r, h.name, deltas)),
  }));
}

/** A host's nft tables as `nft list table` prints them, counters as they stand at the end. */
function nftText(scenario: Scenario, trace: Trace, host: string): string[] {
  const nft = scenario.world.hosts.find((h) => h.name === host)?.nft;
  if (!nft) return [];
  const counters = nftCounterAt(host, deltasUpTo(trace));
  return nft.tables.flatMap((t) => [
    `# nft list table ${t.family} ${t.name}`,
    nftTableListing(t, counters).trimEnd(),
  ]);
}

export function countersText(scenario: Scenario, trace: Trace): string {
  return finalRulesets(scenario, trace)
    .map(({ host, rulesets }) =>
      [
        `# host ${host}`,
        ...rulesets.map((r) => toIptablesSave(r, { counters: true }).trimEnd()),
        ...nftText(scenario, trace, host),
      ].join('\n'),
    )
    .join('\n')
    .concat('\n');
}

export function listingText(scenario: Scenario, trace: Trace, exact: boolean): string {
  const out: string[] = [];
  for (const { host, rulesets } of finalRulesets(scenario, trace)) {
    out.push(`# host ${host}`);
    for (const r of rulesets) {
      for (const table of TABLE_NAMES) {
        if (!r.tables.some((t) => t.name === table)) continue;
        out.push(
          `# ${r.family === 'ipv4' ? 'iptables' : 'ip6tables'} -t ${table} -L -v -n${exact ? ' -x' : ''}`,
        );
        out.push(toListing(r, { table, exact }).trimEnd(), '');
      }
    }
    for (const line of nftText(scenario, trace, host))
      out.push(line, ...(line.startsWith('#') ? [] : ['']));
  }
  return `${out.join('\n')}\n`;
}

/** What nfdb assumed about the proxy, before the walkthrough's findings (nothing if nothing). */
export function proxyText(lines: readonly string[]): string {
  return lines.length > 0 ? `${lines.join('\n')}\n\n` : '';
}

export async function runCommand(ctx: CommandContext): Promise<number> {
  const modes = ['json', 'counters', 'list'].filter((m) => ctx.flags[m] === true);
  if (modes.length > 1) {
    ctx.stderr.write(
      `nfdb run: choose one of --json, --counters, --list (got ${modes.join(', ')})\n`,
    );
    return EXIT_MISUSE;
  }
  const mode = modes[0];
  const picked = await userScenario(ctx);
  if (!picked.ok) return picked.code;
  const original = withProxyModeFlag(ctx, picked.scenario);
  const compare = ctx.flags.compare === true;
  // The edits, --set's schema and the trace diff load only for a what-if.
  const whatIfs = hasWhatIf(ctx) ? await import('./what-if.js') : undefined;
  if (compare && !whatIfs) {
    ctx.stderr.write('nfdb run: --compare compares with the edits of --edit or --set: give one\n');
    return EXIT_MISUSE;
  }
  if (compare && (mode === 'counters' || mode === 'list')) {
    ctx.stderr.write(`nfdb run: --compare prints the comparison, not --${mode}\n`);
    return EXIT_MISUSE;
  }
  const edited: WhatIf = whatIfs
    ? whatIfs.whatIf(ctx, original)
    : { ok: true, scenario: original, edits: [], sets: [] };
  if (!edited.ok) {
    ctx.stderr.write(`nfdb: ${edited.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (compare && whatIfs) {
    const { data, lines } = whatIfs.comparison(original, edited);
    if (mode === 'json') await writeJson(ctx.stdout, data);
    else ctx.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  }
  const scenario = edited.scenario;
  const trace = simulate(scenario);
  const connection = ctx.flags.connection;
  if (
    // checkFlags made it a whole number from 1; only the trace knows how many there are.
    typeof connection === 'number' &&
    connection > trace.connections.length
  ) {
    ctx.stderr.write(
      `nfdb: --connection ${connection}: the scenario has connections 1 to ${trace.connections.length}\n`,
    );
    return EXIT_MISUSE;
  }
  if (mode !== undefined && picked.proxyLines.length > 0)
    ctx.stderr.write(proxyText(picked.proxyLines));
  // Streamed: the JSON of a few thousand connections is longer than a string can be.
  if (mode === 'json') await writeJson(ctx.stdout, traceForJson(trace));
  else if (mode === 'counters') ctx.stdout.write(countersText(scenario, trace));
  else if (mode === 'list')
    ctx.stdout.write(listingText(scenario, trace, ctx.flags.exact === true));
  else
    ctx.stdout.write(
      proxyText(picked.proxyLines) +
        walkthrough(trace, {
          rules: ruleLookup(scenario.world.hosts, trace),
          ...(typeof connection === 'number' ? { connection } : {}),
        }),
    );
  return EXIT_OK;
}
