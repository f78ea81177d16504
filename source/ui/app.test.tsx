import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/index.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { App, type AppProps } from './app.js';
import { ChainPane } from './components/ChainPane.js';
import { Help } from './components/Help.js';
import { PacketPanel } from './components/PacketPanel.js';
import { PathStrip } from './components/PathStrip.js';
import { Timeline } from './components/Timeline.js';
import { DEFAULT_KEYMAP } from './keymap.js';
import { stepVerdictLabel } from './step-text.js';
import { frameWhere, keys } from './test-helpers.js';
import { chainView } from './view/chain-view.js';
import { connectionChips } from './view/connection-chips.js';
import { CounterCache } from './view/counter-cache.js';
import { helpEntries, helpLines } from './view/help-lines.js';
import { packetView } from './view/packet-view.js';
import { pathTokens } from './view/path-tokens.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
/** The app as it opens (on the findings), then f: the one key press that shows the steps. */
async function renderApp() {
  const r = render(<App scenario={scenario} trace={trace} />);
  await keys(r.stdin, r.lastFrame, 'f');
  return r;
}

/**
 * The app drawn on a `columns`x`rows` terminal (ink-testing-library's is 100 columns), on the
 * steps after f closes the findings it opens on, or still on them with `onFindings`.
 */
async function renderAt(
  columns: number,
  rows: number,
  cursor = 0,
  { onFindings = false, props = {} }: { onFindings?: boolean; props?: Partial<AppProps> } = {},
) {
  const r = render(<App scenario={scenario} trace={trace} initialCursor={cursor} {...props} />);
  Object.defineProperty(r.stdout, 'columns', { get: () => columns });
  Object.defineProperty(r.stdout, 'rows', { get: () => rows, configurable: true });
  r.stdout.emit('resize');
  const fits = () => (r.lastFrame() ?? '').split('\n').length < rows;
  const end = Date.now() + 2000;
  while (!fits() && Date.now() < end) await new Promise((w) => setTimeout(w, 5));
  if (!onFindings) await keys(r.stdin, r.lastFrame, 'f');
  return r;
}

const stepOf = (frame: string | undefined) => Number(/step (\d+) of /.exec(frame ?? '')?.[1]);
const footerOf = (frame: string | undefined) => (frame ?? '').split('\n').at(-1) ?? '';

