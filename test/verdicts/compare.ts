/**
 * nfdb's verdict on a case, as `nfdb check --backend B` gives it (loaded, or refused with its
 * first error), set beside the kernel's: agreement per backend, and the cases where the two
 * backends part, which nfdb must name in a warning.
 */
import type { Backend } from '../../source/model/index.js';
import { formatDiagnostic, parseRules } from '../../source/rules/index.js';
import type { VerdictCase } from './cases.js';
import { BACKENDS, type Verdict, type Verdicts } from './judge.js';

export interface NfdbVerdict extends Verdict {
  /** Every warning nfdb gave, so a backend difference can be found among them. */
  readonly warnings: readonly string[];
}

export function nfdbVerdict(c: VerdictCase, backend: Backend): NfdbVerdict {
  const parsed = parseRules(c.text, {
    file: 'case.rules',
    format: 'iptables-save',
    family: c.family,
    backend,
  });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  const warnings = parsed.diagnostics.filter((d) => d.severity === 'warning');
  return {
    accepted: errors.length === 0,
    said: errors.map(formatDiagnostic).join('; '),
    warnings: warnings.map(formatDiagnostic),
  };
}

export interface Disagreement {
  readonly id: string;
  readonly backend: Backend;
  readonly kernel: Verdict;
  readonly nfdb: NfdbVerdict;
}

export interface Comparison {
  readonly judged: number;
  /** Per backend: cases where nfdb's verdict is the kernel's. */
  readonly agreed: Readonly<Record<Backend, number>>;
  readonly disagreements: readonly Disagreement[];
  /** Cases one backend accepts and the other refuses, and whether nfdb said so under each. */
  readonly split: readonly { readonly id: string; readonly said: boolean }[];
}

/** Whether nfdb, loading as one backend, warns that the other one decides differently. */
function namesTheSplit(n: NfdbVerdict, other: Backend): boolean {
  return n.warnings.some((w) => w.includes(`iptables-${other}`));
}

export function compare(cases: readonly VerdictCase[], kernel: readonly Verdicts[]): Comparison {
  const agreed: Record<Backend, number> = { legacy: 0, nft: 0 };
  const disagreements: Disagreement[] = [];
  const split: { id: string; said: boolean }[] = [];
  cases.forEach((c, i) => {
    const k = kernel[i] as Verdicts;
    const mine = { legacy: nfdbVerdict(c, 'legacy'), nft: nfdbVerdict(c, 'nft') };
    for (const backend of BACKENDS) {
      if (mine[backend].accepted === k[backend].accepted) agreed[backend]++;
      else disagreements.push({ id: c.id, backend, kernel: k[backend], nfdb: mine[backend] });
    }
    if (k.legacy.accepted !== k.nft.accepted) {
      // The backend that accepts is the one that must warn of the other's refusal.
      const accepting = k.legacy.accepted ? 'legacy' : 'nft';
      const other = accepting === 'legacy' ? 'nft' : 'legacy';
      split.push({ id: c.id, said: namesTheSplit(mine[accepting], other) });
    }
  });
  return { judged: cases.length, agreed, disagreements, split };
}

/** One line per disagreement: the case, then both verdicts with their reasons. */
export function describe(d: Disagreement): string {
  const k = d.kernel.accepted ? 'accepts' : `refuses (${d.kernel.said})`;
  const n = d.nfdb.accepted ? 'accepts' : `refuses (${d.nfdb.said})`;
  return `${d.backend}: ${d.id}\n    kernel ${k}\n    nfdb ${n}`;
}
