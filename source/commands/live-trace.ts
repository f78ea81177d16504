/**
 * `nfdb live --trace FILTER --allow-trace`: after the read-only capture, real packets of the
 * filter are recorded until Ctrl-C or SIGTERM, then each connection's real path is shown beside
 * the simulated one. The trace table's life is the session's (source/io/live/trace-session.ts).
 */

import { findTool, type LiveTarget, runIn } from '../io/live/target.js';
import {
  removeLeftovers,
  TraceSession as Session,
  type TraceSession,
} from '../io/live/trace-session.js';
import { handlesFromListing, parseTrace, targetsFromSave } from '../trace/kernel-trace.js';
import { besideText, realBeside } from '../trace/real-beside.js';
import type { LiveWorld } from '../world/live/build.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_OK } from './context.js';

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

export async function traceLive(
  ctx: CommandContext,
  target: LiveTarget,
  live: LiveWorld,
  filter: { readonly text: string; readonly rules: readonly string[] },
): Promise<number> {
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
  const stopped = untilStopped();
  const session: TraceSession | string = await Session.start(target, nft, filter.rules);
  if (typeof session === 'string') {
    ctx.stderr.write(`nfdb live: --trace: ${session}\n`);
    return EXIT_BAD_INPUT;
  }
  ctx.stderr.write(
    `nfdb live: tracing '${filter.text}' with table inet ${session.table}: Ctrl-C to stop and compare\n`,
  );
  await stopped;
  const handles = ruleHandles(target, nft);
  const text = await session.stop();
  const host = live.scenario.world.hosts[0];
  if (!host) return EXIT_OK;
  const paths = parseTrace(host.name, text, handles, new Set(), session.table);
  const beside = realBeside(live.scenario, host, paths, live.senders);
  ctx.stdout.write(
    `real packets of '${filter.text}': ${paths.length} traced, ${beside.length} connections entering ${host.name}\n${besideText(beside).join('\n')}\n`,
  );
  return EXIT_OK;
}
