/**
 * Every command the UI knows, with its keys per mode and what it does, in one table: the key
 * handling, the help overlay and the footer all read it, so they cannot disagree (lazygit's
 * bindings, gemini-cli's keyBindings). Preferences can replace the table without touching a
 * component. Key names: a printable character, or one of left right up down pageup pagedown tab
 * shift-tab return escape backspace ctrl-<char> (see key-names.ts).
 */

/** What the keys are for at the moment: browsing the trace, or one of the overlays. */
export type Mode =
  | 'browse'
  | 'help'
  | 'goto'
  | 'search'
  | 'traffic'
  | 'findings'
  | 'edit'
  | 'edits'
  | 'compare'
  /** The snapshot overlays: the name to save as, overwrite?, the picker, the notes editor. */
  | 'save'
  | 'overwrite'
  | 'open'
  | 'notes'
  /** Adding traffic (T): the choice and the sender lists, then the destination typed. */
  | 'add-traffic'
  | 'add-traffic-to'
  /** `nfdb live --trace`: the real paths beside the simulated ones (L). */
  | 'real';

export type Command =
  | 'step.next'
  | 'step.prev'
  | 'packet.next'
  | 'packet.prev'
  | 'connection.next'
  | 'connection.prev'
  | 'step.last'
  | 'step.first'
  | 'goto.open'
  | 'pane.next'
  | 'pane.prev'
  | 'scroll.down'
  | 'scroll.up'
  | 'page.down'
  | 'page.up'
  | 'scroll.right'
  | 'scroll.left'
  | 'frame.out'
  | 'frame.in'
  | 'chain.next'
  | 'chain.prev'
  | 'search.open'
  | 'search.next'
  | 'traffic.open'
  | 'traffic.add'
  | 'help.toggle'
  | 'help.close'
  | 'help.down'
  | 'help.up'
  | 'help.page.down'
  | 'help.page.up'
  | 'findings.toggle'
  | 'findings.close'
  | 'findings.next'
  | 'findings.prev'
  | 'findings.page.down'
  | 'findings.page.up'
  | 'findings.jump'
  | 'picker.next'
  | 'picker.prev'
  | 'prompt.accept'
  | 'prompt.cancel'
  | 'prompt.backspace'
  | 'prompt.clear'
  | 'prompt.left'
  | 'prompt.right'
  | 'prompt.home'
  | 'prompt.end'
  | 'prompt.delete'
  | 'prompt.word'
  | 'row.next'
  | 'row.prev'
  | 'rule.edit'
  | 'rule.insert'
  | 'rule.append'
  | 'rule.delete'
  | 'rule.off'
  | 'rule.on'
  | 'rule.up'
  | 'rule.down'
  | 'chain.policy'
  | 'command.open'
  | 'world.set'
  | 'proxy.toggle'
  | 'whatif.undo'
  | 'whatif.redo'
  | 'edits.toggle'
  | 'compare.toggle'
  | 'real.toggle'
  | 'real.add'
  | 'real.pick'
  | 'list.down'
  | 'list.up'
  | 'list.page.down'
  | 'list.page.up'
  | 'list.close'
  | 'difference.next'
  | 'difference.prev'
  | 'snapshot.save'
  | 'snapshot.open'
  | 'notes.edit'
  | 'notes.newline'
  | 'notes.done'
  | 'overwrite.yes'
  | 'overwrite.no'
  | 'report.write'
  | 'quit';

export interface Binding {
  /** What it does, as the help overlay says it. */
  readonly description: string;
  /** Its keys in each mode it works in; a key no command takes in a prompt is typed into it. */
  readonly keys: Readonly<Partial<Record<Mode, readonly string[]>>>;
  /** Shown in the footer: its place there, and the word after its keys (shared by a pair). */
  readonly footer?: { readonly order: number; readonly label: string };
}

export type Keymap = Readonly<Record<Command, Binding>>;

