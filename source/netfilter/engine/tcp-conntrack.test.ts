/**
 * Which TCP segments conntrack calls INVALID, seen from the stack: client 10.0.0.2 sends to
 * server 10.0.0.3, whose nat PREROUTING redirects port 80 to 8080 (where `web` listens; `app`
 * listens on 80, as a sidecar's app does) and whose mangle PREROUTING counts what
 * `--ctstate INVALID` matches.
 */
import { describe, expect, it } from 'vitest';
import type {
  ConntrackSysctls,
  Packet,
  Step,
  TcpFlags,
  WindowPosition,
} from '../../model/index.js';
import { hostConfig, packet, rulesetOf, saveText } from '../test-helpers.js';
import { makeHost } from './host.js';
import { TraceRecorder } from './recorder.js';
import { Stack } from './stack.js';

const SETTINGS = { seed: 1, unknownMatch: 'stop', loopLimit: 3 } as const;

const RULES = [
  saveText('mangle', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -m conntrack --ctstate INVALID'),
  saveText(
    'nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    '-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080',
  ),
].join('');

const FLAGS: Record<string, Partial<TcpFlags>> = {
  SYN: { syn: true },
  'SYN-ACK': { syn: true, ack: true },
  ACK: { ack: true },
  RST: { rst: true },
  FIN: { fin: true, ack: true },
};

function segment(name: string, window?: WindowPosition): Packet {
  const f = FLAGS[name] ?? {};
  const flags = { syn: false, ack: false, fin: false, rst: false, psh: false, urg: false, ...f };
  const p = packet({ src: '10.0.0.2', dst: '10.0.0.3', sport: 40000, dport: 80, tcpFlags: flags });
  return window ? { ...p, window } : p;
}

/** Two hosts that keep their conntrack tables across the segments sent. */
function hosts(sysctls?: ConntrackSysctls) {
  const server = makeHost(
    hostConfig({
      name: 'server',
      interfaces: [{ name: 'eth0', addresses: ['10.0.0.3/24'], link: 'lan' }],
      rulesets: [rulesetOf(RULES)],
      ...(sysctls ? { conntrack: sysctls } : {}),
    }),
  );
  for (const [process, port] of [
    ['web', 8080],
    ['app', 80],
  ] as const)
    server.sockets.add({
      process,
      uid: 33,
      gid: 33,
      protocol: 'tcp',
      local: { address: '0.0.0.0', port },
      listening: true,
      transparent: false,
      mark: 0,
    });
  const client = makeHost(hostConfig({ name: 'client' }));
  const all = new Map([
    ['client', client],
    ['server', server],
  ]);
  return (p: Packet) => {
    const rec = new TraceRecorder('tcp');
    const arrival = new Stack(all, rec, SETTINGS).send(client, {
      packet: p,
      untracked: false,
      zone: 0,
    });
    const steps = rec.finish([...all.keys()], []).steps.filter((s) => s.host === 'server');
    return { arrival, steps };
  };
}

/** The server's conntrack event at PREROUTING, and whether the INVALID rule counted it. */
function seen(steps: readonly Step[]) {
  const event = steps.find((s) => s.kind === 'conntrack' && s.hook === 'PREROUTING');
  const invalidRule = steps.some(
    (s) => s.kind === 'rule' && s.table.name === 'mangle' && s.matched,
  );
  const natConsulted = steps.some((s) => s.kind === 'rule' && s.table.name === 'nat');
  return {
    event: event?.kind === 'conntrack' ? event.event : undefined,
    invalidRule,
    natConsulted,
  };
}

describe('a TCP segment with no conntrack entry', () => {
  it.each([
    ['RST', 'RST'],
    ['SYN-ACK', 'SYN-ACK'],
    ['FIN', 'FIN'],
  ] as const)('is INVALID as a %s: it cannot open a connection, and skips nat', (name, kind) => {
    const { steps } = hosts()(segment(name));
    expect(seen(steps)).toEqual({
      event: { kind: 'invalid', why: { kind: 'cannot-open', segment: kind } },
      invalidRule: true,
      natConsulted: false,
    });
  });

  it('is picked up mid-stream as NEW when an ACK (nf_conntrack_tcp_loose=1, the default)', () => {
    const { steps } = hosts()(segment('ACK'));
    const { event, invalidRule, natConsulted } = seen(steps);
    expect(event).toMatchObject({ kind: 'new', pickedUp: true });
    expect({ invalidRule, natConsulted }).toEqual({ invalidRule: false, natConsulted: true });
  });

  it('is INVALID as an ACK when nf_conntrack_tcp_loose=0', () => {
    const { steps } = hosts({ tcpLoose: false })(segment('ACK'));
    expect(seen(steps).event).toEqual({ kind: 'invalid', why: { kind: 'not-picked-up' } });
  });

  it('opens a connection as a SYN', () => {
    const { steps } = hosts({ tcpLoose: false })(segment('SYN'));
    expect(seen(steps)).toMatchObject({ event: { kind: 'new' }, invalidRule: false });
  });
});

/** After a SYN that made the server's entry (redirected to 8080), one more segment. */
function afterSyn(p: Packet, sysctls?: ConntrackSysctls) {
  const send = hosts(sysctls);
  send(segment('SYN'));
  return send(p);
}

describe('a TCP segment of a tracked connection', () => {
  it.each([['seq-over'], ['ack-over']] as const)(
    'is INVALID out of the window (%s): no entry, no NAT, so not to 8080',
    (window) => {
      const { arrival, steps } = afterSyn(segment('ACK', window));
      expect(seen(steps)).toEqual({
        event: { kind: 'invalid', why: { kind: 'window', window } },
        invalidRule: true,
        natConsulted: false,
      });
      expect(arrival.flight.packet.dport).toBe(80);
    },
  );

  it('keeps its entry and NAT as an old retransmission: tcp_in_window ignores it', () => {
    const { arrival, steps } = afterSyn(segment('ACK', 'seq-under'));
    expect(seen(steps).event).toMatchObject({ kind: 'found', ignored: 'seq-under' });
    expect(seen(steps).invalidRule).toBe(false);
    expect(arrival.flight.packet.dport).toBe(8080);
  });

  it('is never INVALID for its window with nf_conntrack_tcp_be_liberal=1', () => {
    const { arrival, steps } = afterSyn(segment('ACK', 'seq-over'), { tcpBeLiberal: true });
    expect(seen(steps).event).toMatchObject({ kind: 'found', state: 'NEW' });
    expect(arrival.flight.packet.dport).toBe(8080);
  });
});

describe('a segment no connection owns', () => {
  it('is refused by the listener it reaches: the kernel answers it with a RST', () => {
    const { arrival, steps } = afterSyn(segment('ACK', 'seq-over'));
    expect(arrival.kind).toBe('refused');
    expect(steps.at(-1)).toMatchObject({
      kind: 'fate',
      fate: 'refused',
      reason: { kind: 'no-connection', dst: '10.0.0.3', dport: 80, process: 'app' },
    });
  });

  it('is not refused when a SYN: the listener takes it', () => {
    expect(hosts()(segment('SYN')).arrival.kind).toBe('delivered');
  });
});
