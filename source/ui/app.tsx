/**
 * The stepping debugger: lays out the Trace at the cursor and hands keys to the reducer, which
 * turns them into commands through the keymap. No netfilter logic here; everything shown is
 * derived in view/.
 */
import { Box, Text, useApp } from 'ink';
import { useEffect, useMemo, useReducer } from 'react';
import type { Diagnostic, Scenario, Trace } from '../model/index.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { summaryItems } from '../trace/summary.js';
import type { SnapshotCursor } from '../world/snapshot-schema.js';
import { ChainPane, chainScrollBounds } from './components/ChainPane.js';
import { Explanation } from './components/Explanation.js';
import { Findings, findingsBox } from './components/Findings.js';
import { Footer } from './components/Footer.js';
import { Help, helpScrollMax } from './components/Help.js';
import { PacketPanel, packetScrollMax } from './components/PacketPanel.js';
import { PathStrip } from './components/PathStrip.js';
import { Prompt } from './components/Prompt.js';
import { Timeline, timelineScrollBounds } from './components/Timeline.js';
import { TrafficPicker } from './components/TrafficPicker.js';
import { useKeyCommands } from './hooks/use-key-commands.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { DEFAULT_KEYMAP, type Keymap } from './keymap.js';
import { initialSnapshotUi } from './snapshot/commands.js';
import { cursorOf, viewAt } from './snapshot/cursor.js';
import { NotesEditor } from './snapshot/NotesEditor.js';
import { SnapshotPicker } from './snapshot/SnapshotPicker.js';
import { type SnapshotActions, useSnapshotEffects } from './snapshot/use-snapshot-effects.js';
import { initialState, reduce, type SearchMatch, type UiEvent, type UiState } from './state.js';
import { chainView } from './view/chain-view.js';
import { connectionChips } from './view/connection-chips.js';
import { CounterCache } from './view/counter-cache.js';
import { explanation, wrappedRows } from './view/explanation.js';
import { findingsEntries } from './view/findings-lines.js';
import { packetView } from './view/packet-view.js';
import { pathTokens } from './view/path-tokens.js';
import { searchIndex } from './view/search-index.js';
import { stackText } from './view/stack-text.js';

export interface AppProps {
  readonly scenario: Scenario;
  readonly trace: Trace;
  readonly keymap?: Keymap;
  /** Step to open at (default 0). */
  readonly initialCursor?: number;
  /** Open on the findings (the default): the answer first, the steps behind it a key away. */
  readonly findingsFirst?: boolean;
  /** What loading the rules warned about; shown in the findings and counted in the footer. */
  readonly diagnostics?: readonly Diagnostic[];
  /** A snapshot's cursor to open at (step, pane, traffic item, browsed chain); wins over initialCursor. */
  readonly view?: SnapshotCursor;
  /** The investigation's notes, as its snapshot has them. */
  readonly notes?: string;
  /** Saving and opening snapshots (the UI does no I/O of its own). */
  readonly snapshots?: SnapshotActions;
}

/**
 * The smallest terminal the panes fit: the chain (40 columns) beside the packet panel (20), and
 * the rows every region keeps at its minimum with one rule row in the chain pane.
 */
export const MIN_SIZE = { columns: 60, rows: 18 } as const;

/** Rows the panes keep however long the explanation: the chain and packet panes, the timeline. */
const MIN_MAIN = 6;
const MIN_TIMELINE = 3;

/**
 * The rows of each region. The explanation gets the rows its wrapped lines need (three at
 * least), taken from the timeline first, then from the panes, down to their minimums.
 */
export function layout(rows: number, explainNeeds = 3) {
  const header = 3;
  const footer = 1;
  const base = Math.max(4, Math.min(14, Math.floor(rows / 4)));
  const free = rows - header - footer;
  const explain = Math.max(3, Math.min(explainNeeds, free - MIN_MAIN - MIN_TIMELINE));
  const timeline = Math.max(
    MIN_TIMELINE,
    Math.min(base - (explain - 3), free - explain - MIN_MAIN),
  );
  const main = Math.max(MIN_MAIN, free - explain - timeline);
  return { main, explain, timeline };
}

const PROMPT_LABELS: Partial<Record<UiState['overlay'], string>> = {
  goto: 'go to step: ',
  search: 'search: ',
  save: 'save as: ',
};

