import { describe, expect, it } from 'vitest';
import { context, listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { tcp } from './tcp.js';

const ack = { syn: false, ack: true, fin: false, rst: false, psh: false, urg: false };

describe('tcp match', () => {
  it('matches destination and source ports, ranges and !', () => {
    expect(matchOf(tcp, '--dport 80')).toEqual({ kind: 'match' });
    expect(matchOf(tcp, '--dport 8080:8090', packet({ dport: 8085 })).kind).toBe('match');
    expect(matchOf(tcp, '--dport 15001')).toEqual({ kind: 'no-match', why: 'dport 80' });
    expect(matchOf(tcp, '! --dport 80').kind).toBe('no-match');
    expect(matchOf(tcp, '--dport ! 22').kind).toBe('match');
    expect(matchOf(tcp, '--sport 1024:').kind).toBe('match');
    expect(matchOf(tcp, '--source-port :1023')).toEqual({
      kind: 'no-match',
      why: 'sport 43210',
    });
  });

  it('does not match other protocols or later fragments', () => {
    expect(matchOf(tcp, '--dport 80', packet({ protocol: 'udp' })).kind).toBe('no-match');
    expect(matchOf(tcp, '', packet({ fragment: true })).kind).toBe('no-match');
  });

  it('tests --syn and --tcp-flags against the packet flags', () => {
    expect(matchOf(tcp, '--syn').kind).toBe('match');
    expect(matchOf(tcp, '--syn', packet({ tcpFlags: ack })).kind).toBe('no-match');
    expect(matchOf(tcp, '! --syn', packet({ tcpFlags: ack })).kind).toBe('match');
    // SYN+ACK is not --syn: the mask FIN,SYN,RST,ACK must give exactly SYN.
    const synAck = { ...ack, syn: true };
    expect(matchOf(tcp, '--syn', packet({ tcpFlags: synAck })).kind).toBe('no-match');
    expect(matchOf(tcp, '--tcp-flags SYN,ACK ACK', packet({ tcpFlags: ack })).kind).toBe('match');
    expect(matchOf(tcp, '--tcp-flags ALL NONE', packet({ tcpFlags: ack })).kind).toBe('no-match');
  });

  it('cannot decide --tcp-option', () => {
    expect(matchOf(tcp, '--tcp-option 2').kind).toBe('unknown');
  });

  it('saves as iptables-save does', () => {
    expect(saved(tcp, '--sport 1024:65535 ! --dport 80')).toBe('--sport 1024:65535 ! --dport 80');
    expect(saved(tcp, '--syn')).toBe('--tcp-flags FIN,SYN,RST,ACK SYN');
    expect(saved(tcp, '! --syn')).toBe('! --tcp-flags FIN,SYN,RST,ACK SYN');
    expect(saved(tcp, '--tcp-flags SYN,ACK ACK --dport 8080:8090')).toBe(
      '--dport 8080:8090 --tcp-flags SYN,ACK ACK',
    );
    expect(saved(tcp, '--tcp-option 2 ! --dport 22')).toBe('! --dport 22 --tcp-option 2');
    expect(saved(tcp, '--destination-port 443')).toBe('--dport 443');
  });

  it('lists as iptables -L -n does', () => {
    expect(listed(tcp, '--sport 1024:65535 ! --dport 80')).toBe('tcp spts:1024:65535 dpt:!80');
    expect(listed(tcp, '--syn')).toBe('tcp flags:0x17/0x02');
    expect(listed(tcp, '! --syn')).toBe('tcp flags:!0x17/0x02');
    expect(listed(tcp, '--dport 8080:8090 --tcp-flags SYN,ACK ACK')).toBe(
      'tcp dpts:8080:8090 flags:0x12/0x10',
    );
    expect(listed(tcp, '! --dport 22 --tcp-option 2')).toBe('tcp dpt:!22 option=2');
  });

  it('refuses bad ports and flags', () => {
    expect(refusal(tcp, '--dport 70000')).toMatch(/invalid port/);
    expect(refusal(tcp, '--dport 90:80')).toMatch(/invalid port/);
    expect(refusal(tcp, '--tcp-flags SYN BOGUS')).toMatch(/--tcp-flags/);
  });

  it('needs -p tcp', () => {
    const where = { family: 'ipv4' as const, table: 'filter' as const, hooks: [] };
    expect(tcp.check?.({}, { ...where, protocol: 'tcp', protocolNegated: false })).toBeUndefined();
    expect(tcp.check?.({}, { ...where, protocol: 'udp', protocolNegated: false })).toMatch(
      /-p tcp/,
    );
    expect(tcp.check?.({}, { ...where, protocol: 'tcp', protocolNegated: true })).toMatch(/-p tcp/);
  });

  it('ignores the context', () => {
    expect(matchOf(tcp, '--dport 80', packet(), context({ hook: 'PREROUTING' })).kind).toBe(
      'match',
    );
  });
});
