import { describe, expect, it } from 'vitest';
import { listed, matchOf, packet, saved } from '../test-helpers.js';
import { hashlimit } from './hashlimit.js';
import { limit } from './limit.js';

describe('limit and hashlimit', () => {
  it('are taken as matching, and say they assumed it', () => {
    const r = matchOf(limit, '--limit 5/sec --limit-burst 10', packet());
    expect(r.kind).toBe('assumed');
    if (r.kind === 'assumed') {
      expect(r.matched).toBe(true);
      expect(r.note).toMatch(/nfdb assumes the rate/);
    }
    const h = matchOf(
      hashlimit,
      '--hashlimit-upto 10/sec --hashlimit-mode srcip --hashlimit-name probes',
      packet(),
    );
    expect(h.kind).toBe('assumed');
  });

  it('save and list as iptables does', () => {
    expect(saved(limit, '--limit 5/sec')).toBe('--limit 5/sec');
    expect(listed(limit, '--limit 5/sec --limit-burst 10')).toBe('limit: avg 5/sec burst 10');
  });
});
