/**
 * The two verdicts on each case file: the real iptables-legacy-restore's and
 * iptables-nft-restore's, each committing the file in a fresh network namespace (only a commit
 * reaches the kernel's checkentry: `--test` stops at the userspace parser). One restore judges
 * one file, since a batch reports its first error only; the files are shared among a few
 * namespaces, each running its share in one shell loop, so the cost is the restores themselves
 * (a kernel commit mostly waits, so more namespaces than cores still pay). Each restore flushes
 * the tables its file names, so a case never sees the one before it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Netns } from '../../source/io/netns.js';
import type { VerdictCase } from './cases.js';

export const BACKENDS = ['legacy', 'nft'] as const;
export type KernelBackend = (typeof BACKENDS)[number];

export interface Verdict {
  readonly accepted: boolean;
  /** What the tool said, trimmed: its reason when it refused. */
  readonly said: string;
}

export type Verdicts = Readonly<Record<KernelBackend, Verdict>>;

/** The ipsets every namespace has, so that `-m set` cases are judged on the options alone. */
const SETS = ['create nfdb4 hash:ip family inet', 'create nfdb6 hash:ip family inet6'];

// Each record: the case index, the backend, the status, what the tool said; NUL-separated.
const LOOP = `
for f in "$@"; do
  i=\${f##*/}; i=\${i%.*}; six=; case "$f" in *.v6) six=6;; esac
  for b in legacy nft; do
    out=$(ip\${six}tables-$b-restore < "$f" 2>&1); rc=$?
    printf '%s\\t%s\\t%s\\t%s\\0' "$i" "$b" "$rc" "$out"
  done
done`;

function runWorker(ns: Netns, files: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns.name, 'sh', '-c', LOOP, 'judge', ...files], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

/** A tool's words without its usage hint and version banner: the reason alone. */
function reason(said: string): string {
  return said
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('Try `'))
    .map((l) => l.replace(/^ip6?tables(-nft|-legacy)?-restore v[\d.]+ \([\w_]+\):\s*/, ''))
    .filter((l) => l !== '')
    .join('; ');
}

/** Judges every case with both backends; `workers` namespaces share the work. */
export async function judge(cases: readonly VerdictCase[], workers = 6): Promise<Verdicts[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nfdb-verdicts-'));
  const spaces: Netns[] = [];
  try {
    const files = cases.map((c, i) => {
      const path = join(dir, `${i}.${c.family === 'ipv6' ? 'v6' : 'v4'}`);
      writeFileSync(path, c.text);
      return path;
    });
    for (let w = 0; w < workers; w++) {
      const ns = Netns.create('nfdb-verdict');
      spaces.push(ns);
      ns.exec('ipset', ['restore'], `${SETS.join('\n')}\n`);
    }
    const shares = spaces.map((_, w) => files.filter((_f, i) => i % workers === w));
    const outputs = await Promise.all(spaces.map((ns, w) => runWorker(ns, shares[w] ?? [])));
    const found = new Map<string, Verdict>();
    for (const record of outputs.join('').split('\0')) {
      const [index, backend, rc, ...said] = record.split('\t');
      if (index === undefined || rc === undefined) continue;
      found.set(`${index} ${backend}`, { accepted: rc === '0', said: reason(said.join('\t')) });
    }
    return cases.map((_c, i) => {
      const get = (b: KernelBackend): Verdict => {
        const verdict = found.get(`${i} ${b}`);
        if (!verdict) throw new Error(`no ${b} verdict for case ${i}`);
        return verdict;
      };
      return { legacy: get('legacy'), nft: get('nft') };
    });
  } finally {
    for (const ns of spaces) ns.delete();
    rmSync(dir, { recursive: true, force: true });
  }
}