export function App({
  scenario,
  trace,
  keymap = DEFAULT_KEYMAP,
  initialCursor = 0,
  findingsFirst = true,
  diagnostics = [],
  view,
  notes = '',
  snapshots = {},
}: AppProps) {
  const { exit } = useApp();
  const terminal = useTerminalSize();
  const columns = terminal.columns;
  // One line short of the screen: a frame as tall as the terminal scrolls it by one line when
  // Ink ends it with a newline, and the next redraw then lands one line off.
  const rows = Math.max(12, terminal.rows - 1);
  const [state, dispatch] = useReducer((s: UiState, e: UiEvent) => reduce(s, trace, e), {
    ...initialState,
    cursor: Math.max(0, Math.min(initialCursor, trace.steps.length - 1)),
    ...(view && viewAt(view, scenario, trace)),
    overlay: findingsFirst ? 'findings' : 'none',
    snapshot: { ...initialSnapshotUi, notes },
  });
  const suggested = useSnapshotEffects(state, dispatch, snapshots, () =>
    cursorOf(state, scenario, trace),
  );
  const step = trace.steps[state.cursor];
  const explainNeeds = wrappedRows(explanation(step), columns).reduce((a, b) => a + b, 0);
  const sizes = layout(rows, explainNeeds);
  const counters = useMemo(() => new CounterCache(trace), [trace]);
  const searchText = useMemo(() => searchIndex(scenario, trace), [scenario, trace]);
  const findingsText = useMemo(
    () => findingsEntries(summaryItems(trace, ruleLookup(scenario.world.hosts)), diagnostics),
    [scenario, trace, diagnostics],
  );

  const match: SearchMatch = (q, i) => searchText[i]?.includes(q) ?? false;
  const page = Math.max(1, sizes.main - 5);

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  const chainWidth = Math.max(40, Math.floor(columns * 0.62));
  const panelWidth = Math.max(20, columns - chainWidth);
  const chain = chainView(scenario, trace, state.cursor, counters, state.frame, state.browse);
  const packet = packetView(trace, state.cursor, scenario);
  // Steps are numbered from 0, as `nfdb run` and --step number them; the count is the one run
  // prints. The step comes before the scenario's name, which a narrow screen cuts.
  const title = `nfdb · step ${state.cursor} of ${trace.steps.length} · ${trace.scenario}`;
  const stack = stackText(step);
  const frameNote =
    state.frame !== undefined ? `[frame ${state.frame + 1}/${step?.stack.length}] ` : '';

  // Overlays take the place of a region, never add lines: the frame must stay `rows` tall.
  const body = sizes.main + sizes.explain + sizes.timeline;
  const findings = findingsBox(findingsText, body, columns);
  const scrollMax = {
    packet: packetScrollMax(packet, sizes.main, panelWidth),
    help: helpScrollMax(keymap, body, columns),
    findings: findings.max,
  };
  const followBounds = {
    chain: chainScrollBounds(chain, sizes.main),
    timeline: timelineScrollBounds(trace, state.cursor, sizes.timeline),
  };
  useKeyCommands(dispatch, keymap, {
    page,
    match,
    scrollMax,
    followBounds,
    findings: { fit: findings.fit, rows: findings.rows.length, targets: findings.targets },
  });
  const prompt = state.overlay === 'goto' || state.overlay === 'search' || state.overlay === 'save';
  if (terminal.columns < MIN_SIZE.columns || terminal.rows < MIN_SIZE.rows)
    return (
      <Text wrap="truncate-end">
        {`Needs ${MIN_SIZE.columns}x${MIN_SIZE.rows}: the terminal is too small (${terminal.columns}x${terminal.rows}). q quits.`}
      </Text>
    );
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <PathStrip
        title={title}
        connections={connectionChips(trace, state.cursor)}
        tokens={pathTokens(trace, state.cursor)}
      />
      {state.overlay === 'open' || state.overlay === 'notes' ? (
        <Box height={body} overflow="hidden">
          {state.overlay === 'open' ? (
            <SnapshotPicker
              keymap={keymap}
              entries={state.snapshot.library}
              pick={state.snapshot.pick}
              height={body}
              width={columns}
            />
          ) : (
            <NotesEditor
              keymap={keymap}
              notes={state.snapshot.notes}
              height={body}
              width={columns}
            />
          )}
        </Box>
      ) : state.overlay === 'help' ? (
        <Box height={body} overflow="hidden">
          <Help keymap={keymap} height={body} width={columns} scroll={state.helpScroll} />
        </Box>
      ) : state.overlay === 'findings' ? (
        <Box height={body} overflow="hidden">
          <Findings
            keymap={keymap}
            entries={findingsText}
            height={body}
            width={columns}
            scroll={state.findingsScroll}
            selected={state.finding}
          />
        </Box>
      ) : (
        <>
          <Box height={sizes.main}>
            <ChainPane
              view={chain}
              stack={frameNote + stack}
              height={sizes.main}
              width={chainWidth}
              scroll={state.pane === 'chain' ? state.scroll : 0}
              shift={state.shift}
              focused={state.pane === 'chain'}
            />
            <PacketPanel
              view={packet}
              height={sizes.main}
              width={panelWidth}
              scroll={state.pane === 'packet' ? state.scroll : 0}
              focused={state.pane === 'packet'}
            />
          </Box>
          <Explanation step={step} width={columns} height={sizes.explain} />
          {state.overlay === 'traffic' ? (
            <TrafficPicker
              trace={trace}
              keymap={keymap}
              picked={state.picked}
              height={sizes.timeline}
            />
          ) : (
            <Timeline
              trace={trace}
              cursor={state.cursor}
              height={sizes.timeline}
              scroll={state.pane === 'timeline' ? state.scroll : 0}
              focused={state.pane === 'timeline'}
            />
          )}
        </>
      )}
      {prompt ? (
        <Prompt
          label={PROMPT_LABELS[state.overlay] ?? ''}
          input={state.input}
          placeholder={
            state.overlay === 'goto'
              ? `0-${trace.steps.length - 1}`
              : state.overlay === 'save'
                ? suggested
                : state.query || 'rule text, chain or step'
          }
        />
      ) : state.overlay === 'overwrite' ? (
        <Prompt
          label={`"${state.snapshot.overwriting}" is saved already: replace it? (y/n) `}
          input=""
          placeholder=""
        />
      ) : (
        <Footer keymap={keymap} message={state.message} warnings={diagnostics.length} />
      )}
    </Box>
  );
}
