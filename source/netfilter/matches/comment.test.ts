import { describe, expect, it } from 'vitest';
import { listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { comment } from './comment.js';

describe('comment match', () => {
  it('matches every packet', () => {
    expect(matchOf(comment, '--comment "ns/svc:http cluster IP"')).toEqual({ kind: 'match' });
    expect(matchOf(comment, '--comment x', packet({ protocol: 'udp' })).kind).toBe('match');
  });

  it('saves as iptables-save does: bare words bare, the rest quoted and escaped', () => {
    expect(saved(comment, '--comment plain_word-1')).toBe('--comment plain_word-1');
    expect(saved(comment, '--comment "istio: hello world"')).toBe('--comment "istio: hello world"');
    expect(saved(comment, `--comment 'a "quoted" back\\\\slash'`)).toBe(
      '--comment "a \\"quoted\\" back\\\\slash"',
    );
    expect(saved(comment, '--comment ns1/svc1:p80')).toBe('--comment "ns1/svc1:p80"');
  });

  it('lists as iptables -L does', () => {
    expect(listed(comment, '--comment "istio: hello world"')).toBe('/* istio: hello world */');
  });

  it('keeps the first 255 characters of a longer comment, as the kernel tools do', () => {
    expect(saved(comment, `--comment ${'x'.repeat(300)}`)).toBe(`--comment ${'x'.repeat(255)}`);
    expect(refusal(comment, '')).toMatch(/must be specified/);
  });
});
