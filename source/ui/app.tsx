/**
 * The stepping debugger: lays out the Trace at the cursor and hands keys to the reducer, which
 * turns them into commands through the keymap. No netfilter logic here; everything shown is
 * derived in view/.
 */
import { Box, Text, useApp } from 'ink';
import { useEffect, useMemo, useReducer } from 'react';
import type { Diagnostic, Scenario, Trace } from '../model/index.js';
import { switchedOff } from '../rules/edits/index.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { summaryItems } from '../trace/summary.js';
import { sessionEntries } from '../world/snapshot-edits.js';
import type { SnapshotCursor } from '../world/snapshot-schema.js';
import { AddTrafficPicker } from './add-traffic/AddTrafficPicker.js';
import { offered, sendersFor } from './add-traffic/commands.js';
import { ChainPane, chainScrollBounds } from './components/ChainPane.js';
import { EditPrompt } from './components/EditPrompt.js';
import { Explanation } from './components/Explanation.js';
import { Findings, findingsBox } from './components/Findings.js';
import { Footer } from './components/Footer.js';
import { Help, helpScrollMax } from './components/Help.js';
import { ListView, listScrollMax } from './components/ListView.js';
import { PacketPanel, packetScrollMax } from './components/PacketPanel.js';
import { PathStrip } from './components/PathStrip.js';
import { Prompt } from './components/Prompt.js';
import { Timeline, timelineScrollBounds } from './components/Timeline.js';
import { TrafficPicker } from './components/TrafficPicker.js';
import { useKeyCommands } from './hooks/use-key-commands.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { DEFAULT_KEYMAP, type Keymap, keyLabel, keysOf } from './keymap.js';
import { caretAt } from './prompt-line.js';
import type { RealFeed } from './real/feed.js';
import { realLines, realTone } from './real/real-lines.js';
import { useRealPaths } from './real/use-real-paths.js';
import { reportRequest } from './report/request.js';
import type { WriteReport } from './report/types.js';
import { useReportEffect } from './report/use-report-effect.js';
import { initialSnapshotUi } from './snapshot/commands.js';
import { cursorOf, viewAt } from './snapshot/cursor.js';
import { NotesEditor } from './snapshot/NotesEditor.js';
import { SnapshotPicker } from './snapshot/SnapshotPicker.js';
import { type SnapshotActions, useSnapshotEffects } from './snapshot/use-snapshot-effects.js';
import {
  initialState,
  reduce,
  type SearchMatch,
  type SearchRow,
  type UiEvent,
  type UiState,
} from './state.js';
import { theme } from './theme.js';
import { type ChainView, chainView } from './view/chain-view.js';
import { connectionChips } from './view/connection-chips.js';
import { CounterCache } from './view/counter-cache.js';
import { explanation, wrappedRows } from './view/explanation.js';
import { findingsEntries } from './view/findings-lines.js';
import { packetView } from './view/packet-view.js';
import { pathTokens } from './view/path-tokens.js';
import { lazySearchIndex, spanRow } from './view/search-index.js';
import { stackText } from './view/stack-text.js';
import { warmUp } from './view/warm.js';
import { comparisonOf } from './what-if/compare.js';
import { editorLabel } from './what-if/editor-target.js';
import { editsLines } from './what-if/edits-lines.js';
import { isWhatIf, newSession, runOf, type Session } from './what-if/session.js';

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
  /** Real packets beside the simulation, while `nfdb live --trace` records them (L shows them). */
  readonly real?: RealFeed;
  /** The what-if scenario and trace are the run of (a restored snapshot's edits, to undo). */
  readonly whatIf?: Session;
  /** Writes the report `r` asks for (the UI does no I/O of its own). */
  readonly report?: WriteReport;
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

/** The title: the step, whether the trace is a what-if (and of how many changes), the scenario. */
export function titleText(cursor: number, trace: Trace, session: Session | undefined): string {
  const count = session?.applied.length ?? 0;
  const whatIf = isWhatIf(session) ? ` · WHAT-IF (${count} edit${count === 1 ? '' : 's'})` : '';
  // Steps are numbered from 0, as `nfdb run` and --step number them; the count is the one run
  // prints. The step comes before the scenario's name, which a narrow screen cuts.
  return `nfdb · step ${cursor} of ${trace.steps.length}${whatIf} · ${trace.scenario}`;
}

