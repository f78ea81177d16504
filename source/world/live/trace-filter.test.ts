import { describe, expect, it } from 'vitest';
import { traceFilter } from './trace-filter.js';

describe('--trace filters', () => {
  it('traces both ends of a port, and of a host', () => {
    expect(traceFilter('tcp port 9080')).toEqual({
      ok: true,
      rules: ['tcp dport 9080 meta nftrace set 1', 'tcp sport 9080 meta nftrace set 1'],
    });
    expect(traceFilter('host 10.0.0.2 and udp')).toEqual({
      ok: true,
      rules: [
        'ip saddr 10.0.0.2 meta l4proto udp meta nftrace set 1',
        'ip daddr 10.0.0.2 meta l4proto udp meta nftrace set 1',
      ],
    });
  });

  it('takes a port without a protocol as TCP or UDP', () => {
    const f = traceFilter('port 53');
    expect(f.ok && f.rules).toEqual([
      'tcp dport 53 meta nftrace set 1',
      'tcp sport 53 meta nftrace set 1',
      'udp dport 53 meta nftrace set 1',
      'udp sport 53 meta nftrace set 1',
    ]);
  });

  it('refuses what it does not know, naming the word', () => {
    expect(traceFilter('tcp portt 80')).toEqual({
      ok: false,
      message:
        "--trace \"tcp portt 80\": expected words like 'tcp port 9080', 'udp port 53', 'host 10.0.0.2' (joined with and), found \"portt\"",
    });
  });
});
