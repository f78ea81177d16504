/**
 * nfdb in a real terminal: tmux runs a shell at 120x40, the shell runs nfdb, send-keys types and
 * capture-pane reads the screen. Steps through the whole default scenario and checks the
 * counters on screen against `nfdb run --counters`, the help overlay, redraws after resizing,
 * and that q gives the shell back intact. Frames at a few steps are kept in test/tui/frames/
 * as plain text for a reviewer to read (NFDB_UPDATE_FRAMES=1 rewrites them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { newSession } from '../helpers/tmux.js';

const SOCKET = `nfdb-e2e-${process.pid}`;
const SESSION = 'e2e';
const CLI = join(ROOT, 'dist/cli.js');
const FRAMES = join(ROOT, 'test/tui/frames');
const missing =
  spawnSync('sh', ['-c', 'command -v tmux']).status !== 0
    ? 'tmux is not installed'
    : !existsSync(CLI)
      ? 'dist/cli.js is not built (npm run build)'
      : undefined;
if (missing) console.warn(`\n*** TMUX END-TO-END TESTS SKIPPED: ${missing} ***\n`);

const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const screen = (session = SESSION) => tmux('capture-pane', '-p', '-t', session);

/**
 * The screen once it shows `what` and has settled: the same at two captures in a row, so a frame
 * caught while nfdb was still writing it (a new title over old panes) is not the one returned.
 */
async function until(
  what: string,
  test: (s: string) => boolean,
  ms = 30_000,
  session = SESSION,
): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    const before = last;
    last = screen(session);
    if (test(last) && last === before) return last;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
}

/** A tmux session of its own at `columns`x`rows`: a plain shell with a prompt the tests know. */
async function newShell(session: string, columns: number, rows: number) {
  const size = ['-x', String(columns), '-y', String(rows)];
  await newSession(SOCKET, '-d', '-s', session, ...size, 'bash', '--norc', '--noprofile');
  tmux('send-keys', '-t', session, "PS1='PROMPT$ '; clear", 'Enter');
  await until('the shell prompt', (s) => s.includes('PROMPT$'), 30_000, session);
}

const stepOn = (s: string) => Number(/step (\d+) of (\d+)/.exec(s)?.[1] ?? -1);
/** The title counts the steps; they are numbered from 0. */
const lastStepOn = (s: string) => Number(/step \d+ of (\d+)/.exec(s)?.[1] ?? 0) - 1;

/**
 * Each key waits for the screen to show it before the next: under load a fixed pause is not
 * enough, and a frame checked before the prompt closed would keep a stray `:` in its footer.
 */
async function goto(step: number): Promise<string> {
  tmux('send-keys', '-t', SESSION, ':');
  await until('the goto prompt', (s) => /^go to step: /m.test(s));
  tmux('send-keys', '-t', SESSION, String(step));
  await until(`the typed ${step}`, (s) => new RegExp(`^go to step: ${step} *$`, 'm').test(s));
  tmux('send-keys', '-t', SESSION, 'Enter');
  return until(
    `step ${step}`,
    (s) => stepOn(s) === step && s.includes('? help') && !s.includes('go to step'),
  );
}

/** Checks a frame against its kept text (NFDB_UPDATE_FRAMES=1 rewrites it); a missing one fails. */
function keep(name: string, screenText: string) {
  const frame = screenText.replace(/\s+$/gm, '');
  const file = join(FRAMES, `${name}.txt`);
  if (process.env.NFDB_UPDATE_FRAMES) writeFileSync(file, `${frame}\n`);
  expect(`${frame}\n`).toBe(readFileSync(file, 'utf8'));
}

/** Counters of the chain in the left pane: its policy line and each rule row's pkts/bytes. */
function chainOnScreen(s: string) {
  const lines = s.split('\n').map((l) => l.split('││')[0] ?? l);
  const header = lines.find((l) => l.includes('Chain '));
  const name = /Chain (\S+)/.exec(header ?? '')?.[1] ?? '';
  const policy = /policy \w+ (\d+) packets, (\d+) bytes/.exec(header ?? '');
  const rows = lines
    .map((l) => /^│[▶✓ ] +(\d+) +(\d+) /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `[${m[1]}:${m[2]}]`);
  return { name, policy: policy ? `[${policy[1]}:${policy[2]}]` : undefined, rows };
}

