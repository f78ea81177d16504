/**
 * `iptables -t nat -S` prints no table: people paste it without saying which table it was. The
 * lines themselves often tell: a target that only one table allows, or built-in chains that only
 * one table has. The line that decided is named, so the user can check the guess.
 */

import { BUILTIN_CHAINS, type TableName } from '../model/index.js';

export interface TableGuess {
  readonly table: TableName;
  /** 1-based line that decided, and the words on it that did. */
  readonly line: number;
  readonly column: number;
  readonly why: string;
}

/** Targets the kernel allows in one table only. */
const TARGET_TABLE: Readonly<Record<string, TableName>> = {
  REDIRECT: 'nat',
  DNAT: 'nat',
  SNAT: 'nat',
  MASQUERADE: 'nat',
  NETMAP: 'nat',
  TPROXY: 'mangle',
  CT: 'raw',
  NOTRACK: 'raw',
};

const TARGET = /(?:^|\s)(?:-j|--jump)\s+(\S+)/;
const BUILTIN = /^-[PAI]\s+(\S+)/;

/** The table the `-S` lines belong to, when a target or a built-in chain says it. */
export function tableOfLines(lines: readonly string[]): TableGuess | undefined {
  let chainGuess: TableGuess | undefined;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const target = TARGET.exec(line);
    const byTarget = target?.[1] ? TARGET_TABLE[target[1]] : undefined;
    if (byTarget && target) {
      const column = raw.indexOf(target[0].trim()) + 1;
      return { table: byTarget, line: index + 1, column, why: target[0].trim() };
    }
    const chain = BUILTIN.exec(line)?.[1];
    // PREROUTING and POSTROUTING, which filter lacks, are nat's as pasted far more often than not.
    if (!chainGuess && chain && !BUILTIN_CHAINS.filter.includes(chain) && isNatChain(chain))
      chainGuess = { table: 'nat', line: index + 1, column: 1, why: `chain ${chain}` };
  }
  return chainGuess;
}

const isNatChain = (chain: string) => BUILTIN_CHAINS.nat.includes(chain);