/** How many rules of the chain shown are switched off in the what-if. */
function switchedOffIn(session: Session | undefined, chain: ChainView | undefined): number {
  if (!session || !chain) return 0;
  return switchedOff(session.rules).filter(
    (o) => o.host === chain.host && o.edit.table === chain.table && o.edit.chain === chain.chain,
  ).length;
}

/** The compare view's lines: the comparison, or how to make a what-if to compare. */
function compareText(session: Session | undefined, columns: number): string[] {
  if (!isWhatIf(session) || !session)
    return [
      'Nothing to compare yet: edit a rule (e i a D x J K P !), set the world (w) or the proxy mode (R).',
    ];
  const comparison = comparisonOf(session);
  const { lines, differences } = comparison;
  const n = differences.length;
  const jumps =
    n === 0
      ? 'No path differs.'
      : `${n} path${n === 1 ? ' differs' : 's differ'}: n/N goes to the next/previous, in the what-if.`;
  const side = comparison.sideBySide(columns - 4);
  return [jumps, ' ', ...lines, ...(side.length > 0 ? [' ', 'Side by side', ...side] : [])];
}

/** A default that stays the same object, so the findings are not worked out again each frame. */
const NO_DIAGNOSTICS: readonly Diagnostic[] = [];

const PROMPT_LABELS: Partial<Record<UiState['overlay'], string>> = {
  goto: 'go to step: ',
  search: 'search: ',
  save: 'save as: ',
};

