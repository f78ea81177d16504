/**
 * istio-iptables golden files: restore input for IPv4, then (dual stack) a second restore input
 * for IPv6 that starts at the second occurrence of the first `* table` header; the lines
 * `iptables-save` / `ip6tables-save` record commands and are not rules.
 */
import type { Backend, Diagnostic, Ruleset } from '../model/index.js';
import { parseSaveLines } from './save-format.js';

export function parseIstioGolden(
  lines: readonly string[],
  file: string,
  diagnostics: Diagnostic[],
  backend?: Backend,
): Ruleset[] {
  const headers = lines.map((l, i) => [l.trim(), i] as const).filter(([l]) => l.startsWith('*'));
  const firstHeader = headers[0]?.[0];
  const second = headers.find(([l, i]) => l === firstHeader && i !== headers[0]?.[1]);
  const split = second ? second[1] : lines.length;
  const result: Ruleset[] = [];
  const v4 = parseSaveLines(
    lines.slice(0, split),
    { file, family: 'ipv4', istio: true, backend },
    diagnostics,
  );
  if (v4) result.push(v4);
  if (second) {
    const v6 = parseSaveLines(
      lines.slice(split),
      { file, family: 'ipv6', istio: true, firstLine: split + 1, backend },
      diagnostics,
    );
    if (v6) result.push(v6);
  }
  return result;
}
