/**
 * The single binary (build/compile.ts) behaves as the Node build does. It is compiled into a
 * temporary directory outside the checkout and run there, with an empty environment (no Node on
 * its PATH), so that it can lean on nothing beside it: `--version`; `run --counters` and `--json`
 * on every shipped snapshot, byte for byte the Node run's; `check` on the corpus and the broken
 * inputs with the same output and exit codes, from files and from standard input; and in tmux,
 * the UI opened, stepped with keys, a step number typed into the goto prompt, and quit. A stray
 * byte on standard input (oven-sh/bun#42509, a NUL in Bun 1.4's compiled programs) shows there.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, ROOT } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { kernelMissing } from '../kernel/missing.js';

const BUN = join(ROOT, 'node_modules/.bin/bun');
const CLI = join(ROOT, 'dist/cli.js');
const missing = !spawnSync(BUN, ['--version']).stdout?.length
  ? 'bun is not installed (npm ci installs the devDependency)'
  : spawnSync('sh', ['-c', 'command -v tmux']).status !== 0
    ? 'tmux is not installed'
    : undefined;
if (missing) console.warn(`\n*** SINGLE-BINARY TESTS SKIPPED: ${missing} ***\n`);

const run = promisify(execFile);

interface Result {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function outcome(file: string, args: readonly string[], cwd: string): Promise<Result> {
  // Node's own environment for the Node build; nothing at all for the binary.
  const node = file === process.execPath;
  try {
    const r = await run(file, args, {
      cwd,
      env: node ? process.env : {},
      maxBuffer: 256 << 20,
      encoding: 'utf8',
    });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { status: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The same command through the Node build (in the checkout) and the binary (outside it). */
async function both(args: readonly string[], binary: string, away: string) {
  const [node, bin] = await Promise.all([
    outcome(process.execPath, [CLI, ...args], ROOT),
    outcome(binary, args, away),
  ]);
  return { node, bin };
}

const SNAPSHOTS = readdirSync(join(ROOT, 'snapshots'))
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .sort();

const CORPUS_FILES = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(rules|cmds)$/.test(f))
  .map((f) => join(CORPUS, f))
  .sort();

const INPUTS = readdirSync(join(ROOT, 'test/inputs'))
  .map((f) => join(ROOT, 'test/inputs', f))
  .sort();

describe.skipIf(missing !== undefined)('the single binary', () => {
  let away = '';
  let binary = '';

  beforeAll(async () => {
    away = mkdtempSync(join(tmpdir(), 'nfdb-binary-'));
    binary = join(away, 'nfdb');
    const built = spawnSync(BUN, [join(ROOT, 'build/compile.ts'), '--outfile', binary], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`compile failed:\n${built.stdout}${built.stderr}`);
  });

  afterAll(() => {
    if (away) rmSync(away, { recursive: true, force: true });
  });

  it('prints its version and the commit it was built from', async () => {
    const r = await outcome(binary, ['--version'], away);
    const commit = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
    }).stdout.trim();
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^nfdb ${version} \\(commit ${commit || 'unknown'}(-dirty)?, single binary, Bun `),
    );
  });

  it.each(SNAPSHOTS)('runs the shipped %s as Node does (--counters, --json)', async (name) => {
    for (const flag of ['--counters', '--json']) {
      const { node, bin } = await both(['run', `snapshots/${name}`, flag], binary, away);
      expect(node.stdout.length).toBeGreaterThan(0);
      expect(bin).toEqual(node);
    }
  });

  it('prints the default walkthrough and listing as Node does', async () => {
    for (const args of [['run'], ['run', '--list', '-x'], ['--no-tui'], ['run', '--step', '3']]) {
      const { node, bin } = await both(args, binary, away);
      expect(bin).toEqual(node);
    }
  });

  it('checks the corpus as Node does', async () => {
    const { node, bin } = await both(['check', ...CORPUS_FILES], binary, away);
    expect(node.status).toBe(0);
    expect(bin).toEqual(node);
  });

  it('checks each broken input with the same output and exit code', async () => {
    const results = await Promise.all(INPUTS.map((f) => both(['check', f], binary, away)));
    for (const { node, bin } of results) expect(bin).toEqual(node);
    // Beside the broken inputs sit two valid nft files (fixtures of the nft reader): they load.
    const valid = new Set(['nft-istio-sidecar.nft', 'nft-listed-tproxy-kube-proxy.nft']);
    expect(results.map((r) => r.node.status)).toEqual(
      INPUTS.map((f) => (valid.has(basename(f)) ? 0 : 1)),
    );
  });

  it('reads rules from standard input as Node does', () => {
    const rules = readFileSync(join(ROOT, 'snapshots/rules/istio-sidecar.rules'));
    const args = ['run', '--rules', '-', '--counters'];
    const node = spawnSync(process.execPath, [CLI, ...args], { input: rules, encoding: 'utf8' });
    const bin = spawnSync(binary, args, { input: rules, encoding: 'utf8', cwd: away, env: {} });
    expect(node.status).toBe(0);
    expect([bin.status, bin.stdout, bin.stderr]).toEqual([node.status, node.stdout, node.stderr]);
  });

  // The README's nsenter recipe: the rules of a network namespace read where they are loaded.
  const noKernel = kernelMissing();
  it.skipIf(noKernel !== undefined)('runs on the rules live in a network namespace', () => {
    const ns = `nfdb-binary-${process.pid}`;
    const rules = join(ROOT, 'snapshots/rules/istio-sidecar.rules');
    const sh = (command: string) => spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    try {
      expect(
        sh(`ip netns add ${ns} && ip netns exec ${ns} iptables-restore < ${rules}`).status,
      ).toBe(0);
      const r = sh(
        `nsenter --net=/run/netns/${ns} -- sh -c 'iptables-save | ${binary} run --rules -'`,
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^proxy: Istio sidecar \(envoy\), inferred from the rules/);
    } finally {
      sh(`ip netns del ${ns}`);
    }
  });
  if (noKernel)
    console.warn(`\n*** SINGLE BINARY IN A NETWORK NAMESPACE SKIPPED: ${noKernel} ***\n`);

  describe('in a real terminal', () => {
    const term = new Tmux(`nfdb-binary-${process.pid}`, 100, 30);
    afterAll(() => term.close());

    it('opens the UI, steps with keys, takes a typed step number, and quits cleanly', async () => {
      await term.shell();
      term.keys(`cd ${away} && env -i TERM=xterm-256color ./nfdb; echo "status=$?"`, 'Enter');
      await term.until('the findings', (s) => s.includes('Findings ·') && s.includes('step 0 of'));
      term.keys('f');
      await term.until('the steps', (s) => !s.includes('Findings ·') && s.includes('? help'));
      term.keys('l');
      await term.until('step 1', (s) => /step 1 of /.test(s));
      term.keys('l', 'l');
      await term.until('step 3', (s) => /step 3 of /.test(s));
      term.keys(':');
      await term.until('the goto prompt', (s) => /^go to step: /m.test(s));
      term.keys('15');
      // A stray byte would be typed into the prompt, and 15 would not parse.
      await term.until('the typed 15', (s) => /^go to step: 15 *$/m.test(s));
      term.keys('Enter');
      const at = await term.until('step 15', (s) => /step 15 of /.test(s) && s.includes('? help'));
      expect(at).not.toContain('go to step');
      term.keys('q');
      const after = await term.until('the shell', (s) => /^status=\d+/m.test(s));
      expect(after).toMatch(/^status=0$/m);
      expect(after).not.toContain('error');
    });
  });
});
