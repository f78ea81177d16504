import { describe, expect, it } from 'vitest';
import { parseProcNet, parseSs, parseSsLine, procAddress, statusIds } from './sockets.js';

describe('ss -tulpneH lines', () => {
  it('reads the process, uid and socket mark of a listener', () => {
    const line =
      'tcp LISTEN 0      128    127.0.0.1:15008 0.0.0.0:* users:(("ztunnel",pid=19880,fd=4)) uid:1337 ino:3218339 sk:2 fwmark:0x539 cgroup:unreachable:1 <->';
    expect(parseSsLine(line)).toEqual({
      protocol: 'tcp',
      address: '127.0.0.1',
      port: 15008,
      uid: 1337,
      process: 'ztunnel',
      pid: 19880,
      mark: 0x539,
    });
  });

  it('keeps * (IPv6 without v6only), [::], an interface suffix and root as uid 0', () => {
    const text = [
      'udp UNCONN 0 0 *:5353 *:* users:(("python3",pid=7,fd=3)) ino:1 sk:1 v6only:0 <->',
      'tcp LISTEN 0 5 [::]:80 [::]:* users:(("nginx",pid=8,fd=6)) ino:2 sk:2 v6only:1 <->',
      'udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:* users:(("resolved",pid=9,fd=12)) uid:101 ino:3 sk:3 <->',
      'tcp ESTAB 0 0 10.0.0.2:9080 10.0.0.1:40000 ino:4 sk:4 <->',
    ].join('\n');
    expect(parseSs(text).map((l) => [l.protocol, l.address, l.port, l.uid])).toEqual([
      ['udp', '*', 5353, 0],
      ['tcp', '::', 80, 0],
      ['udp', '127.0.0.53', 53, 101],
    ]);
  });
});

describe('/proc/net without ss', () => {
  it('reads listening TCP and unconnected UDP sockets with their owners', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:3AA0 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1337        0 3218339 1 0 100 0 0 10 0',
      '   1: 0200000A:2378 0100000A:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 3218340 1 0 100 0 0 10 0',
    ].join('\n');
    const owners = new Map([[3218339, { pid: 12, name: 'envoy' }]]);
    expect(parseProcNet(tcp, 'tcp', owners)).toEqual([
      { protocol: 'tcp', address: '127.0.0.1', port: 15008, uid: 1337, pid: 12, process: 'envoy' },
    ]);
    const udp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      ' 8642: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3218338 2 0 0',
    ].join('\n');
    expect(parseProcNet(udp6, 'udp', new Map())).toEqual([
      { protocol: 'udp', address: '::', port: 5353, uid: 0 },
    ]);
  });

  it('writes IPv6 addresses as ip does', () => {
    expect(procAddress('00000000000000000000000001000000')).toBe('::1');
    expect(procAddress('B80D0120000000000000000002000000')).toBe('2001:db8::2');
  });

  it('reads the effective uid and gid of /proc/PID/status', () => {
    const status = 'Name:\tenvoy\nUid:\t0\t1337\t1337\t1337\nGid:\t0\t1337\t1337\t1337\n';
    expect(statusIds(status)).toEqual({ name: 'envoy', uid: 1337, gid: 1337 });
  });
});
