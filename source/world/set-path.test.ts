import { describe, expect, it } from 'vitest';
import type { Scenario } from '../model/index.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { applySet, parseSet } from './set-path.js';

function set(scenario: Scenario, text: string) {
  const parsed = parseSet(text);
  if (!parsed.ok) return parsed;
  return applySet(scenario, parsed.set);
}

function processOf(s: Scenario, host: string, name: string) {
  return s.world.hosts.find((h) => h.name === host)?.processes.find((p) => p.name === name);
}

describe('applySet', () => {
  const bookinfo = bookinfoScenario();

  it('sets a process’s uid by host and process name, leaving the rest as it was', () => {
    const done = set(bookinfo, 'hosts.reviews.processes.envoy.uid=1000');
    if (!done.ok) throw new Error(done.message);
    expect(processOf(done.scenario, 'reviews', 'envoy')).toMatchObject({ uid: 1000, gid: 1337 });
    expect(processOf(bookinfo, 'reviews', 'envoy')?.uid).toBe(1337);
    const reviews = (s: Scenario) => s.world.hosts.find((h) => h.name === 'reviews');
    expect(reviews(done.scenario)?.rulesets).toBe(reviews(bookinfo)?.rulesets);
  });

  it('takes text that is not JSON as a string, and indexes from 0', () => {
    const done = set(bookinfo, 'hosts.reviews.processes.envoy.inboundBind=127.0.0.7');
    expect(done.ok && processOf(done.scenario, 'reviews', 'envoy')).toMatchObject({
      inboundBind: '127.0.0.7',
    });
    const port = set(bookinfo, 'traffic.0.to.port=9081');
    expect(port.ok && port.scenario.traffic[0]?.to.port).toBe(9081);
    const limit = set(bookinfo, 'settings.loopLimit=5');
    expect(limit.ok && limit.scenario.world.settings.loopLimit).toBe(5);
  });

  it('refuses a bad value with the exact path in the file', () => {
    const envoy = bookinfo.world.hosts.find((h) => h.name === 'reviews');
    const h = bookinfo.world.hosts.indexOf(envoy as never);
    const p = envoy?.processes.findIndex((x) => x.name === 'envoy');
    expect(set(bookinfo, 'hosts.reviews.processes.envoy.uid=-1')).toEqual({
      ok: false,
      message: `hosts[${h}].processes[${p}].uid: Too small: expected number to be >=0`,
    });
    expect(set(bookinfo, 'hosts.reviews.processes.envoy.uid="x"')).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^hosts\[\d+\]\.processes\[\d+\]\.uid: Invalid input: expected number/,
      ),
    });
  });

  it('refuses a path that is not in the scenario, saying what there is', () => {
    expect(set(bookinfo, 'hosts.nope.forwarding=true')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^hosts: no "nope" \(there are: productpage, .*reviews/),
    });
    expect(set(bookinfo, 'hosts.reviews.processes.envoy.colour=1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\.colour: the scenario has no such field$/),
    });
    expect(set(bookinfo, 'hosts.reviews.rules=x')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\.rules: change a host's rules with --edit$/),
    });
    expect(set(bookinfo, 'hosts.reviews={}')).toMatchObject({ ok: false });
    expect(set(bookinfo, 'uid')).toMatchObject({
      ok: false,
      message: expect.stringContaining('PATH=VALUE'),
    });
  });
});
