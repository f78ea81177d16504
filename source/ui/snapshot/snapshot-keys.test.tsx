import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { DEFAULT_KEYMAP } from '../keymap.js';
import { initialState, reduce, type UiEvent, type UiState } from '../state.js';
import { hostChains } from '../view/host-chains.js';
import { cursorOf, viewAt } from './cursor.js';
import { Investigations } from './Investigations.js';
import type { Investigation, SaveRequest, SaveResult, SnapshotEntry } from './types.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const context = { page: 10, match: () => false };

function press(state: UiState, ...names: string[]): UiState {
  return names.reduce(
    (s, name) => reduce(s, trace, { type: 'key', name, keymap: DEFAULT_KEYMAP, ...context }),
    state,
  );
}

describe('the snapshot keys in the reducer', () => {
  it('s asks for a name, Enter leaves a save to do; an existing name asks before overwriting', () => {
    const typed = press(initialState, 's', 'm', 'i', 'n', 'e', 'return');
    expect(typed.overlay).toBe('none');
    expect(typed.snapshot.pending).toEqual({ kind: 'save', name: 'mine', force: false });
    const exists: UiEvent = {
      type: 'snapshot',
      done: 'saved',
      name: 'mine',
      result: { ok: false, exists: true, message: 'there' },
    };
    const asked = reduce(typed, trace, exists);
    expect(asked.overlay).toBe('overwrite');
    expect(press(asked, 'y').snapshot.pending).toEqual({ kind: 'save', name: 'mine', force: true });
    const kept = press(asked, 'n');
    expect(kept.snapshot.pending).toBeUndefined();
    expect(kept.message).toContain('"mine" is kept');
  });

  it('an empty name saves under the suggested one, and Esc saves nothing', () => {
    expect(press(initialState, 's', 'return').snapshot.pending).toEqual({
      kind: 'save',
      name: '',
      force: false,
    });
    const cancelled = press(initialState, 's', 'x', 'escape');
    expect(cancelled.overlay).toBe('none');
    expect(cancelled.snapshot.pending).toBeUndefined();
  });

  it('# edits the notes: typed at the end, Enter a new line, backspace, Esc keeps them', () => {
    const start = { ...initialState, snapshot: { ...initialState.snapshot, notes: 'why' } };
    const edited = press(start, '#', '?', 'return', 'o', 'k', 'x', 'backspace', 'escape');
    expect(edited.snapshot.notes).toBe('why?\nok');
    expect(edited.overlay).toBe('none');
    // In the editor the browsing keys are text: q is typed, not quit.
    expect(press(start, '#', 'q').quit).toBeUndefined();
  });

  it('o lists the library; an unreadable one says why instead of opening', () => {
    const listing = press(initialState, 'o');
    expect(listing.snapshot.pending).toEqual({ kind: 'list' });
    const entries: SnapshotEntry[] = [
      { name: 'bad', kind: 'saved', path: '/s/bad.json', date: '', unreadable: 'line 1: oops' },
      { name: 'good', kind: 'curated', path: '/s/good.json', date: '' },
    ];
    const listed = reduce(listing, trace, { type: 'snapshot', done: 'listed', entries });
    const refused = press(listed, 'return');
    expect(refused.snapshot.pending).toBeUndefined();
    expect(refused.message).toBe('cannot open bad: line 1: oops');
    expect(press(listed, 'down', 'down', 'return').snapshot.pending).toEqual({
      kind: 'open',
      path: '/s/good.json',
    });
  });
});

describe("a snapshot's cursor", () => {
  it('comes back as it was saved: step, pane, traffic item and browsed chain', () => {
    const step = trace.steps.findIndex((s) => s.host === 'reviews' && s.kind === 'rule');
    const chains = hostChains(scenario, trace, step);
    const state = { ...initialState, cursor: step, pane: 'packet' as const, browse: 2 };
    const saved = cursorOf(state, scenario, trace);
    const c = chains[2];
    expect(saved).toMatchObject({ step, pane: 'packet', chain: `${c?.table} ${c?.chain}` });
    expect(saved.traffic).toBeTypeOf('number');
    const back = viewAt(saved, scenario, trace);
    expect(back).toMatchObject({ cursor: step, pane: 'packet', browse: 2 });
    expect(cursorOf({ ...initialState, ...back }, scenario, trace)).toEqual(saved);
  });

  it('drops a chain the host does not have', () => {
    expect(viewAt({ step: 3, chain: 'nat NOPE' }, scenario, trace).browse).toBeUndefined();
  });
});

