/**
 * The UI's figure for `npm run bench`: how long one step takes to draw, on the real render path
 * (Ink rendering the App into a test stdout, via ink-testing-library), for the default scenario
 * and for a node whose nat table is the 10,000-service kube-proxy dump with the cursor walking
 * through KUBE-SERVICES. Measured from the key write to the new frame; median over many steps.
 * Runs in its own process (peak RSS is its own):
 *
 *   node dist/bench/tui.js [--dump FILE] [--steps N]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { render } from 'ink-testing-library';
import type { Scenario, Trace } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { App } from '../ui/app.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { median } from './measure.js';

export interface RenderFigures {
  readonly scenario: string;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly steps: number;
  readonly traceSteps: number;
  readonly maxRssKB: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);

/** A node with the dump as its rules, opening a connection to a ClusterIP near the end. */
function kubeScenario(dump: string, service: number): Scenario {
  const rulesets = parseRules(dump, { file: 'kube-proxy.rules' }).rulesets;
  const n = service + 1;
  return {
    world: {
      name: 'kube-proxy node, 10,000 services',
      settings: { seed: 1, unknownMatch: 'stop', loopLimit: 3 },
      hosts: [
        {
          name: 'node',
          interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'], link: 'lan' }],
          routes: [{ destination: 'default', dev: 'eth0' }],
          ipRules: [],
          rulesets,
          processes: [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
          forwarding: false,
        },
      ],
    },
    traffic: [
      {
        fromHost: 'node',
        process: 'curl',
        to: { address: `10.96.${(n >> 8) & 255}.${n & 255}`, port: 80 },
        protocol: 'tcp',
        payload: 100,
      },
    ],
  };
}

const frameChange = async (lastFrame: () => string | undefined, before: string | undefined) => {
  const end = performance.now() + 5000;
  while (performance.now() < end) {
    if (lastFrame() !== before) return;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error('no new frame');
};

async function measure(
  name: string,
  scenario: Scenario,
  trace: Trace,
  start: number,
  steps: number,
) {
  // On the steps, not the findings it opens on by default: the figure is a step's render.
  const app = render(
    <App scenario={scenario} trace={trace} initialCursor={start} findingsFirst={false} />,
  );
  // Let the first frame and the input hooks settle before the first key.
  await new Promise((r) => setTimeout(r, 100));
  const times: number[] = [];
  const write = async (key: string) => {
    const before = app.lastFrame();
    const t0 = performance.now();
    app.stdin.write(key);
    await frameChange(app.lastFrame, before);
    return performance.now() - t0;
  };
  // Forward and back in turns: since rule spans a kube-proxy trace is too short to walk 200
  // steps one way, and a key at the last step draws no new frame.
  for (let i = 0; i < steps; i++) times.push(await write(i % 2 === 0 ? 'l' : 'h'));
  app.unmount();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    scenario: name,
    medianMs: median(times),
    p90Ms: sorted[Math.floor(sorted.length * 0.9)] ?? 0,
    steps,
    traceSteps: trace.steps.length,
    maxRssKB: process.resourceUsage().maxRSS,
  };
}

async function main(argv: readonly string[]): Promise<void> {
  const arg = (name: string) => argv[argv.indexOf(name) + 1];
  const steps = Number(arg('--steps') ?? 200);
  const dump = argv.includes('--dump') ? arg('--dump') : undefined;
  let figures: RenderFigures;
  if (dump) {
    const scenario = kubeScenario(readFileSync(dump, 'utf8'), 9000);
    const trace = simulate(scenario);
    // Start inside KUBE-SERVICES, where the pane shows a 10,000-rule chain: at the span of the
    // 9,000 rules the packet passes (one step since rule spans).
    const inServices = trace.steps.findIndex(
      (s) => (s.kind === 'rule' || s.kind === 'span') && s.chain === 'KUBE-SERVICES',
    );
    figures = await measure('kube-proxy 10k services', scenario, trace, inServices, steps);
  } else {
    const scenario = bookinfoScenario();
    figures = await measure('bookinfo', scenario, simulate(scenario), 0, steps);
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs the measurement in a fresh node process and returns its figures. */
export function measureStepRender(dump?: string, steps = 200): RenderFigures {
  const args = [THIS_FILE, '--steps', String(steps), ...(dump ? ['--dump', dump] : [])];
  // React's production build, as the CLI runs the UI (source/cli.tsx).
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`tui bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as RenderFigures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
