import { describe, expect, it } from 'vitest';
import { buildLiveWorld } from './live/build.js';
import { sidecarCapture } from './live/test-helpers.js';
import { addTraffic, parseDestination } from './picked-traffic.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';
import { choiceText, sendersOf, trafficChoices } from './traffic-choices.js';

function liveScenario() {
  const built = buildLiveWorld(sidecarCapture());
  if (!built.ok) throw new Error(built.error);
  return built.live.scenario;
}

describe('the traffic a user can add', () => {
  it('offers inbound to every listening port of a live pod, loopback, outbound and DNS', () => {
    const scenario = liveScenario();
    const texts = trafficChoices(scenario.world, scenario.traffic).map((c) => choiceText(c, false));
    expect(texts).toEqual([
      'inbound  peer → 10.0.0.2:15001 · envoy (uid 1337)',
      'inbound  peer → 10.0.0.2:15006 · envoy (uid 1337)',
      'inbound  peer → 10.0.0.2:9080 · app (uid 1000)',
      'loopback → 127.0.0.1:15001 · envoy (uid 1337)',
      'loopback → 127.0.0.1:15006 · envoy (uid 1337)',
      'loopback → 127.0.0.1:9080 · app (uid 1000)',
      'outbound → an address and port you type, as a process you pick',
      'DNS      → a resolver (udp 53), as a process you pick',
    ]);
  });

  it("sends as the app's uid or the proxy's, one choice per uid, gid and mark", () => {
    const scenario = liveScenario();
    expect(sendersOf(scenario.world, 'pod').map((s) => [s.process, s.uid])).toEqual([
      ['envoy', 1337],
      ['app', 1000],
    ]);
  });

  it('comes from the world, so a scenario file has them too: the hosts with rules', () => {
    const scenario = bookinfoScenario();
    const choices = trafficChoices(scenario.world, scenario.traffic);
    expect(new Set(choices.map((c) => c.host))).toEqual(new Set(['reviews']));
    expect(choices.find((c) => c.kind === 'outbound')?.suggested).toBe('10.0.0.3:9080');
  });

  it('adds an inbound item last, and the engine delivers it to the listener', () => {
    const scenario = liveScenario();
    const choice = trafficChoices(scenario.world).find(
      (c) => c.kind === 'inbound' && c.to?.port === 9080,
    );
    if (!choice) throw new Error('no inbound 9080');
    const added = addTraffic(scenario, { choice });
    if (!added.ok) throw new Error(added.message);
    expect(added.index).toBe(scenario.traffic.length);
    const trace = simulate(added.scenario);
    const conns = trace.connections.filter((c) => c.traffic === added.index);
    expect(conns.length).toBeGreaterThan(1); // envoy's inbound 15006, then its own to the app
    expect(added.scenario.traffic.slice(0, -1)).toEqual(scenario.traffic);
  });

  it('adds outbound as the proxy to an address no host has, with a server there', () => {
    const scenario = liveScenario();
    const choice = trafficChoices(scenario.world).find((c) => c.kind === 'outbound');
    const sender = sendersOf(scenario.world, 'pod').find((s) => s.uid === 1337);
    const dest = parseDestination(' 10.9.9.9:8443', 'tcp');
    if (!choice || !sender || !dest.ok) throw new Error('no choice');
    const added = addTraffic(scenario, { choice, sender, destination: dest.value });
    if (!added.ok) throw new Error(added.message);
    expect(added.scenario.traffic.at(-1)).toMatchObject({
      fromHost: 'pod',
      process: 'envoy',
      to: { address: '10.9.9.9', port: 8443 },
      protocol: 'tcp',
    });
    expect(added.scenario.world.hosts.map((h) => h.name)).toContain('server 10.9.9.9');
  });

  it('reads a destination with its protocol, or says at which column it is wrong', () => {
    expect(parseDestination('[fd00::3]:53 udp', 'tcp')).toEqual({
      ok: true,
      value: { to: { address: 'fd00::3', port: 53 }, protocol: 'udp' },
    });
    expect(parseDestination('10.0.0.3:53', 'udp')).toMatchObject({ value: { protocol: 'udp' } });
    expect(parseDestination('10.0.0.300:80', 'tcp')).toMatchObject({ ok: false, column: 1 });
    expect(parseDestination('10.0.0.3:80 sctp', 'tcp')).toMatchObject({
      ok: false,
      column: 13,
      message: 'expected tcp or udp, found "sctp"',
    });
    expect(parseDestination('10.0.0.3:80 tcp x', 'tcp')).toMatchObject({ ok: false, column: 17 });
  });
});