/** The frame once it satisfies `test`, waited for, not timed; the last frame after 30 s. */
async function frameWhere(lastFrame: () => string | undefined, test: (f: string) => boolean) {
  const end = Date.now() + 30_000;
  while (!test(lastFrame() ?? '') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return lastFrame() ?? '';
}

describe('saving and opening in the app', () => {
  it('saves with the cursor and notes, asks before overwriting, and opens a picked snapshot at its cursor', async () => {
    const requests: SaveRequest[] = [];
    const save = async (r: SaveRequest): Promise<SaveResult> => {
      requests.push(r);
      return r.force
        ? { ok: true, path: `/data/${r.name}.json` }
        : { ok: false, exists: true, message: 'there already' };
    };
    const other: Investigation = { scenario, trace, cursor: { step: 17 }, notes: 'the other' };
    const library = {
      list: async () => [
        {
          name: 'other',
          kind: 'saved' as const,
          path: '/o.json',
          date: '2026-11-26T01:02:03Z',
          title: 'Other',
          notes: 'the other',
        },
      ],
      open: async (path: string) =>
        path === '/o.json'
          ? { ok: true as const, investigation: other }
          : { ok: false as const, message: 'no' },
    };
    const first: Investigation = { scenario, trace, cursor: { step: 5 }, notes: 'first', save };
    const r = render(
      <Investigations first={{ ...first, findingsFirst: false }} library={library} />,
    );
    await frameWhere(r.lastFrame, (f) => f.includes('step 5 of'));
    r.stdin.write('#');
    await frameWhere(r.lastFrame, (f) => f.includes('notes ('));
    r.stdin.write('!');
    r.stdin.write('\x1b');
    await frameWhere(r.lastFrame, (f) => f.includes('notes kept'));
    r.stdin.write('s');
    await frameWhere(r.lastFrame, (f) => f.includes('save as:'));
    r.stdin.write('mine\r');
    await frameWhere(r.lastFrame, (f) => f.includes('replace it? (y/n)'));
    expect(requests[0]).toMatchObject({ name: 'mine', force: false, notes: 'first!' });
    expect(requests[0]?.cursor.step).toBe(5);
    r.stdin.write('y');
    const saved = await frameWhere(r.lastFrame, (f) => f.includes('saved /data/mine.json'));
    expect(saved).toContain('saved /data/mine.json');
    expect(requests[1]).toMatchObject({ name: 'mine', force: true });
    r.stdin.write('o');
    const picker = await frameWhere(r.lastFrame, (f) => f.includes('2026-11-26 01:02'));
    expect(picker).toMatch(/other\s+2026-11-26 01:02\s+saved\s+Other/);
    expect(picker).toContain('the other');
    r.stdin.write('\r');
    const opened = await frameWhere(r.lastFrame, (f) => f.includes('step 17 of'));
    expect(opened).toContain('step 17 of');
    r.unmount();
  });

  it('says why an investigation cannot be saved', async () => {
    const first: Investigation = { scenario, trace, findingsFirst: false, why: 'it is fitted' };
    const r = render(<Investigations first={first} />);
    await frameWhere(r.lastFrame, (f) => f.includes('step 0 of'));
    r.stdin.write('s');
    await frameWhere(r.lastFrame, (f) => f.includes('save as:'));
    r.stdin.write('\r');
    const frame = await frameWhere(r.lastFrame, (f) => f.includes('cannot save'));
    expect(frame).toContain('cannot save: it is fitted');
    r.unmount();
  });
});