describe('the app', () => {
  it('opens on the findings, and f shows step 0 with the path, the packet and the footer', async () => {
    const { lastFrame, stdin, unmount } = render(<App scenario={scenario} trace={trace} />);
    expect(lastFrame()).toContain('Findings · j/k select');
    expect(lastFrame()).toContain('No loop: ');
    await keys(stdin, lastFrame, 'f');
    const frame = lastFrame() ?? '';
    expect(frame).not.toContain('No loop: ');
    expect(stepOf(frame)).toBe(0);
    // The count nfdb run prints; the steps are numbered from 0 as run numbers them.
    expect(frame).toContain(`step 0 of ${trace.steps.length}`);
    expect(frame).toContain('productpage ▸ routing ▸ OUTPUT');
    expect(frame).toContain('Packet 1/32 SYN');
    expect(frame).toContain('? help');
    unmount();
  });

  it('steps with → and l, back with ← and h, and takes a burst of keys one by one', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, '\u001B[C', 'l', 'l');
    expect(stepOf(lastFrame())).toBe(3);
    await keys(stdin, lastFrame, '\u001B[D', 'h');
    expect(stepOf(lastFrame())).toBe(1);
    await keys(stdin, lastFrame, 'lllll');
    expect(stepOf(lastFrame())).toBe(6);
    unmount();
  });

  it('goes to step N with :, shows the chain with the rule highlighted', async () => {
    const redirect = trace.steps.findIndex((s) => stepVerdictLabel(s) === 'REDIRECT');
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, ':', String(redirect), '\r');
    const frame = lastFrame() ?? '';
    expect(stepOf(frame)).toBe(redirect);
    expect(frame).toContain('nat PREROUTING › ISTIO_INBOUND › ISTIO_IN_REDIRECT');
    expect(frame).toMatch(/▶\s+1\s+60 REDIRECT/);
    unmount();
  });

  it('takes a line and Enter that arrive in one chunk in the goto and search prompts', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, ':', '15\r');
    expect(stepOf(lastFrame())).toBe(15);
    expect(footerOf(lastFrame())).toContain('? help');
    await keys(stdin, lastFrame, '/', 'redir ports 15001\r');
    expect(lastFrame()).toContain('found "redir ports 15001"');
    await keys(stdin, lastFrame, ':42\r');
    expect(stepOf(lastFrame())).toBe(42);
    unmount();
  });

  it('redraws the whole prompt row and keeps other keys off it', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, ':', '1', '5');
    expect(footerOf(lastFrame())).toMatch(/^go to step: 15 *$/);
    await keys(stdin, lastFrame, '[x\u001B[C');
    expect(footerOf(lastFrame())).toMatch(/^go to step: 15 *$/);
    await keys(stdin, lastFrame, '\u007F', '\r');
    expect(stepOf(lastFrame())).toBe(1);
    unmount();
  });

  it('scrolls the chain sideways with > and < to show a long match', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, '/', 'owner uid match 1337', '\r');
    expect(lastFrame()).not.toContain('owner UID match 1337');
    await keys(stdin, lastFrame, '>>>>>>>>');
    expect(lastFrame()).toContain('owner UID match 1337');
    expect(lastFrame()).toMatch(/\[shifted \d+\] reviews/);
    // A step with no chain says the shift is kept, so the next chain's `…` is no surprise.
    const at = stepOf(lastFrame());
    await keys(stdin, lastFrame, 'g');
    expect(lastFrame()).toMatch(/Rules stay shifted \d+ columns/);
    await keys(stdin, lastFrame, ':', String(at), '\r');
    await keys(stdin, lastFrame, '<<<<<<<<');
    expect(lastFrame()).not.toContain('[shifted');
    expect(lastFrame()).not.toContain('owner UID match 1337');
    unmount();
  });

  it('jumps packets and connections, to the end and back', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, 'n');
    expect(lastFrame()).toContain('Packet 2/32 SYN-ACK');
    await keys(stdin, lastFrame, 'c');
    expect(lastFrame()).toContain('connection 2/4');
    await keys(stdin, lastFrame, 'G');
    expect(stepOf(lastFrame())).toBe(trace.steps.length - 1);
    await keys(stdin, lastFrame, 'g');
    expect(stepOf(lastFrame())).toBe(0);
    unmount();
  });

  it('opens and closes the help overlay with ?', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, '?');
    expect(lastFrame()).toContain('nfdb keys');
    expect(lastFrame()).toContain('run to the end');
    await keys(stdin, lastFrame, '?');
    expect(lastFrame()).not.toContain('nfdb keys');
    unmount();
  });

  it('searches with / and picks a traffic item with t', async () => {
    const { lastFrame, stdin, unmount } = await renderApp();
    const found = (q: string) => (f: string) => f.includes(`found "${q}"`);
    await keys(stdin, lastFrame, '/', 'redir ports 15001', '\r');
    expect(await frameWhere(lastFrame, found('redir ports 15001'))).toContain('found');
    await keys(stdin, lastFrame, '/', 'owner uid match 1337', '\r');
    const first = stepOf(await frameWhere(lastFrame, found('owner uid match 1337')));
    await keys(stdin, lastFrame, '*');
    const next = await frameWhere(lastFrame, (f) => stepOf(f) !== first);
    expect(stepOf(next)).toBeGreaterThan(first);
    expect(next).toContain('found "owner uid match 1337"');
    await keys(stdin, lastFrame, 't');
    expect(await frameWhere(lastFrame, (f) => f.includes('traffic items'))).toContain('traffic');
    await keys(stdin, lastFrame, '\u001B[B', '\r');
    expect(await frameWhere(lastFrame, (f) => f.includes('connection 3/4'))).toContain(
      'connection 3/4',
    );
    unmount();
  });

  it('browses the host chains with } and shows frames with [', async () => {
    const deep = trace.steps.findIndex((s) => s.stack.length === 3);
    const { lastFrame, stdin, unmount } = await renderApp();
    await keys(stdin, lastFrame, ':', String(deep), '\r', '[');
    expect(lastFrame()).toContain('[frame 2/3]');
    expect(lastFrame()).toContain('Chain ISTIO_INBOUND');
    await keys(stdin, lastFrame, '}');
    expect(lastFrame()).toContain('Chain PREROUTING (policy ACCEPT');
    // The header says it is browsing, not the step's stack any more.
    expect(lastFrame()).toMatch(/browsing chain 1\/\d+ · reviews · nat PREROUTING/);
    expect(lastFrame()).not.toContain('[frame');
    await keys(stdin, lastFrame, '}');
    expect(lastFrame()).toMatch(/browsing chain 2\/\d+ · /);
    unmount();
  });
});

