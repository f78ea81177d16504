import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_VERSION } from '../world/snapshot-schema.js';
import { NFDB_VERSION } from './nfdb-version.js';
import { inlineRules, loadSnapshotText, readSnapshot } from './read-snapshot.js';

const snapshot = {
  version: SNAPSHOT_VERSION,
  name: 'one pod',
  notes: 'why',
  hosts: [
    {
      name: 'pod',
      interfaces: [{ name: 'eth0', addresses: ['10.0.0.2/24'], link: 'pods' }],
      rules: '*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -j ACCEPT\nCOMMIT\n',
      processes: [{ kind: 'client', name: 'c', uid: 1000, gid: 1000 }],
    },
  ],
  traffic: [
    { fromHost: 'pod', process: 'c', to: { address: '10.0.0.9', port: 80 }, protocol: 'tcp' },
  ],
  cursor: { step: 3, pane: 'packet' },
};

const load = (json: unknown) => loadSnapshotText(JSON.stringify(json, null, 2), 'snap.json');
const errorsOf = (json: unknown) => {
  const loaded = load(json);
  return loaded.ok ? [] : loaded.errors;
};

describe('reading a snapshot', () => {
  it('loads the scenario and keeps the cursor and notes', () => {
    const loaded = load(snapshot);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.scenario.world.hosts[0]?.rulesets).toHaveLength(1);
    expect(loaded.snapshot.cursor).toEqual({ step: 3, pane: 'packet' });
    expect(loaded.snapshot.notes).toBe('why');
  });

  it('gives the line and column of truncated JSON', () => {
    const text = JSON.stringify(snapshot, null, 2);
    const loaded = loadSnapshotText(text.slice(0, 40), 'snap.json');
    expect(loaded).toEqual({
      ok: false,
      errors: [
        'snap.json:4:2: not valid JSON: expected a property name in double quotes, found the end of the input',
      ],
    });
  });

  it('names the field, what was expected and what was found for a wrong type', () => {
    expect(errorsOf({ ...snapshot, cursor: { step: 'three' } })).toEqual([
      'snap.json: cursor.step: Invalid input: expected number, received string',
    ]);
    expect(errorsOf({ ...snapshot, edits: [{ host: 'pod' }] })).toEqual([
      'snap.json: edits[0]: expected exactly one of command, set or proxyMode, found none',
      'snap.json: edits[0].host: a host goes with a command',
    ]);
    expect(errorsOf({ ...snapshot, edits: [{ set: 'name=x', proxyMode: 'rewrite' }] })).toEqual([
      'snap.json: edits[0]: expected exactly one of command, set or proxyMode, found set and proxyMode',
    ]);
    expect(errorsOf({ ...snapshot, undone: [{ command: '-D OUTPUT 1', moveTo: 0 }] })).toEqual([
      'snap.json: undone[0].moveTo: Too small: expected number to be >=1',
      'snap.json: undone[0].host: expected the host the command is for',
    ]);
  });

  it('refuses a version newer than this nfdb', () => {
    expect(errorsOf({ ...snapshot, version: SNAPSHOT_VERSION + 1 })).toEqual([
      `snap.json: version: ${SNAPSHOT_VERSION + 1} is newer than this nfdb (${NFDB_VERSION}) reads (up to ${SNAPSHOT_VERSION}): upgrade nfdb to open it`,
    ]);
  });

  it('says which rules file is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-snapshot-'));
    const file = join(dir, 'snap.json');
    const host = { ...snapshot.hosts[0], rules: { file: 'gone.rules' } };
    writeFileSync(file, JSON.stringify({ ...snapshot, hosts: [host] }));
    const loaded = await readSnapshot(file);
    expect(loaded.ok ? [] : loaded.errors).toEqual([
      expect.stringMatching(
        /snap\.json: hosts\[0\]\.rules\.file: cannot read .*gone\.rules: no such file$/,
      ),
    ]);
  });

  it('points at rules that do not parse inside the snapshot', () => {
    const host = {
      ...snapshot.hosts[0],
      rules: '*filter\n-A OUTPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n',
    };
    const errors = errorsOf({ ...snapshot, hosts: [host] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^snap\.json:\d+:\d+: .*99999.*\[hosts\[0\]\.rules \(host "pod"\), line 2 column/,
    );
  });

  it('checks that an edit names a host of the scenario', () => {
    expect(errorsOf({ ...snapshot, edits: [{ host: 'nope', command: '-D OUTPUT 1' }] })).toEqual([
      'snap.json: edits[0].host: no host named "nope"',
    ]);
  });

  it('checks that the cursor picks a traffic item of the scenario', () => {
    expect(errorsOf({ ...snapshot, cursor: { step: 0, traffic: 1 } })).toEqual([
      'snap.json: cursor.traffic: no traffic item 1 (the scenario has traffic items 0 to 0)',
    ]);
  });

  it('applies the edits in order', () => {
    const edits = [
      { host: 'pod', command: '-A OUTPUT -p udp -j DROP' },
      { host: 'pod', command: '-D OUTPUT 1' },
    ];
    const loaded = load({ ...snapshot, edits });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const filter = loaded.scenario.world.hosts[0]?.rulesets[0]?.tables[0];
    const output = filter?.chains.find((c) => c.name === 'OUTPUT');
    expect(output?.rules.map((r) => r.target?.name)).toEqual(['DROP']);
    expect(loaded.snapshot.edits).toEqual(edits);
  });

  it('names an edit that does not parse or does not apply, by its place', () => {
    const bad = errorsOf({
      ...snapshot,
      edits: [
        { host: 'pod', command: '-X' },
        { host: 'pod', command: '-Q OUTPUT' },
      ],
    });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^snap\.json: edits\[1\]\.command: column 1: /);
    const missing = errorsOf({ ...snapshot, edits: [{ host: 'pod', command: '-D OUTPUT 7' }] });
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^snap\.json: edits\[0\] \(on host "pod"\): /);
  });
});

describe('inlining rules files', () => {
  it('puts the text of each rules file into the snapshot, relative to the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-snapshot-'));
    const rules = snapshot.hosts[0]?.rules ?? '';
    writeFileSync(join(dir, 'pod.rules'), rules);
    const host = { ...snapshot.hosts[0], rules: { file: 'pod.rules' } };
    const loaded = loadSnapshotText(
      JSON.stringify({ ...snapshot, hosts: [host] }),
      join(dir, 's.json'),
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const inlined = inlineRules(loaded.snapshot, join(dir, 's.json'));
    expect(inlined.ok && inlined.snapshot.hosts[0]?.rules).toBe(rules);
  });
});
