/**
 * Inputs far past anything real (a million lines, one 50 MB line): answered with diagnostics in
 * bounded memory, the error text short. No timing assertions: the test's own timeout bounds it.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticText, parseRules } from './index.js';

describe('huge inputs', () => {
  it('a million comment lines and one rule: loads', () => {
    const text = `*filter\n${'# a comment\n'.repeat(1_000_000)}:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n`;
    const result = parseRules(text, { file: 'big.rules' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.rulesets[0]?.tables[0]?.chains[0]?.rules).toHaveLength(1);
  });

  it('a million lines of junk: refused, each error at its line', () => {
    const text = `*filter\n:INPUT ACCEPT [0:0]\n${'junk\n'.repeat(1_000_000)}COMMIT\n`;
    const result = parseRules(text, { file: 'junk.rules' });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.pos.line).toBe(3);
  });

  it('one 50 MB line (an interface name the kernel refuses): refused, and the error line stays short', () => {
    const text = `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i ${'x'.repeat(50 * 1024 * 1024)} -j ACCEPT\nCOMMIT\n`;
    const result = parseRules(text, { file: 'long.rules' });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    const line = diagnosticText(errors[0] as (typeof errors)[number]);
    expect(line.length).toBeLessThan(1000);
    expect(line).toContain('characters in all');
  });
});
