/**
 * `nfdb live`: capture a network namespace (this one, `--netns NAME`, `--pid PID`) read-only,
 * build the World it is, and step through it in the UI; `--save FILE` writes the capture as a
 * scenario file instead, to debug it elsewhere. What was captured, assumed and could not be read
 * opens the output; every reason not to go on is an error with exit 1.
 */
import { captureLive } from '../io/live/capture.js';
import { saveCapture } from '../io/live/save-capture.js';
import type { LiveTarget } from '../io/live/target.js';
import type { Diagnostic } from '../model/index.js';
import { buildLiveWorld, type LiveWorld } from '../world/live/build.js';
import { traceFilter } from '../world/live/trace-filter.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';
import { readProxyFlags } from './proxy-flags.js';

type Picked = { ok: true; target: LiveTarget } | { ok: false; message: string };

function pickTarget(flags: CommandContext['flags']): Picked {
  const { netns, pid } = flags;
  if (netns !== undefined && pid !== undefined)
    return { ok: false, message: 'choose one of --netns and --pid' };
  if (typeof netns === 'string') {
    if (!/^[\w.-]+$/.test(netns) || netns === '.' || netns === '..')
      return { ok: false, message: `--netns ${JSON.stringify(netns)}: expected a namespace name` };
    return { ok: true, target: { kind: 'netns', name: netns } };
  }
  if (pid !== undefined) {
    const n = /^\d+$/.test(String(pid)) ? Number(pid) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1)
      return { ok: false, message: `--pid ${JSON.stringify(String(pid))}: expected a process id` };
    return { ok: true, target: { kind: 'pid', pid: n } };
  }
  return { ok: true, target: { kind: 'self' } };
}

type TraceFlags =
  | { ok: true; filter?: { text: string; rules: readonly string[] } }
  | { ok: false; message: string };

/** `--trace` writes to the kernel: only with `--allow-trace`, and not with --save. */
function traceFlags(flags: CommandContext['flags']): TraceFlags {
  const text = flags.trace;
  if (text === undefined) {
    if (flags.allowTrace === true)
      return { ok: false, message: '--allow-trace goes with --trace FILTER' };
    return { ok: true };
  }
  if (flags.allowTrace !== true)
    return {
      ok: false,
      message:
        '--trace writes to the kernel (a table of its own that marks the packets to trace): give --allow-trace too',
    };
  if (flags.save !== undefined) return { ok: false, message: 'choose one of --trace and --save' };
  const filter = traceFilter(String(text));
  if (!filter.ok) return filter;
  return { ok: true, filter: { text: String(text), rules: filter.rules } };
}

/** The report: what was captured and assumed, then the warnings. */
export function liveReport(live: LiveWorld): string[] {
  return [...live.lines, ...live.warnings.map((w) => `warning: ${w}`)];
}

/** The warnings as the UI's findings. */
function findings(live: LiveWorld): Diagnostic[] {
  const at = { file: live.scenario.world.name, line: 1, column: 1 };
  return [
    ...live.diagnostics,
    ...live.warnings.map((message): Diagnostic => ({ severity: 'warning', message, pos: at })),
  ];
}

export async function liveCommand(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) {
    ctx.stderr.write(`nfdb live: no arguments, got ${ctx.args.join(' ')} (see nfdb help live)\n`);
    return EXIT_MISUSE;
  }
  const target = pickTarget(ctx.flags);
  const proxy = readProxyFlags(ctx.flags);
  if (!target.ok || !proxy.ok) {
    ctx.stderr.write(
      `nfdb live: ${target.ok ? (proxy.ok ? '' : proxy.message) : target.message}\n`,
    );
    return EXIT_MISUSE;
  }
  const trace = traceFlags(ctx.flags);
  if (!trace.ok) {
    ctx.stderr.write(`nfdb live: ${trace.message}\n`);
    return EXIT_MISUSE;
  }
  const captured = captureLive(target.target);
  if (!captured.ok) {
    ctx.stderr.write(`nfdb live: ${captured.error}\n`);
    return EXIT_BAD_INPUT;
  }
  const { preset, overrides, traffic } = proxy.value;
  const built = buildLiveWorld(captured.capture, {
    ...(preset ? { preset } : {}),
    overrides,
    ...(traffic ? { traffic } : {}),
  });
  if (!built.ok) {
    ctx.stderr.write(`nfdb live: ${built.error}\n`);
    return EXIT_BAD_INPUT;
  }
  const report = liveReport(built.live);
  if (trace.filter) {
    ctx.stdout.write(`${report.join('\n')}\n\n`);
    const { traceLive } = await import('./live-trace.js');
    return traceLive(ctx, target.target, built.live, trace.filter, {
      proxyLines: report,
      diagnostics: findings(built.live),
    });
  }
  const save = ctx.flags.save;
  if (typeof save === 'string') {
    const failed = saveCapture(save, built.live);
    if (failed) {
      ctx.stderr.write(`nfdb live: --save: ${failed}\n`);
      return EXIT_BAD_INPUT;
    }
    ctx.stdout.write(`${report.join('\n')}\nsaved to ${save}: nfdb run ${save} steps through it\n`);
    return EXIT_OK;
  }
  const { showScenario } = await import('./tui.js');
  return showScenario(ctx, built.live.scenario, {
    proxyLines: report,
    diagnostics: findings(built.live),
  });
}