/** The help is an overlay: the debugger's keys still work under it, so it shows what they do. */
const browsing = (...keys: string[]) => ({ browse: keys, help: keys });
const prompts = (...keys: string[]) => ({ goto: keys, search: keys, edit: keys, save: keys });
/** The edits and compare overlays: lists over the body, read by scrolling. */
const lists = (...keys: string[]) => ({ edits: keys, compare: keys, real: keys });
/** The snapshot overlays that are not a one-line prompt. */
const snapshotOverlays = (...keys: string[]) => ({ overwrite: keys, open: keys, notes: keys });
/** Adding traffic: its lists, and the destination prompt. */
const adding = (...keys: string[]) => ({ 'add-traffic': keys, 'add-traffic-to': keys });

const bind = (
  description: string,
  keys: Binding['keys'],
  footer?: [order: number, label: string],
): Binding => ({
  description,
  keys,
  ...(footer && { footer: { order: footer[0], label: footer[1] } }),
});

/** In the order the help overlay lists them; the footer has its own order, given with each. */
export const DEFAULT_KEYMAP: Keymap = {
  'step.next': bind('next step', browsing('right', 'l'), [3, 'step']),
  'step.prev': bind('previous step', browsing('left', 'h'), [2, 'step']),
  'packet.next': bind('next packet', browsing('n'), [4, 'packet']),
  'packet.prev': bind('previous packet', browsing('N', 'p')),
  'connection.next': bind('next connection', browsing('c'), [5, 'conn']),
  'connection.prev': bind('previous connection', browsing('C')),
  'step.last': bind('run to the end', browsing('G'), [7, 'start/end']),
  'step.first': bind('back to the start', browsing('g'), [6, 'start/end']),
  'goto.open': bind('go to step N', browsing(':'), [8, 'goto']),
  'pane.next': bind('next pane', browsing('tab'), [11, 'pane']),
  'pane.prev': bind('previous pane', browsing('shift-tab')),
  // Under the help these keys scroll the help (help.down and kin below), not the pane.
  'scroll.down': bind('scroll the pane down', { browse: ['j', 'down'] }),
  'scroll.up': bind('scroll the pane up', { browse: ['k', 'up'] }),
  'page.down': bind('page down', { browse: ['pagedown', ' '] }),
  'page.up': bind('page up', { browse: ['pageup', 'b'] }),
  'scroll.right': bind('scroll the chain sideways, to read long matches', browsing('>')),
  'scroll.left': bind('scroll the chain back', browsing('<')),
  'frame.out': bind('select the calling chain (stack frame out)', browsing('[')),
  'frame.in': bind('select the called chain (stack frame in)', browsing(']')),
  'chain.next': bind("browse the host's next chain (counters at this step)", browsing('}')),
  'chain.prev': bind("browse the host's previous chain", browsing('{')),
  'search.open': bind('search a rule or step', browsing('/'), [9, 'search']),
  'search.next': bind('next search match', browsing('*')),
  'traffic.open': bind('pick a traffic item', browsing('t'), [10, 'traffic']),
  // From the findings too: they are what the UI opens on.
  'traffic.add': bind(
    'add traffic: inbound to a listening port, outbound or DNS as a chosen uid, loopback',
    { ...browsing('T'), findings: ['T'] },
  ),
  'help.toggle': bind('this help', browsing('?'), [0, 'help']),
  // f closes the findings too, so the key that opened them takes them away again.
  'findings.toggle': bind(
    'the findings: outcomes, loop, warnings',
    { ...browsing('f'), findings: ['f'] },
    [0.5, 'findings'],
  ),
  // q closes the help and the findings instead: one key that leaves whatever is on top.
  // What-if: the ▶ rule of the chain pane is the one edited (step to a rule, or [ ] to a frame),
  // or the row . and , select in the chain shown (any rule, { } browsing included).
  'row.next': bind('select the next rule of the chain shown, for the edit keys', browsing('.')),
  'row.prev': bind('select the previous rule of the chain shown', browsing(',')),
  'rule.edit': bind('edit the ▶ rule: its line, as the file writes it', browsing('e'), [
    5.1,
    'edit',
  ]),
  'rule.insert': bind('insert a rule before the ▶ rule', browsing('i')),
  'rule.append': bind('insert a rule after the ▶ rule', browsing('a')),
  'rule.delete': bind('delete the ▶ rule', browsing('D')),
  'rule.off': bind('switch the ▶ rule off (kept, to switch back on)', browsing('x')),
  'rule.on': bind("switch the chain's last switched-off rule back on", browsing('X')),
  'rule.up': bind('move the ▶ rule up', browsing('K')),
  'rule.down': bind('move the ▶ rule down', browsing('J')),
  'chain.policy': bind("set the chain's policy", browsing('P')),
  'command.open': bind('any iptables command: -N, -X, -F, -P, -A, -D, -R, -I', browsing('!')),
  'world.set': bind('set a value of the world: PATH=VALUE, as --set', browsing('w')),
  'proxy.toggle': bind(
    "envoy terminates, or rewrites packets (nfdb's hypothesis, no kernel to compare)",
    browsing('R'),
  ),
  'whatif.undo': bind('undo the last what-if edit', browsing('u'), [5.2, 'undo']),
  'whatif.redo': bind('redo the last undone edit', browsing('ctrl-r')),
  'edits.toggle': bind('the edits: a diff of the rules and the iptables commands', {
    ...browsing('E'),
    edits: ['E'],
  }),
  'compare.toggle': bind(
    'compare the what-if with the original run',
    { ...browsing('='), compare: ['='] },
    [5.3, 'compare'],
  ),
  'real.toggle': bind(
    'the real paths beside the simulated ones (nfdb live --trace FILTER --allow-trace)',
    { ...browsing('L'), findings: ['L'], real: ['L'] },
  ),
  // Digits make the number: one no further digit could lengthen adds at once (all of them, with
  // nine connections or fewer), else Enter ends it.
  'real.add': bind('add the traced connection of the number typed to the traffic, and go to it', {
    real: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  }),
  'real.pick': bind('add the connection whose number is typed so far', { real: ['return'] }),
  'difference.next': bind('next difference from the original run', {
    ...browsing(')'),
    compare: ['n', 'return'],
  }),
  'difference.prev': bind('previous difference', { ...browsing('('), compare: ['N', 'p'] }),
  'list.down': bind('scroll down', lists('j', 'down')),
  'list.up': bind('scroll up', lists('k', 'up')),
  'list.page.down': bind('page down', lists('pagedown', ' ')),
  'list.page.up': bind('page up', lists('pageup', 'b')),
  'list.close': bind('close', lists('escape', 'q')),
  quit: bind(
    'quit',
    {
      browse: ['q', 'ctrl-c'],
      help: ['ctrl-c'],
      findings: ['ctrl-c'],
      ...lists('ctrl-c'),
      ...prompts('ctrl-c'),
      ...snapshotOverlays('ctrl-c'),
      ...adding('ctrl-c'),
    },
    [1, 'quit'],
  ),
  'help.close': bind('close the help', { help: ['escape', 'q'] }),
  'help.down': bind('scroll the help down', { help: ['j', 'down'] }),
  'help.up': bind('scroll the help up', { help: ['k', 'up'] }),
  'help.page.down': bind('page the help down', { help: ['pagedown', ' '] }),
  'help.page.up': bind('page the help up', { help: ['pageup', 'b'] }),
  'findings.close': bind('close the findings', { findings: ['escape', 'q'] }),
  'findings.next': bind('select the next finding', { findings: ['j', 'down'] }),
  'findings.prev': bind('select the previous finding', { findings: ['k', 'up'] }),
  'findings.page.down': bind('page the findings down', { findings: ['pagedown', ' '] }),
  'findings.page.up': bind('page the findings up', { findings: ['pageup', 'b'] }),
  'findings.jump': bind("go to the selected finding's step", { findings: ['return'] }),
  'picker.next': bind('the next traffic item or snapshot', {
    traffic: ['down', 'j'],
    open: ['down', 'j'],
    'add-traffic': ['down', 'j'],
  }),
  'picker.prev': bind('the previous traffic item or snapshot', {
    traffic: ['up', 'k'],
    open: ['up', 'k'],
    'add-traffic': ['up', 'k'],
  }),
  'prompt.accept': bind('go to the step, search the text, apply the edit, save, or pick the item', {
    ...prompts('return'),
    traffic: ['return'],
    open: ['return'],
    ...adding('return'),
  }),
  'prompt.cancel': bind('close the prompt', {
    ...prompts('escape'),
    traffic: ['escape'],
    open: ['escape'],
    ...adding('escape'),
  }),
  'prompt.backspace': bind('delete the character before the caret', {
    ...prompts('backspace'),
    notes: ['backspace'],
    'add-traffic-to': ['backspace'],
  }),
  'prompt.clear': bind('clear the line', { edit: ['ctrl-u'], 'add-traffic-to': ['ctrl-u'] }),
  // The caret in a prompt's line, with readline's keys: Ink reads the Delete key as backspace.
  'prompt.left': bind('move the caret left', prompts('left', 'ctrl-b')),
  'prompt.right': bind('move the caret right', prompts('right', 'ctrl-f')),
  'prompt.home': bind('move the caret to the start of the line', prompts('home', 'ctrl-a')),
  'prompt.end': bind('move the caret to the end of the line', prompts('end', 'ctrl-e')),
  'prompt.delete': bind('delete the character under the caret', prompts('ctrl-d')),
  'prompt.word': bind('delete the word before the caret', prompts('ctrl-w')),
  // Snapshots: the cursor, notes and rules saved under a name, and the library to open from.
  // From the findings too: they are what the UI opens on.
  'snapshot.save': bind('save a snapshot: this investigation, its edits, cursor and notes', {
    ...browsing('s'),
    findings: ['s'],
  }),
  'snapshot.open': bind('open a saved or curated snapshot', { ...browsing('o'), findings: ['o'] }),
  'notes.edit': bind("edit the investigation's notes (saved with the snapshot)", {
    ...browsing('#'),
    findings: ['#'],
  }),
  'notes.newline': bind('a new line in the notes', { notes: ['return'] }),
  'notes.done': bind('done with the notes', { notes: ['escape'] }),
  'overwrite.yes': bind('replace the snapshot of that name', { overwrite: ['y'] }),
  'overwrite.no': bind('keep the snapshot of that name', { overwrite: ['n', 'escape'] }),
  'report.write': bind(
    'write a report to share (markdown, html with the drawing); both runs after a what-if',
    { ...browsing('r'), findings: ['r'] },
  ),
};

