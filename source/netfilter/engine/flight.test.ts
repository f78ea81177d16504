import { describe, expect, it } from 'vitest';
import { hostConfig, packet } from '../test-helpers.js';
import { type Flight, StepWriter } from './flight.js';
import { makeHost } from './host.js';
import { TraceRecorder } from './recorder.js';

/** A writer on a fresh recorder, a host, and a flight of a SYN with a NEW entry. */
function writing() {
  const rec = new TraceRecorder('flight');
  const host = makeHost(hostConfig({ name: 'node' }));
  const p = packet({ src: '10.0.0.2', dst: '10.0.0.3' });
  const flight: Flight = {
    packet: p,
    ct: { entry: host.conntrack.create(p, 0), direction: 'original' },
    untracked: false,
    zone: 0,
  };
  return { rec, host, flight, out: new StepWriter(rec), steps: () => rec.finish([], []).steps };
}

describe('StepWriter', () => {
  it('records a step at the host with the flight as it is now, and its conntrack view', () => {
    const { host, flight, out, steps } = writing();
    expect(out.step(host, flight, { kind: 'wire', via: 'lo' })).toBe(0);
    const [step] = steps();
    expect(step?.host).toBe('node');
    expect(step?.packet).toBe(flight.packet);
    expect(step?.changes).toEqual([]);
    expect(step?.conntrack).toMatchObject({ id: 'node#1', state: 'NEW', direction: 'original' });
  });

  it('lists what changed against `before`', () => {
    const { host, flight, out, steps } = writing();
    const before = flight.packet;
    flight.packet = { ...before, dst: '10.0.0.9', dport: 8080 };
    out.step(host, flight, { kind: 'wire', via: 'lo' }, before);
    expect(steps()[0]?.changes).toEqual([
      { field: 'dst', before: '10.0.0.3:80', after: '10.0.0.9:8080' },
    ]);
  });

  it('views the entry as the kernel would: UNTRACKED, RELATED, or none', () => {
    const { flight, out } = writing();
    expect(out.view({ ...flight, untracked: true })?.state).toBe('UNTRACKED');
    expect(out.view({ ...flight, related: true })?.state).toBe('RELATED');
    expect(out.view({ packet: flight.packet, untracked: false, zone: 0 })).toBeUndefined();
  });

  it('ends a packet with a fate step and an arrival that carries the answer', () => {
    const { host, flight, out, steps } = writing();
    const answer: Flight = { packet: packet(), untracked: false, zone: 0, related: true };
    const reason = { kind: 'rejected', with: 'tcp-reset', to: '10.0.0.2' } as const;
    const arrival = out.fate(host, flight, 'rejected', reason, answer);
    expect(arrival).toEqual({ kind: 'rejected', host, flight, answer });
    expect(steps()[0]).toMatchObject({ kind: 'fate', fate: 'rejected', reason });
  });

  it('stops following a packet with a stop step', () => {
    const { host, flight, out, steps } = writing();
    const reason = { kind: 'to-user-space', verdict: 'QUEUE' } as const;
    expect(out.stop(host, flight, reason)).toEqual({ kind: 'stopped', host, flight });
    expect(steps()[0]).toMatchObject({ kind: 'stop', reason });
  });
});