describe('the app at 80x24', () => {
  it("wraps the reply's explanation instead of cutting it", async () => {
    const reply = trace.steps.findIndex(
      (s) =>
        s.kind === 'conntrack' &&
        s.event.kind === 'nat-skipped' &&
        s.event.why === 'not-first' &&
        s.event.direction === 'reply',
    );
    const { lastFrame, unmount } = await renderAt(80, 24, reply);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines.every((l) => [...l].length <= 80)).toBe(true);
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      "nat OUTPUT is not consulted: not the first packet of the connection (conntrack reply); conntrack applies the connection's NAT",
    );
    expect(text).toContain('every reply, is rewritten by conntrack from the NAT decided then.');
    expect(lastFrame()).not.toMatch(/connection…|NAT…/);
    unmount();
  });
});

describe('the findings at 80x24', () => {
  const warnings: Diagnostic[] = Array.from({ length: 14 }, (_, i) => ({
    severity: 'warning',
    message: `-m destination localhost is not simulated (warning ${i + 1})`,
    pos: { file: 'pasted.txt', line: i + 3, column: 5 },
  }));
  const body = (frame: string | undefined) =>
    (frame ?? '')
      .split('\n')
      .filter((l) => l.startsWith('║'))
      .map((l) => l.replace(/^║ ?|║$/g, '').trimEnd());

  it('wraps each finding at the width instead of cutting it', async () => {
    const { lastFrame, unmount } = await renderAt(80, 24, 0, { onFindings: true });
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines.every((l) => [...l].length <= 80)).toBe(true);
    expect(body(lastFrame()).join('\n')).not.toContain('…');
    const text = body(lastFrame()).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      '1. productpage → reviews:9080: delivered to envoy (uid 1337) on 0.0.0.0:15006 [step 18] (all 8 packets delivered); envoy opens connection 2',
    );
    expect(text).toMatch(/▶ 1\. productpage/);
    unmount();
  });

  it('scrolls to the load warnings with signs of more, and counts them in the footer', async () => {
    const { lastFrame, stdin, unmount } = await renderAt(80, 24, 0, {
      onFindings: true,
      props: { diagnostics: warnings },
    });
    expect(footerOf(lastFrame())).toMatch(/^⚠ 14 warnings \(f\) · \? help/);
    expect(lastFrame()).toContain('↓ more (j scrolls down)');
    expect(lastFrame()).not.toContain('↑ more');
    const seen: string[] = [];
    for (let i = 0; i < 60 && (lastFrame() ?? '').includes('↓ more'); i++) {
      seen.push(...body(lastFrame()));
      await keys(stdin, lastFrame, 'j');
    }
    seen.push(...body(lastFrame()));
    expect(lastFrame()).toContain('↑ more (k scrolls up)');
    expect(lastFrame()).not.toContain('↓ more');
    expect(seen.join('\n')).toContain('No loop: every connection a proxy opened (2)');
    expect(seen.join('\n')).toContain('Load warnings (14):');
    for (const w of warnings)
      expect(seen.join('\n')).toContain(`${w.pos.line}:${w.pos.column} warning: ${w.message}`);
    for (let i = 0; i < 10 && (lastFrame() ?? '').includes('↑ more'); i++)
      await keys(stdin, lastFrame, '\u001B[5~');
    expect(lastFrame()).not.toContain('↑ more');
    expect(body(lastFrame())[1]).toMatch(/^ {2}1\. productpage/);
    unmount();
  });

  it("goes to the selected finding's step with Enter, and f opens the findings again", async () => {
    const { lastFrame, stdin, unmount } = await renderAt(80, 24, 0, { onFindings: true });
    await keys(stdin, lastFrame, 'j');
    expect(body(lastFrame()).some((l) => l.startsWith('▶ 2. envoy@reviews'))).toBe(true);
    const step = Number(
      /\[step (\d+)\]/.exec(body(lastFrame()).join(' ').split('▶ 2.')[1] ?? '')?.[1],
    );
    await keys(stdin, lastFrame, '\r');
    expect(stepOf(lastFrame())).toBe(step);
    expect(lastFrame()).not.toContain('Findings ·');
    expect(footerOf(lastFrame())).toContain(`finding at step ${step}`);
    await keys(stdin, lastFrame, 'f');
    expect(lastFrame()).toContain('Findings ·');
    expect(body(lastFrame()).some((l) => l.startsWith('▶ 2. envoy@reviews'))).toBe(true);
    unmount();
  });

  it('counts no warnings when there are none', async () => {
    const { lastFrame, unmount } = await renderAt(80, 24);
    expect(footerOf(lastFrame())).toMatch(/^\? help/);
    unmount();
  });
});