const commands = (keymap: Keymap) => Object.entries(keymap) as [Command, Binding][];

/** The command `key` is bound to in `mode`, if any. */
export function commandFor(keymap: Keymap, mode: Mode, key: string): Command | undefined {
  return commands(keymap).find(([, b]) => b.keys[mode]?.includes(key))?.[0];
}

export function keysOf(keymap: Keymap, command: Command, mode: Mode = 'browse'): readonly string[] {
  return keymap[command].keys[mode] ?? [];
}

/** Key names as the help and footer write them. */
const LABELS: Readonly<Record<string, string>> = { ' ': 'space', escape: 'Esc', return: 'Enter' };
export const keyLabel = (key: string) => LABELS[key] ?? key;

/** The commands of `mode` with their keys, in the table's order: what the help overlay lists. */
export function commandsOf(keymap: Keymap, mode: Mode): { keys: string[]; binding: Binding }[] {
  return commands(keymap)
    .filter(([, b]) => (b.keys[mode]?.length ?? 0) > 0)
    .map(([, b]) => ({ keys: (b.keys[mode] ?? []).map(keyLabel), binding: b }));
}

/** Keys bound to more than one command in the same mode: each would hide all but the first. */
export function keyConflicts(keymap: Keymap): { mode: Mode; key: string; commands: Command[] }[] {
  const seen = new Map<string, Command[]>();
  for (const [command, b] of commands(keymap))
    for (const [mode, keys] of Object.entries(b.keys))
      for (const key of keys ?? []) {
        const at = `${mode}\0${key}`;
        seen.set(at, [...(seen.get(at) ?? []), command]);
      }
  return [...seen]
    .filter(([, cs]) => cs.length > 1)
    .map(([at, cs]) => {
      const [mode, key] = at.split('\0') as [Mode, string];
      return { mode, key, commands: cs };
    });
}