export function App({
  scenario: loaded,
  trace: loadedTrace,
  keymap = DEFAULT_KEYMAP,
  initialCursor = 0,
  findingsFirst = true,
  diagnostics = NO_DIAGNOSTICS,
  view,
  notes = '',
  snapshots = {},
  real,
  whatIf,
  report,
}: AppProps) {
  const { exit } = useApp();
  const terminal = useTerminalSize();
  const columns = terminal.columns;
  // One line short of the screen: a frame as tall as the terminal scrolls it by one line when
  // Ink ends it with a newline, and the next redraw then lands one line off.
  const rows = Math.max(12, terminal.rows - 1);
  // What the reducer sees is the run of the state's own session, so a key after an edit in the
  // same burst ("Du") already moves on the new trace. The first state is made once, not on each
  // frame: a saved cursor's chain is looked up among all the host's chains (60,000 on kube-proxy).
  const [state, dispatch] = useReducer(
    (s: UiState, e: UiEvent) => reduce(s, s.whatIf ? runOf(s.whatIf).trace : loadedTrace, e),
    null,
    (): UiState => ({
      ...initialState,
      cursor: Math.max(0, Math.min(initialCursor, loadedTrace.steps.length - 1)),
      overlay: findingsFirst ? 'findings' : 'none',
      ...(view && viewAt(view, loaded, loadedTrace)),
      whatIf: whatIf ?? newSession(loaded, loadedTrace),
      snapshot: { ...initialSnapshotUi, notes },
    }),
  );
  const { scenario, trace } = state.whatIf
    ? runOf(state.whatIf)
    : { scenario: loaded, trace: loadedTrace };
  const realPaths = useRealPaths(real);
  const suggested = useSnapshotEffects(state, dispatch, snapshots, () => ({
    cursor: cursorOf(state, scenario, trace),
    trace,
    ...(state.whatIf
      ? { ...sessionEntries(state.whatIf), scenario: state.whatIf.base }
      : { edits: [], undone: [] }),
  }));
  useReportEffect(state, dispatch, report, () =>
    reportRequest(loaded, loadedTrace, state.whatIf, { scenario, trace }),
  );
  const step = trace.steps[state.cursor];
  const explainNeeds = wrappedRows(explanation(step), columns).reduce((a, b) => a + b, 0);
  const sizes = layout(rows, explainNeeds);
  const counters = useMemo(() => new CounterCache(trace), [trace]);
  // Built at the first search, not before the first frame: most sessions never search.
  const searchText = useMemo(() => lazySearchIndex(scenario, trace), [scenario, trace]);
  const findingsText = useMemo(
    () =>
      findingsEntries(summaryItems(trace, ruleLookup(scenario.world.hosts, trace)), diagnostics),
    [scenario, trace, diagnostics],
  );

  const match: SearchMatch = (q, i) => searchText()[i]?.includes(q) ?? false;
  const rowOf: SearchRow = (q, i) => spanRow(scenario, trace, q, i);
  const page = Math.max(1, sizes.main - 5);

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);
  // After the first frame, a piece at a time: what the first look at each chain would build.
  useEffect(() => {
    const work = warmUp(scenario, trace);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      timer = work.next().done ? undefined : setTimeout(next, 0);
    };
    timer = setTimeout(next, 0);
    return () => clearTimeout(timer);
  }, [scenario, trace]);

  const chainWidth = Math.max(40, Math.floor(columns * 0.62));
  const panelWidth = Math.max(20, columns - chainWidth);
  const chain = chainView(
    scenario,
    trace,
    state.cursor,
    counters,
    state.frame,
    state.browse,
    state.row,
    state.whatIf ? switchedOff(state.whatIf.rules) : [],
  );
  const packet = packetView(trace, state.cursor, scenario);
  const title = titleText(state.cursor, trace, state.whatIf);
  const stack = stackText(step);
  const frameNote =
    state.frame !== undefined ? `[frame ${state.frame + 1}/${step?.stack.length}] ` : '';

  // Overlays take the place of a region, never add lines: the frame must stay `rows` tall.
  const body = sizes.main + sizes.explain + sizes.timeline;
  // Laid out when their text or the screen changes, not on each keypress.
  const findings = useMemo(
    () => findingsBox(findingsText, body, columns),
    [findingsText, body, columns],
  );
  const helpMax = useMemo(() => helpScrollMax(keymap, body, columns), [keymap, body, columns]);
  const list =
    state.overlay === 'edits' && state.whatIf
      ? {
          title: 'Edits · u undoes · ctrl-r redoes · E or Esc closes',
          lines: editsLines(state.whatIf),
        }
      : state.overlay === 'compare'
        ? {
            title: 'Compare: the original run → the what-if · = or Esc closes',
            lines: compareText(state.whatIf, columns),
          }
        : state.overlay === 'real'
          ? {
              title: `Real packets beside the simulation · ${keysOf(keymap, 'real.toggle', 'real').map(keyLabel).join(' or ')} or Esc closes`,
              lines: realLines(realPaths, columns - 4),
              tone: (row: string) => {
                const t = realTone(row);
                return t ? theme[t] : {};
              },
            }
          : undefined;
  const scrollMax = {
    packet: packetScrollMax(packet, sizes.main, panelWidth),
    help: helpMax,
    findings: findings.max,
    list: list ? listScrollMax(list.lines, body, columns) : 0,
  };
  const followBounds = {
    chain: chainScrollBounds(chain, sizes.main),
    timeline: timelineScrollBounds(trace, state.cursor, sizes.timeline),
  };
  useKeyCommands(dispatch, keymap, {
    page,
    match,
    rowOf,
    ...(realPaths ? { real: realPaths } : {}),
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
      {list ? (
        <Box height={body} overflow="hidden">
          <ListView
            title={list.title}
            lines={list.lines}
            height={body}
            width={columns}
            scroll={state.listScroll}
            {...(list.tone ? { tone: list.tone } : {})}
          />
        </Box>
      ) : state.overlay === 'open' || state.overlay === 'notes' ? (
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
      ) : state.addTraffic &&
        (state.overlay === 'add-traffic' || state.overlay === 'add-traffic-to') ? (
        <Box height={body} overflow="hidden">
          <AddTrafficPicker
            ui={state.addTraffic}
            choices={offered(state.whatIf).choices}
            senders={sendersFor(
              state.whatIf,
              offered(state.whatIf).choices[state.addTraffic.choice],
            )}
            input={state.input}
            height={body}
            width={columns}
          />
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
              switchedOff={switchedOffIn(state.whatIf, chain)}
            />
            <PacketPanel
              view={packet}
              height={sizes.main}
              width={panelWidth}
              scroll={state.pane === 'packet' ? state.scroll : 0}
              focused={state.pane === 'packet'}
            />
          </Box>
          {state.overlay === 'edit' && state.editor ? (
            <EditPrompt
              label={editorLabel(state.editor)}
              input={state.input}
              caret={caretAt(state)}
              error={state.editError}
              width={columns}
              height={sizes.explain}
            />
          ) : (
            <Explanation
              step={step}
              width={columns}
              height={sizes.explain}
              row={chain?.selectedRow}
            />
          )}
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
          caret={caretAt(state)}
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
