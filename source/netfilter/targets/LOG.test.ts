import { describe, expect, it } from 'vitest';
import { actOf, listed, refusal, saved } from '../test-helpers.js';
import { LOG } from './LOG.js';

describe('LOG target', () => {
  it('writes a note and goes on', () => {
    expect(actOf(LOG, '--log-prefix "nfdb: "')).toEqual({ verdict: 'CONTINUE', note: 'LOG nfdb:' });
    expect(actOf(LOG, '').verdict).toBe('CONTINUE');
  });

  it('saves as iptables-save does: level 4 (warning) left out, flags in kernel order', () => {
    expect(saved(LOG, '--log-uid --log-tcp-options --log-level 6 --log-prefix "nfdb: "')).toBe(
      '--log-prefix "nfdb: " --log-level 6 --log-tcp-options --log-uid',
    );
    expect(saved(LOG, '--log-level warning --log-prefix x')).toBe('--log-prefix x');
    expect(saved(LOG, '--log-level info')).toBe('--log-level 6');
    expect(saved(LOG, '')).toBe('');
  });

  it('lists as iptables -L -n does', () => {
    expect(listed(LOG, '--log-prefix "nfdb: " --log-level 6 --log-uid --log-tcp-options')).toBe(
      'LOG flags 10 level 6 prefix "nfdb: "',
    );
    expect(listed(LOG, '')).toBe('LOG flags 0 level 4');
  });

  it('cuts a long prefix to 29 characters, as the kernel tools do, and refuses a bad level', () => {
    expect(saved(LOG, `--log-prefix ${'x'.repeat(30)}`)).toBe(`--log-prefix ${'x'.repeat(29)}`);
    expect(refusal(LOG, '--log-level 9')).toMatch(/bad value/);
    expect(refusal(LOG, '--log-level warn')).toMatch(/bad value/);
  });
});
