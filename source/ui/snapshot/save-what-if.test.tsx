/**
 * A what-if saved from the app and restored: the edits made with keys go into the save request,
 * and the snapshot made of it opens on the same screen (the same trace at the same cursor), with
 * the edits still there to undo.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../io/read-snapshot.js';
import { bookinfoSnapshotJson } from '../../world/scenarios/bookinfo-file.js';
import { runOf } from '../what-if/session.js';
import { Investigations } from './Investigations.js';
import type { Investigation, SaveRequest, SaveResult } from './types.js';

const UID = '-m owner --uid-owner 1337 -j RETURN';
const GID = '-m owner --gid-owner 1337 -j RETURN';

/** The built-in scenario as its snapshot opens, with `extra` over the snapshot's fields. */
function opened(extra: Record<string, unknown>, save?: Investigation['save']): Investigation {
  const json = { ...(bookinfoSnapshotJson() as Record<string, unknown>), ...extra };
  const loaded = loadSnapshotText(JSON.stringify(json), 'bookinfo.json');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const { scenario, trace } = runOf(loaded.whatIf);
  return {
    scenario,
    trace,
    whatIf: loaded.whatIf,
    cursor: loaded.snapshot.cursor,
    findingsFirst: false,
    ...(save && { save }),
  };
}

/** The frame once it satisfies `test`, waited for, not timed; the last frame after 30 s. */
async function frameWhere(lastFrame: () => string | undefined, test: (f: string) => boolean) {
  const end = Date.now() + 30_000;
  while (!test(lastFrame() ?? '') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return lastFrame() ?? '';
}

/** The frame without its footer, which says what the last key did. */
const screen = (frame: string) => frame.split('\n').slice(0, -1).join('\n');

describe('a what-if saved from the app', () => {
  it('opens again on the same trace at the same cursor, its edits there to undo', async () => {
    const requests: SaveRequest[] = [];
    const save = async (r: SaveRequest): Promise<SaveResult> => {
      requests.push(r);
      return { ok: true, path: `/data/${r.name}.json` };
    };
    const first = render(<Investigations first={opened({}, save)} />);
    const { stdin, lastFrame } = first;
    await frameWhere(lastFrame, (f) => f.includes('step 0 of'));
    const edit = async (spec: string, key: string, edits: string) => {
      stdin.write('/');
      await frameWhere(lastFrame, (f) => f.includes('search: '));
      stdin.write(`${spec}\r`);
      await frameWhere(lastFrame, (f) => f.includes('found "'));
      stdin.write(key);
      await frameWhere(lastFrame, (f) => f.includes(`WHAT-IF (${edits})`));
    };
    await edit(UID, 'D', '1 edit');
    await edit(GID, 'x', '2 edits');
    // Tab focuses the packet pane (in colour only): keys are handled in order, so the prompt
    // that s opens shows the screen after it.
    stdin.write('\t');
    stdin.write('s');
    const before = await frameWhere(lastFrame, (f) => f.includes('save as:'));
    stdin.write('loop\r');
    await frameWhere(lastFrame, (f) => f.includes('saved /data/loop.json'));
    first.unmount();

    const request = requests[0];
    expect(request?.edits).toEqual([
      { host: 'reviews', command: expect.stringMatching(/^-t nat -D ISTIO_OUTPUT \d+$/) },
      {
        host: 'reviews',
        command: expect.stringMatching(/^-t nat -D ISTIO_OUTPUT \d+$/),
        switch: 'off',
      },
    ]);
    const { edits, undone, cursor } = request as SaveRequest;
    expect(cursor.pane).toBe('packet');
    const restored = opened({ edits, undone, cursor });
    expect(restored.trace.findings.some((f) => f.kind === 'loop')).toBe(true);
    const again = render(<Investigations first={restored} />);
    const back = await frameWhere(again.lastFrame, (f) => f.includes(`step ${cursor.step} of`));
    expect(screen(back)).toBe(screen(before));
    again.stdin.write('u');
    await frameWhere(again.lastFrame, (f) => f.includes('WHAT-IF (1 edit)'));
    again.stdin.write('u');
    const undone2 = await frameWhere(
      again.lastFrame,
      (f) => f.includes('undone') && !f.includes('WHAT-IF'),
    );
    expect(undone2).not.toContain('WHAT-IF');
    again.unmount();
  });
});
