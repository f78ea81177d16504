/**
 * Line-per-command formats: `iptables -S` output of one table (`-P`, `-N`, `-A` lines; the table
 * from --table or the file name) and files of `iptables ...` / `ip6tables ...` commands.
 */

import type { Backend, Diagnostic, Family, Ruleset, TableName } from '../model/index.js';
import { RulesetBuilder } from './builder.js';
import { type LineContext, runCommand } from './commands.js';
import type { HostNames } from './host-names.js';
import { tokenize } from './tokenize.js';

/** The iptables programs a command line may start with, and the family each works on. */
export const PROGRAMS: Readonly<Record<string, Family>> = {
  iptables: 'ipv4',
  'iptables-nft': 'ipv4',
  'iptables-legacy': 'ipv4',
  ip6tables: 'ipv6',
  'ip6tables-nft': 'ipv6',
  'ip6tables-legacy': 'ipv6',
};

export function parseCommandLines(
  lines: readonly string[],
  options: {
    file: string;
    family: Family;
    table?: TableName;
    commands: boolean;
    /** The backend asked for; else the program's (`iptables-legacy`), else nft. */
    backend?: Backend;
    hosts?: HostNames;
  },
  diagnostics: Diagnostic[],
): Ruleset[] {
  const builders = new Map<Family, RulesetBuilder>();
  const builderFor = (family: Family, program?: string) => {
    let b = builders.get(family);
    if (!b) {
      const backend = options.backend ?? (program?.endsWith('-legacy') ? 'legacy' : 'nft');
      b = new RulesetBuilder(family, diagnostics, backend);
      builders.set(family, b);
    }
    return b;
  };
  if (!options.commands)
    builderFor(options.family).table(options.table ?? 'filter', {
      file: options.file,
      line: 1,
      column: 1,
    });
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const tokenized = tokenize(raw);
    const pos = { file: options.file, line: index + 1, column: 1 };
    if (!tokenized.ok) {
      diagnostics.push({
        severity: 'error',
        message: tokenized.message,
        expected: 'a closing quote',
        found: 'end of line',
        pos: { ...pos, column: tokenized.column },
      });
      return;
    }
    const tokens = tokenized.tokens;
    let start = 0;
    let family = options.family;
    let program: string | undefined;
    if (options.commands) {
      if (tokens[0]?.text === 'sudo') start++;
      program = tokens[start]?.text.split('/').pop() ?? '';
      const programFamily = PROGRAMS[program];
      if (!programFamily) {
        diagnostics.push({
          severity: 'error',
          message: `not an iptables command`,
          expected: 'iptables ... or ip6tables ...',
          found: tokens[start]?.text ?? '',
          pos: { ...pos, column: tokens[start]?.column ?? 1 },
        });
        return;
      }
      family = programFamily;
      start++;
    }
    const ctx: LineContext = {
      file: options.file,
      line: index + 1,
      family,
      diagnostics,
      builder: builderFor(family, program),
      table: options.commands ? undefined : (options.table ?? 'filter'),
      strictNew: true,
      hosts: options.hosts,
    };
    runCommand(tokens, start, ctx);
  });
  return [...builders.values()].filter((b) => b.hasTables()).map((b) => b.build());
}
