import { describe, expect, it } from 'vitest';
import type { HostConfig } from '../../model/index.js';
import { buildRouting, lookupRoute } from './routing.js';

const pod: HostConfig = {
  name: 'pod',
  interfaces: [{ name: 'eth0', addresses: ['10.0.0.2/24'], link: 'pods' }],
  routes: [
    { destination: 'default', via: '10.0.0.1', dev: 'eth0' },
    { destination: 'default', dev: 'lo', type: 'local', table: 133 },
  ],
  ipRules: [{ priority: 32764, fwmark: '0x539/0xffffffff', table: 133 }],
  rulesets: [],
  processes: [],
  forwarding: false,
};

describe('the routing decision', () => {
  const rt = buildRouting(pod, 'ipv4');

  it('finds the host own addresses and 127.0.0.0/8 in the local table first', () => {
    expect(lookupRoute(rt, { dst: '10.0.0.2', mark: 0 }).route).toMatchObject({
      type: 'local',
      dev: 'lo',
    });
    expect(lookupRoute(rt, { dst: '127.0.0.6', mark: 0 }).route).toMatchObject({
      type: 'local',
      src: '127.0.0.1',
    });
  });

  it('uses the connected subnet, then the default route', () => {
    expect(lookupRoute(rt, { dst: '10.0.0.9', mark: 0 }).route).toMatchObject({
      dev: 'eth0',
      src: '10.0.0.2',
    });
    expect(lookupRoute(rt, { dst: '8.8.8.8', mark: 0 }).route).toMatchObject({
      dev: 'eth0',
      via: '10.0.0.1',
    });
  });

  it('sends a TPROXY-marked packet to table 133, where everything is local', () => {
    const answer = lookupRoute(rt, { dst: '8.8.8.8', mark: 0x539 });
    expect(answer.route).toMatchObject({ type: 'local', table: 133 });
    expect(answer.rule).toContain('fwmark 0x539');
  });
});
