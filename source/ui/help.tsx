/** The help overlay: every key of the keymap, from the same table the key handling uses. */
import { Box, Text } from 'ink';
import { ACTION_HELP, type Action, type Keymap } from './keymap.js';

const show = (k: string) => (k === ' ' ? 'space' : k);

export function Help({ keymap, height = 40 }: { keymap: Keymap; height?: number }) {
  const entries = (Object.keys(ACTION_HELP) as Action[]).map(
    (a) => `${keymap[a].map(show).join(' / ').padEnd(16)} ${ACTION_HELP[a]}`,
  );
  // Two columns when one does not fit, then cut: the title always shows.
  const fit = Math.max(1, height - 3);
  const half = Math.ceil(entries.length / 2);
  const rows =
    entries.length <= fit
      ? entries
      : entries
          .slice(0, half)
          .map((e, i) => `${e.padEnd(58).slice(0, 58)} ${entries[half + i] ?? ''}`);
  return (
    <Box borderStyle="double" borderColor="cyan" flexDirection="column" paddingX={1}>
      <Text bold>nfdb keys (? or Esc closes)</Text>
      {rows.slice(0, fit).map((line) => (
        <Text key={line} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

export function footerText(keymap: Keymap): string {
  const k = (a: Action) => keymap[a].map(show).slice(0, 2).join('/');
  return `${k('help')} help  ${k('quit')} quit  ${k('stepBack')} ${k('stepForward')} step  ${k('nextPacket')} packet  ${k('nextConnection')} conn  ${k('start')} ${k('end')} start/end  ${k('goto')} goto  ${k('search')} search  ${k('traffic')} traffic  ${k('focusNext')} pane`;
}
