import { describe, expect, it } from 'vitest';
import { toScenario } from '../from-file.js';
import { scenarioSchema } from '../scenario-schema.js';
import { buildLiveWorld } from './build.js';
import { liveScenarioFile } from './scenario-file.js';
import { sidecarCapture } from './test-helpers.js';

describe('a live capture saved as a scenario file', () => {
  it('reads back as the world and traffic it was', () => {
    const built = buildLiveWorld(sidecarCapture());
    if (!built.ok) throw new Error(built.error);
    const file = scenarioSchema.parse(JSON.parse(JSON.stringify(liveScenarioFile(built.live))));
    expect(file.settings.backend).toBe('nft');
    const read = toScenario(
      file,
      (host, which) =>
        typeof host[which] === 'string' ? { text: host[which], file: 'pod.json' } : undefined,
      'pod.json',
    );
    if (!read.ok) throw new Error(read.errors.join('\n'));
    const { world, traffic } = built.live.scenario;
    const shape = (w: typeof world) =>
      w.hosts.map((h) => ({ ...h, rulesets: h.rulesets.map((r) => r.tables.length) }));
    expect(shape(read.scenario.world)).toEqual(shape(world));
    expect(read.scenario.traffic).toEqual(traffic);
  });
});