function savedCounters(host: string) {
  const text = execFileSync('node', [CLI, 'run', '--counters'], { encoding: 'utf8' });
  const block = text.split('# host ').find((b) => b.startsWith(`${host}\n`)) ?? '';
  const chains = new Map<string, { policy?: string; rows: string[] }>();
  for (const line of block.split('\n')) {
    const chain = /^:(\S+) (\S+) (\[\d+:\d+\])/.exec(line);
    // User chains have no policy: iptables-save prints '-' and the listing their references.
    if (chain?.[1])
      chains.set(chain[1], { policy: chain[2] === '-' ? undefined : chain[3], rows: [] });
    const rule = /^(\[\d+:\d+\]) -A (\S+)/.exec(line);
    if (rule?.[2]) chains.get(rule[2])?.rows.push(rule[1] ?? '');
  }
  return chains;
}

describe.skipIf(missing !== undefined)('nfdb in a real terminal', () => {
  beforeAll(async () => {
    await newShell(SESSION, 120, 40);
    tmux('send-keys', '-t', SESSION, `cd ${ROOT} && node ${CLI}`, 'Enter');
    await until('nfdb to draw', (s) => s.includes('step 0 of ') && s.includes('Findings ·'));
    // It opens on the findings (tested below); these tests read the steps behind them.
    tmux('send-keys', '-t', SESSION, 'f');
    await until('the steps', (s) => !s.includes('Findings ·') && s.includes('? help'));
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('keeps readable frames of the default scenario at several steps', async () => {
    const redirect = 12;
    for (const step of [0, redirect, 64, 323]) keep(`bookinfo-step-${step}`, await goto(step));
  });

  it('goes to a step typed and entered in one send-keys, with the prompt row drawn whole', async () => {
    await goto(0);
    tmux('send-keys', '-t', SESSION, ':');
    await until('the goto prompt', (s) => s.includes('go to step: '));
    tmux('send-keys', '-t', SESSION, '1');
    const typed = await until('the typed digit', (s) => /\ngo to step: 1 *$/m.test(s));
    expect(typed).toMatch(/^go to step: 1 *$/m);
    // A digit after the stray key shows whether the key was typed: `1[2` would be wrong.
    tmux('send-keys', '-t', SESSION, '[', '2');
    const after = await until('the next digit', (s) => /^go to step: 1\S*2 *$/m.test(s));
    expect(after).toMatch(/^go to step: 12 *$/m);
    tmux('send-keys', '-t', SESSION, 'Escape');
    await until('the prompt to close', (s) => s.includes('? help'));
    tmux('send-keys', '-t', SESSION, ':');
    await until('the goto prompt', (s) => s.includes('go to step: '));
    tmux('send-keys', '-t', SESSION, '15', 'Enter');
    const s = await until('step 15', (x) => stepOn(x) === 15 && x.includes('? help'));
    expect(s).not.toContain('go to step');
  });

  it('steps through the whole scenario and ends with the counters nfdb run prints', async () => {
    await goto(0);
    const last = lastStepOn(screen());
    for (let sent = 0; sent < last; sent += 50) {
      tmux('send-keys', '-t', SESSION, 'l'.repeat(Math.min(50, last - sent)));
      await sleep(60);
    }
    const end = await until('the last step', (s) => stepOn(s) === last, 20_000);
    expect(end).toContain('Packet 32/32');
    const saved = savedCounters('reviews');
    const seen = new Set<string>();
    for (let i = 0; i < saved.size; i++) {
      tmux('send-keys', '-t', SESSION, '}');
      const s = await until('a browsed chain', (x) => {
        const name = chainOnScreen(x).name;
        return name !== '' && !seen.has(name);
      });
      const chain = chainOnScreen(s);
      seen.add(chain.name);
      expect({ chain: chain.name, ...chain }).toEqual({
        chain: chain.name,
        name: chain.name,
        policy: saved.get(chain.name)?.policy,
        rows: saved.get(chain.name)?.rows,
      });
    }
    expect(seen.size).toBe(saved.size);
  });

  it('opens and closes the help with ?', async () => {
    tmux('send-keys', '-t', SESSION, '?');
    await until('the help', (s) => s.includes('nfdb keys'));
    tmux('send-keys', '-t', SESSION, '?');
    await until('the help to close', (s) => !s.includes('nfdb keys') && s.includes('Chain '));
  });

  it.each([
    [80, 24],
    [200, 60],
    [120, 40],
  ])('redraws cleanly at %ix%i', async (columns, rows) => {
    tmux('resize-window', '-t', SESSION, '-x', String(columns), '-y', String(rows));
    const s = await until(`a ${columns}x${rows} frame`, (x) => {
      const lines = x.split('\n');
      return (
        lines.length >= rows &&
        lines.every((l) => [...l].length <= columns) &&
        (lines[0] ?? '').startsWith('nfdb · ') &&
        lines.some((l) => l.includes('? help'))
      );
    });
    const lines = s.split('\n').slice(0, rows);
    expect(lines.filter((l) => l.startsWith('nfdb · ')).length).toBe(1);
    expect(lines.filter((l) => l.includes('? help')).length).toBe(1);
    expect(lines.filter((l) => l.includes('╭')).length).toBe(2);
    expect(lines[0]).toMatch(/^nfdb · /);
  });

  it("at 80x24 reads the reply's explanation whole, the conntrack tuples and the whole help", async () => {
    tmux('resize-window', '-t', SESSION, '-x', '80', '-y', '24');
    await until('an 80x24 frame', (x) => x.split('\n').every((l) => [...l].length <= 80));
    await goto(0);
    tmux('send-keys', '-t', SESSION, '/');
    await until('the search prompt', (x) => x.includes('search: '));
    tmux('send-keys', '-t', SESSION, 'nat output is not consulted', 'Enter');
    const reply = await until('the reply step', (x) => x.includes('found "nat output'));
    expect(reply.replace(/\s+/g, ' ')).toContain(
      "nat OUTPUT is not consulted: not the first packet of the connection (conntrack reply); conntrack applies the connection's NAT",
    );
    keep('bookinfo-80x24-reply', reply);

    const panel = (x: string) => x.split('\n').map((l) => l.split('││')[1] ?? '');
    expect(panel(reply).some((l) => l.startsWith('↓ more'))).toBe(true);
    tmux('send-keys', '-t', SESSION, 'Tab', 'NPage', 'NPage', 'NPage');
    const tuples = await until('the conntrack tuples', (x) =>
      panel(x).some((l) => l.startsWith('reply ')),
    );
    expect(panel(tuples).some((l) => l.startsWith('orig '))).toBe(true);
    expect(panel(tuples).some((l) => l.startsWith('↑ more'))).toBe(true);
    keep('bookinfo-80x24-conntrack', tuples);
    // BTab is tmux's name for shift-tab (S-Tab is typed as its letters).
    tmux('send-keys', '-t', SESSION, 'BTab');

    tmux('send-keys', '-t', SESSION, '?');
    let help = await until('the help', (x) => x.includes('nfdb keys'));
    const read = [help];
    expect(help).toContain('↓ more');
    for (let i = 0; i < 80 && help.includes('↓ more'); i++) {
      tmux('send-keys', '-t', SESSION, 'j');
      const before = help;
      help = await until('the help to scroll', (x) => x !== before);
      read.push(help);
    }
    expect(help).toContain('↑ more');
    expect(help).not.toContain('↓ more');
    const all = read.join('\n');
    for (const words of ['next step', 'go to step N', 'pick a traffic item', 'this help', 'quit'])
      expect(all).toContain(words);
    keep('bookinfo-80x24-help-end', help);
    tmux('send-keys', '-t', SESSION, 'Escape');
    await until('the help to close', (x) => !x.includes('nfdb keys'));
    tmux('resize-window', '-t', SESSION, '-x', '120', '-y', '40');
    await until('a 120x40 frame', (x) => x.split('\n').some((l) => [...l].length > 80));
  });

  it("at 120x40 reads the reply's sentence whole and finds a rule by the text the user wrote", async () => {
    await until('a 120x40 frame', (x) => x.split('\n').some((l) => [...l].length > 80));
    await goto(0);
    const search = async (text: string) => {
      tmux('send-keys', '-t', SESSION, '/');
      await until('the search prompt', (x) => x.includes('search: '));
      // Literal: the text may start with -- (an option, to tmux).
      tmux('send-keys', '-t', SESSION, '-l', '--', text);
      tmux('send-keys', '-t', SESSION, 'Enter');
      return until(`"${text}" found`, (x) => x.includes(`found "${text.toLowerCase()}"`));
    };
    const reply = await search('nat OUTPUT is not consulted');
    expect(reply.replace(/\s+/g, ' ')).toContain(
      "nat OUTPUT is not consulted: not the first packet of the connection (conntrack reply); conntrack applies the connection's NAT",
    );
    // No row of the explanation starts with the space between two words.
    expect(reply.split('\n').filter((l) => /^ \S/.test(l))).toEqual([]);
    keep('bookinfo-120x40-reply', reply);

    await goto(0);
    const rule = await search('--uid-owner 1337');
    const step = stepOn(rule);
    expect(step).toBeGreaterThan(0);
    // The step found evaluates a rule the rules file writes with --uid-owner 1337: the marked row.
    const saved = execFileSync('node', [CLI, 'run', '--json'], { encoding: 'utf8' });
    const found = (
      JSON.parse(saved) as { steps: { index: number; kind: string; chain?: string }[] }
    ).steps[step];
    // A rule evaluated, or a span of rules passed over (▶ its first, · the others).
    expect(['rule', 'span']).toContain(found?.kind);
    expect(found).toMatchObject({ chain: 'ISTIO_OUTPUT' });
    const marked = rule.split('\n').filter((l) => l.startsWith('│▶') || l.startsWith('│·'));
    expect(marked.join('\n')).toContain('ISTIO_IN_REDIRECT');
    expect(rule).toContain('owne');
    keep('bookinfo-120x40-uid-owner', rule);
  });

  it('says the terminal is too small below 60x18, and draws again when it grows', async () => {
    tmux('resize-window', '-t', SESSION, '-x', '50', '-y', '14');
    const small = await until('the too-small line', (x) => x.startsWith('Needs 60x18: '));
    expect(small.trim().split('\n')).toHaveLength(1);
    keep('bookinfo-50x14-too-small', small);
    tmux('resize-window', '-t', SESSION, '-x', '60', '-y', '18');
    const smallest = await until('a 60x18 frame', (x) => x.startsWith('nfdb · step '));
    expect(smallest.split('\n').every((l) => [...l].length <= 60)).toBe(true);
    expect(smallest).toContain('? help');
    keep('bookinfo-60x18', smallest);
    tmux('resize-window', '-t', SESSION, '-x', '120', '-y', '40');
    await until('a 120x40 frame', (x) => x.split('\n').some((l) => [...l].length > 80));
  });

  it('gives the shell back intact on q', async () => {
    tmux('send-keys', '-t', SESSION, 'q');
    const s = await until('the prompt', (x) =>
      /PROMPT\$$/.test(x.trimEnd().split('\n').at(-1) ?? ''),
    );
    expect(s).not.toContain('nfdb · ');
    expect(s).toContain(`node ${CLI}`);
    tmux('send-keys', '-t', SESSION, 'echo still-here', 'Enter');
    await until('the shell to answer', (x) => x.includes('\nstill-here'));
  });

  it('opens at --step N, and gives the shell back on Ctrl-C too', async () => {
    tmux('send-keys', '-t', SESSION, 'clear', 'Enter');
    tmux('send-keys', '-t', SESSION, `node ${CLI} --step 12`, 'Enter');
    await until('nfdb to draw at step 12', (s) => s.includes('step 12 of ') && s.includes('▶'));
    tmux('send-keys', '-t', SESSION, 'C-c');
    const s = await until('the prompt', (x) =>
      /PROMPT\$$/.test(x.trimEnd().split('\n').at(-1) ?? ''),
    );
    expect(s).not.toContain('nfdb · ');
    tmux('send-keys', '-t', SESSION, 'echo after-ctrl-c', 'Enter');
    await until('the shell to answer', (x) => x.includes('\nafter-ctrl-c'));
  });
});

/**
 * Findings first: a fresh nfdb at each size opens on the findings. On the default scenario they
 * say there is no loop; on what-if-loop.json they show the loop and its rules by their text,
 * and Enter on the loop goes to its step. Frames are kept as for the steps above.
 */
describe.skipIf(missing !== undefined).each([
  [80, 24],
  [120, 40],
])('the findings in a real terminal at %ix%i', (columns, rows) => {
  const session = `findings-${columns}x${rows}`;
  const size = `${columns}x${rows}`;
  const send = (...keys: string[]) => tmux('send-keys', '-t', session, ...keys);
  const wait = (what: string, test: (s: string) => boolean) => until(what, test, 30_000, session);
  /** The findings' rows, inside their double border. */
  const findingsRows = (s: string) =>
    s
      .split('\n')
      .filter((l) => l.startsWith('║'))
      .map((l) => l.replace(/^║ ?|║$/g, '').trimEnd());

  beforeAll(async () => {
    await newShell(session, columns, rows);
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', session]);
  });

  /** Starts nfdb with `args` and returns its first screen, the findings. */
  async function start(args: string) {
    send('clear', 'Enter');
    send(`cd ${ROOT} && node ${CLI} ${args}`.trimEnd(), 'Enter');
    return wait('the findings', (s) => s.includes('Findings ·') && s.includes('nfdb · '));
  }

  async function quit() {
    send('C-c');
    await wait('the prompt', (x) => /PROMPT\$$/.test(x.trimEnd().split('\n').at(-1) ?? ''));
  }

  it('opens on the findings of the default scenario, which say there is no loop', async () => {
    const s = await start('');
    expect(s.split('\n').every((l) => [...l].length <= columns)).toBe(true);
    const text = findingsRows(s).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('No loop: every connection a proxy opened (2) was let out');
    expect(text).toContain('1. productpage → reviews:9080: delivered to envoy (uid 1337)');
    keep(`bookinfo-${size}-findings`, s);
    send('f');
    await wait('the steps', (x) => !x.includes('Findings ·') && x.includes('? help'));
    await quit();
  });

  it('shows the loop with its rules by their text, and Enter goes to its step', async () => {
    let s = await start('snapshots/what-if-loop.json');
    const selected = () => findingsRows(s).find((l) => l.startsWith('▶ ')) ?? '';
    // j selects the next finding with a step, scrolling it into view, until the loop's.
    for (let i = 0; i < 10 && !selected().startsWith('▶ Loop: '); i++) {
      const before = s;
      send('j');
      s = await wait('the next finding', (x) => x !== before);
    }
    expect(selected()).toMatch(/^▶ Loop: envoy on pod re-opens 10\.0\.0\.3:9080/);
    const text = findingsRows(s).join('\n');
    expect(text).toContain('the rules on the cycle:');
    expect(text).toMatch(/^ +ISTIO_OUTPUT 7: -j ISTIO_REDIRECT$/m);
    expect(text).toMatch(/^ +ISTIO_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15001$/m);
    keep(`what-if-loop-${size}-findings`, s);
    send('Enter');
    // At 80 columns the long scenario name cuts the title's step: the timeline row tells it.
    const at = await wait('the loop step', (x) => x.includes('finding at step 287'));
    expect(at).not.toContain('Findings ·');
    expect(at).toMatch(/^│ +287 +pod +stop /m);
    keep(`what-if-loop-${size}-loop-step`, at);
    await quit();
  });
});

/**
 * What-if in a real terminal at 120x40: on the default scenario, envoy's two RETURN rules in
 * ISTIO_OUTPUT are deleted from the UI (search each, D on the ▶ rule), the findings then show
 * the loop verdict, and two undos take it away again. Each key waits for the screen it makes.
 */
describe.skipIf(missing !== undefined)('what-if in a real terminal', () => {
  const session = 'what-if';
  const send = (...keys: string[]) => tmux('send-keys', '-t', session, ...keys);
  const wait = (what: string, test: (s: string) => boolean) => until(what, test, 30_000, session);
  const UID = '-m owner --uid-owner 1337 -j RETURN';
  const GID = '-m owner --gid-owner 1337 -j RETURN';
  const findingsText = (s: string) =>
    s
      .split('\n')
      .filter((l) => l.startsWith('║'))
      .join(' ')
      .replace(/[║\s]+/g, ' ');

  beforeAll(async () => {
    await newShell(session, 120, 40);
    send(`cd ${ROOT} && node ${CLI}`, 'Enter');
    await wait('the findings', (s) => s.includes('Findings ·') && s.includes('nfdb · '));
    send('f');
    await wait('the steps', (s) => !s.includes('Findings ·') && s.includes('? help'));
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', session]);
  });

  /**
   * Searches the rule's text: the cursor lands on a step evaluating it, its row marked ▶. A span
   * of rules passed over is found too (▶ on its first rule): * goes on to the next match.
   */
  async function toRule(spec: string) {
    send('/');
    await wait('the search prompt', (x) => x.includes('search: '));
    send('-l', '--', spec);
    send('Enter');
    let s = await wait(`"${spec}" found`, (x) => x.includes(`found "${spec.toLowerCase()}"`));
    const marked = (x: string) => x.split('\n').find((l) => l.startsWith('│▶')) ?? '';
    const owner = /RETURN +\* +\* +\* +\* +owne/;
    for (let i = 0; i < 12 && !owner.test(marked(s)); i++) {
      const title = s.split('\n')[0];
      send('*');
      s = await wait('the next match', (x) => x.split('\n')[0] !== title && x.includes('found'));
    }
    expect(marked(s)).toMatch(owner);
    return s;
  }

  async function deleteRule(spec: string, edits: number) {
    await toRule(spec);
    send('D');
    return wait(
      `edit ${edits}`,
      (x) => x.includes(`WHAT-IF (${edits} edit`) && x.includes('deleted rule'),
    );
  }

  async function findings() {
    send('f');
    return wait('the findings', (x) => x.includes('Findings ·'));
  }

  async function closeFindings() {
    send('f');
    await wait('the steps', (x) => !x.includes('Findings ·') && x.includes('? help'));
  }

  it("deletes envoy's two RETURN rules, sees the loop verdict, and undoes it away", async () => {
    await deleteRule(UID, 1);
    const one = findingsText(await findings());
    // The gid-owner RETURN still lets envoy's own connection out.
    expect(one).not.toContain('Loop:');
    await closeFindings();
    await deleteRule(GID, 2);
    const looped = await findings();
    expect(findingsText(looped)).toContain(
      "why: envoy's own connection re-enters 15001 with the same original destination",
    );
    expect(findingsText(looped)).toContain('nothing in ISTIO_OUTPUT returns uid 1337 or gid 1337');
    keep('what-if-120x40-loop', looped);
    await closeFindings();
    send('E');
    const edits = await wait('the edits', (x) => x.includes('Edits ·'));
    expect(edits).toContain(`- -A ISTIO_OUTPUT ${UID}`);
    expect(edits).toContain(`- -A ISTIO_OUTPUT ${GID}`);
    expect(edits).toMatch(/reviews: iptables -t nat -D ISTIO_OUTPUT \d/);
    keep('what-if-120x40-edits', edits);
    send('E');
    await wait('the steps', (x) => !x.includes('Edits ·') && x.includes('? help'));
    send('u');
    await wait('one undo', (x) => x.includes('WHAT-IF (1 edit)') && x.includes('undone'));
    send('u');
    const back = await wait('two undos', (x) => !x.includes('WHAT-IF') && x.includes('undone'));
    expect(back).toMatch(/^nfdb · step \d+ of \d+ · bookinfo/);
    const after = findingsText(await findings());
    expect(after).not.toContain('Loop:');
    expect(after).toContain('No loop');
    send('C-c');
    await wait('the prompt', (x) => /PROMPT\$$/.test(x.trimEnd().split('\n').at(-1) ?? ''));
  });
});