describe('the packet panel at 80x24', () => {
  it('scrolls with the pane keys when focused, to the conntrack tuples, with signs of more', async () => {
    const at = trace.steps.findIndex((_s, i) => packetView(trace, i, scenario)?.conntrack?.status);
    const ct = packetView(trace, at, scenario)?.conntrack;
    const status = ct?.status ?? 'a status line';
    const reply = ct?.reply.split(' → ')[0] ?? 'a reply tuple';
    const { lastFrame, stdin, unmount } = await renderAt(80, 24, at);
    const panel = () =>
      (lastFrame() ?? '')
        .split('\n')
        .map((l) => l.split('││')[1] ?? '')
        .join('\n');
    expect(panel()).toContain('↓ more');
    expect(panel()).not.toContain('↑ more');
    expect(panel()).not.toContain(status);
    await keys(stdin, lastFrame, 'j');
    expect(panel()).not.toContain('↑ more');
    await keys(stdin, lastFrame, '\t', 'j');
    expect(panel()).toContain('↑ more');
    await keys(stdin, lastFrame, '\u001B[6~', '\u001B[6~');
    expect(panel()).toContain(status);
    expect(panel()).toContain(reply);
    expect(panel()).not.toContain('↓ more');
    // Keys past the end are not counted: one k moves back at once.
    await keys(stdin, lastFrame, '\u001B[6~', 'j');
    await keys(stdin, lastFrame, 'k');
    expect(panel()).toContain('↓ more');
    await keys(stdin, lastFrame, '\u001B[5~', '\u001B[5~', 'k');
    expect(panel()).toContain('Packet ');
    expect(panel()).not.toContain('↑ more');
    unmount();
  });
});

describe('the help at 80x24', () => {
  it('scrolls with j and PgDn/PgUp, with signs of more, and can be read whole', async () => {
    const { lastFrame, stdin, unmount } = await renderAt(80, 24);
    await keys(stdin, lastFrame, '?');
    const seen: string[] = [];
    const read = () => {
      const frame = lastFrame() ?? '';
      expect(frame.split('\n').length).toBeLessThanOrEqual(24);
      seen.push(frame);
      return frame;
    };
    expect(read()).toContain('↓ more');
    expect(lastFrame()).not.toContain('↑ more');
    for (let i = 0; i < 80 && read().includes('↓ more'); i++) await keys(stdin, lastFrame, 'j');
    expect(read()).toContain('↑ more');
    expect(lastFrame()).not.toContain('↓ more');
    await keys(stdin, lastFrame, 'j', '\u001B[6~', 'k');
    expect(lastFrame()).toContain('↓ more');
    const words = seen.join('\n').split(/[\s║]+/);
    for (const [keyNames, text] of helpEntries(DEFAULT_KEYMAP))
      for (const word of `${keyNames} ${text}`.split(' ')) expect(words).toContain(word);
    for (let i = 0; i < 20 && lastFrame()?.includes('↑ more'); i++)
      await keys(stdin, lastFrame, '\u001B[5~');
    expect(lastFrame()).not.toContain('↑ more');
    await keys(stdin, lastFrame, '\u001B[6~');
    expect(lastFrame()).toContain('↑ more');
    expect(lastFrame()).toContain('nfdb keys');
    unmount();
  });
});

