/**
 * Shared by the parser tests in rules/: loads iptables-save text and states the diagnostics as
 * one line each, so that a test compares line, column, message, expected and found at once.
 * Test code only; nothing in the program imports it.
 */
import type { Diagnostic, Family, Ruleset } from '../model/index.js';
import { parseSaveText } from './save-format.js';

/** `line:column message (expected; found)`. */
export function problemText(d: Diagnostic): string {
  return `${d.pos.line}:${d.pos.column} ${d.message} (${d.expected}; ${d.found})`;
}

/** The lines joined as a file: one newline after each. */
export function lines(...l: string[]): string {
  return `${l.join('\n')}\n`;
}

/** The ruleset iptables-save text makes, and every diagnostic (see problemText). */
export function loadSave(
  text: string,
  family: Family = 'ipv4',
): { ruleset: Ruleset | undefined; problems: string[] } {
  const diagnostics: Diagnostic[] = [];
  const ruleset = parseSaveText(text, { file: 'f.rules', family }, diagnostics);
  return { ruleset, problems: diagnostics.map(problemText) };
}

/** loadSave for text that must load without an error (warnings are allowed). */
export function ruleset(text: string, family: Family = 'ipv4'): Ruleset {
  const diagnostics: Diagnostic[] = [];
  const r = parseSaveText(text, { file: 'f.rules', family }, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!r || errors.length > 0) throw new Error(errors.map(problemText).join('\n'));
  return r;
}
