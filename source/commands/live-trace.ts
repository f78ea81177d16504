/**
 * `nfdb live --trace FILTER --allow-trace`: after the read-only capture, real packets of the
 * filter are recorded, and each connection's real path is shown beside the simulated one: in
 * the UI as they come (L), and printed at the end. The trace table's life is the session's
 * (source/io/live/trace-session.ts).
 */

import { findTool, type LiveTarget, runIn } from '../io/live/target.js';
import {
  removeLeftovers,
  TraceSession as Session,
  type TraceSession,
} from '../io/live/trace-session.js';
import type { Diagnostic } from '../model/index.js';
import { handlesFromListing, parseTrace, targetsFromSave } from '../trace/kernel-trace.js';
import { type Beside, besideText, realBeside } from '../trace/real-beside.js';
import type { LiveWorld } from '../world/live/build.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_OK } from './context.js';
import { realFeed } from './live-trace-feed.js';

/** Rule handles → iptables rule numbers, for the trace's lines (iptables-nft's tables only). */
function ruleHandles(target: LiveTarget, nft: string) {
  const targets = new Map<string, string[]>();
  for (const [tool, family] of [
    ['iptables-nft-save', 'ip'],
    ['ip6tables-nft-save', 'ip6'],
  ] as const) {
    const path = findTool(tool);
    const saved = path ? runIn(target, path, []) : undefined;
    for (const [k, v] of targetsFromSave(saved?.stdout ?? '', family)) targets.set(k, v);
  }
  return handlesFromListing(runIn(target, nft, ['-a', 'list', 'ruleset']).stdout, targets);
}

/** Resolves on the first SIGINT or SIGTERM, which then no longer end nfdb on their own. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

type Filter = { readonly text: string; readonly rules: readonly string[] };

/** The trace table set up (leftovers of killed runs removed first), or the exit code. */
async function startTracing(
  ctx: CommandContext,
  target: LiveTarget,
  live: LiveWorld,
  filter: Filter,
): Promise<{ session: TraceSession; nft: string } | number> {
  const nft = findTool('nft');
  if (!nft) {
    ctx.stderr.write('nfdb live: --trace needs nft (nftables), which is not installed\n');
    return EXIT_BAD_INPUT;
  }
  for (const table of removeLeftovers(target, nft))
    ctx.stderr.write(
      `nfdb live: removed nft table inet ${table}, left by an earlier nfdb live --trace that did not end\n`,
    );
  if (live.rules.ipv4?.backend === 'legacy' || live.rules.ipv6?.backend === 'legacy')
    ctx.stderr.write('nfdb live: warning: nft monitor trace does not see iptables-legacy rules\n');
  const session: TraceSession | string = await Session.start(target, nft, filter.rules);
  if (typeof session === 'string') {
    ctx.stderr.write(`nfdb live: --trace: ${session}\n`);
    return EXIT_BAD_INPUT;
  }
  return { session, nft };
}

/** The monitor's text so far as paths, each connection entering the host beside its simulation. */
function comparer(target: LiveTarget, nft: string, live: LiveWorld, table: string) {
  const handles = ruleHandles(target, nft);
  const host = live.scenario.world.hosts[0];
  return (text: string) => {
    if (!host) return { traced: 0, beside: [] };
    const paths = parseTrace(host.name, text, handles, new Set(), table);
    return { traced: paths.length, beside: realBeside(live.scenario, host, paths, live.senders) };
  };
}

const report = (filter: Filter, host: string, traced: number, beside: readonly Beside[]) =>
  `real packets of '${filter.text}': ${traced} traced, ${beside.length} connections entering ${host}\n${besideText(beside).join('\n')}\n`;

/**
 * In a terminal, the UI opens at once and L shows the real paths as they come; on quit (or a
 * signal) the table goes, and the comparison is printed. Without one, nfdb records until Ctrl-C
 * or SIGTERM and prints it then.
 */
export async function traceLive(
  ctx: CommandContext,
  target: LiveTarget,
  live: LiveWorld,
  filter: Filter,
  ui?: { readonly proxyLines: readonly string[]; readonly diagnostics: readonly Diagnostic[] },
): Promise<number> {
  const terminal = ui && ctx.flags.tui !== false && ctx.stdout.isTTY && ctx.stdin.isTTY;
  // Before the table exists, so that a signal while it is added still removes it.
  const stopped = terminal ? undefined : untilStopped();
  const started = await startTracing(ctx, target, live, filter);
  if (typeof started === 'number') return started;
  const { session, nft } = started;
  ctx.stderr.write(
    terminal
      ? `nfdb live: tracing '${filter.text}' with table inet ${session.table}: L in the UI shows the real paths\n`
      : `nfdb live: tracing '${filter.text}' with table inet ${session.table}: Ctrl-C to stop and compare\n`,
  );
  const compare = comparer(target, nft, live, session.table);
  const host = live.scenario.world.hosts[0]?.name ?? '';
  if (terminal && ui) {
    const feed = realFeed(session, filter.text, compare);
    const { showScenario } = await import('./tui.js');
    try {
      await showScenario(ctx, live.scenario, {
        ...ui,
        real: feed,
        leaving: () => void session.stop(),
      });
    } finally {
      feed.close();
    }
    const { traced, beside } = compare(await session.stop());
    ctx.stdout.write(report(filter, host, traced, beside));
    return EXIT_OK;
  }
  await stopped;
  const { traced, beside } = compare(await session.stop());
  ctx.stdout.write(report(filter, host, traced, beside));
  return EXIT_OK;
}