describe('the app on a small terminal', () => {
  it('says in one line that the terminal is too small, and the size it needs', async () => {
    for (const [columns, rows] of [
      [59, 30],
      [100, 17],
      [130, 12],
      [30, 8],
    ] as const) {
      const { lastFrame, unmount } = await renderAt(columns, rows);
      const end = Date.now() + 2000;
      while (!lastFrame()?.startsWith('Needs 60x18: ') && Date.now() < end)
        await new Promise((w) => setTimeout(w, 5));
      const frame = lastFrame() ?? '';
      expect(frame.split('\n')).toHaveLength(1);
      // The size needed first: the line is cut at the terminal's width.
      expect(frame.startsWith('Needs 60x18: ')).toBe(true);
      if (columns > 60) expect(frame).toContain(`terminal is too small (${columns}x${rows})`);
      unmount();
    }
  });

  it('draws every region at the smallest size, within the screen', async () => {
    const { lastFrame, unmount } = await renderAt(60, 18, 12);
    const frame = lastFrame() ?? '';
    expect(frame).not.toContain('too small');
    expect(frame.split('\n').length).toBeLessThan(18);
    expect(Math.max(...frame.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(frame).toContain('▶');
    expect(footerOf(frame)).toContain('help');
    unmount();
  });
});

describe('the components', () => {
  const counters = new CounterCache(trace);
  const at = trace.steps.findIndex((s) => stepVerdictLabel(s) === 'REDIRECT');

  it('ChainPane renders only the rows that fit, a row given to the sign of more', () => {
    const view = chainView(scenario, trace, at - 1, counters);
    const pane = (scroll: number) =>
      render(
        <ChainPane
          view={view}
          stack="nat PREROUTING"
          height={8}
          width={90}
          scroll={scroll}
          focused
        />,
      ).lastFrame() ?? '';
    const rows = pane(0)
      .split('\n')
      .filter((l) => /\d+\s+\d+ (RETURN|ISTIO)/.test(l));
    expect(rows.length).toBe(2);
    // The current rule is the last but one: it follows it to the end, the rest hidden above.
    expect(pane(0)).toContain('↑ 3 more rules');
    expect(pane(0)).not.toContain('↓');
    expect(pane(-9)).toContain('↓ 3 more rules');
    expect(pane(-9)).not.toContain('↑');
  });

  it('ChainPane says so when a step has no chain', () => {
    const { lastFrame } = render(
      <ChainPane stack="" height={5} width={60} scroll={0} focused={false} />,
    );
    expect(lastFrame()).toContain('No chain at this step');
  });

  it('PacketPanel keeps the title when it must cut', () => {
    const { lastFrame } = render(
      <PacketPanel view={packetView(trace, at)} height={4} width={60} focused />,
    );
    expect(lastFrame()).toContain('Packet 1/32 SYN');
    expect(lastFrame()).not.toContain('conntrack');
  });

  it('Timeline marks the cursor and follows it', () => {
    const { lastFrame } = render(
      <Timeline trace={trace} cursor={300} height={6} scroll={0} focused />,
    );
    expect(lastFrame()).toContain('  300 ');
    expect(lastFrame()).not.toContain('    0 productpage');
    expect(lastFrame()).toContain('↑ 299 more steps');
    expect(lastFrame()).toContain(`↓ ${trace.steps.length - 301} more steps`);
  });

  it('Help wraps its descriptions at 100 columns instead of cutting them', () => {
    const frame = render(<Help keymap={DEFAULT_KEYMAP} height={60} width={100} />).lastFrame();
    expect(frame).not.toContain('…');
    const words = (frame ?? '').split(/[\s║]+/);
    for (const [, text] of helpEntries(DEFAULT_KEYMAP))
      for (const word of text.split(' ')) expect(words).toContain(word);
  });

  it('Help lays out one column when two do not fit the width', () => {
    const lines = helpLines(DEFAULT_KEYMAP, 50, 20);
    expect(lines.every((l) => l.length <= 50)).toBe(true);
    expect(lines.filter((l) => /^\S/.test(l)).length).toBe(helpEntries(DEFAULT_KEYMAP).length);
  });

  it('PathStrip and Help render their parts', () => {
    const strip = render(
      <PathStrip
        title="t"
        connections={connectionChips(trace, at)}
        tokens={pathTokens(trace, at)}
      />,
    ).lastFrame();
    expect(strip).toContain('PREROUTING');
    expect(strip).toContain('2 envoy@reviews → 10.0.0.2:9080 from 127.0.0.6');
    expect(render(<Help keymap={DEFAULT_KEYMAP} />).lastFrame()).toContain('go to step N');
  });
});
