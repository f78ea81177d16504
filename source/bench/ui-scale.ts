/**
 * The UI on a kube-proxy node as a person meets it, in a pseudo-terminal: the time from spawn to
 * the first frame of `nfdb --rules DUMP --to CLUSTERIP:80` with each build (Node and the single
 * binary, in turns), and a keypress inside KUBE-SERVICES (the chain of one rule per Service)
 * beside the terminal's echo floor; on the bench's dump and on one four times its size (40,000
 * services by default, a 40,000-rule KUBE-SERVICES), written here and removed after. A UI that
 * shows no frame at a size is a MISS with its reason, and the other rows still run.
 */
import { unlinkSync } from 'node:fs';
import type { BenchContext, Figure, Measurement } from './index.js';
import { havePty, measureKeypress } from './keypress.js';
import { serviceOf, writeKubeProxyDump } from './kube-proxy.js';
import { median } from './measure.js';
import { firstFrameMs, type Launcher, launchers } from './startup.js';

/** First-frame targets by services: 1.5 s at 10k, 5 s at 40k (issue 18). */
const frameTarget = (services: number) => (services <= 10_000 ? 1500 : 5000);

const sizeLabel = (services: number) =>
  `${services.toLocaleString('en-US')}-service kube-proxy dump`;

const reasonOf = (error: unknown) =>
  String(error instanceof Error ? error.message : error).slice(0, 300);

/** The Service 90% of the way down KUBE-SERVICES, as the engine's figure uses. */
const serviceAt = (services: number) => serviceOf(Math.floor(services * 0.9));

/** Spawn to first frame with each build, `reps` runs in turns; a build with no frame says why. */
function firstFrames(file: string, services: number, reps: number): Figure[] {
  const service = serviceAt(services);
  const args = ['--rules', file, '--to', `${service.clusterIp}:80`];
  const all = launchers();
  const runs = all.map(() => [] as number[]);
  const failed = all.map(() => undefined as string | undefined);
  for (let i = 0; i < reps; i++)
    all.forEach((launcher, k) => {
      if (failed[k] !== undefined) return;
      try {
        runs[k]?.push(firstFrameMs(launcher, args));
      } catch (error) {
        failed[k] = reasonOf(error);
      }
    });
  const limit = frameTarget(services);
  return all.map((launcher: Launcher, k): Figure => {
    const figure = `UI: first frame, ${sizeLabel(services)} (${launcher.name})`;
    const why = failed[k];
    if (why !== undefined)
      return { figure, target: `< ${limit} ms`, verdict: 'MISS', note: `no frame: ${why}` };
    const ms = median(runs[k] ?? []);
    return {
      figure,
      unit: 'ms',
      nfdb: ms,
      target: `< ${limit} ms`,
      verdict: ms < limit ? 'PASS' : 'MISS',
      note: `spawn to the title in a 120x40 pty: read, parse, fit the proxy, simulate, draw; median of ${reps}, the builds in turns`,
    };
  });
}

/** h and l in turns at the step where the packet matches its Service's rule in KUBE-SERVICES. */
function keypress(file: string, services: number, reps: number): Figure {
  const figure = `UI: keypress to frame in a terminal, inside KUBE-SERVICES, ${sizeLabel(services)}`;
  const node = launchers()[0];
  const service = serviceAt(services);
  try {
    if (!node) throw new Error('no Node build');
    const keys = measureKeypress(node.argv, `${services} services`, reps, {
      file,
      to: `${service.clusterIp}:80`,
      find: service.svc,
    });
    return {
      figure,
      unit: 'ms',
      nfdb: keys.frameMs,
      anchor: keys.floorMs,
      target: '< 16 ms + floor',
      verdict: keys.frameMs < 16 + keys.floorMs ? 'PASS' : 'MISS',
      note: `h and l in turns at step ${keys.step} (the rule for ${service.svc}, row ${Math.floor(services * 0.9) + 1} of ${services.toLocaleString('en-US')}), median of ${keys.keys} (p90 ${keys.p90Ms.toFixed(1)} ms); anchor: a Node program echoing the key in the same kind of pty`,
    };
  } catch (error) {
    return {
      figure,
      target: '< 16 ms + floor',
      verdict: 'MISS',
      note: `no frame: ${reasonOf(error)}`,
    };
  }
}

function atSize(file: string, services: number, reps: number, frameReps: number): Figure[] {
  return [...firstFrames(file, services, frameReps), keypress(file, services, reps)];
}

export const uiAtScale: Measurement = {
  name: 'UI: first frame and keypress at scale',
  run(ctx: BenchContext) {
    if (!havePty()) return [];
    const node = launchers()[0];
    if (!node) return [];
    const reps = Math.max(20, ctx.reps * 8);
    const keys = measureKeypress(node.argv, 'default scenario', reps);
    const rows: Figure[] = [
      {
        figure: 'UI: keypress to frame in a terminal, default scenario',
        unit: 'ms',
        nfdb: keys.frameMs,
        anchor: keys.floorMs,
        target: '< 16 ms + floor',
        verdict: keys.frameMs < 16 + keys.floorMs ? 'PASS' : 'MISS',
        note: `h and l in turns at step 2, median of ${keys.keys} (p90 ${keys.p90Ms.toFixed(1)} ms); anchor: a Node program echoing the key in the same kind of pty`,
      },
      ...atSize(ctx.input.file, ctx.shape.services, reps, Math.max(1, ctx.reps)),
    ];
    const larger = { ...ctx.shape, services: ctx.shape.services * 4 };
    const dump = writeKubeProxyDump(larger);
    try {
      rows.push(...atSize(dump.file, larger.services, reps, 1));
    } finally {
      unlinkSync(dump.file);
    }
    return rows;
  },
};
