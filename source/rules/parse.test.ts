import { describe, expect, it } from 'vitest';
import { parseRules } from './index.js';

describe('parseRules reports every problem of a load at once', () => {
  it('lists the load-time checks beside the syntax errors, each at its line and column', () => {
    const text = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      '-A PREROUTING -p tcp --dport 99999 -j ACCEPT',
      '-A OUTPUT -s 300.1.1.1 -j ACCEPT',
      '-A OUTPUT -j NOPE',
      'COMMIT',
      '',
    ].join('\n');
    const errors = parseRules(text, { file: 'a.rules' })
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.pos.line}:${d.pos.column} ${d.message}`);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^4:\d+ .*99999/);
    expect(errors[1]).toMatch(/^5:\d+ .*300\.1\.1\.1/);
    expect(errors[2]).toMatch(/^6:\d+ .*NOPE/);
  });
});
