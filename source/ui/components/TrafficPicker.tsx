/**
 * The traffic items of the scenario to jump to. The reducer moves the selection and picks
 * (picker.next, picker.prev, prompt.accept), so keys typed right after `t` are never lost to a
 * list that has not started listening yet.
 */
import { Box, Text } from 'ink';
import type { Trace } from '../../model/index.js';
import { connectionLabel } from '../../trace/words/index.js';
import { type Keymap, keyLabel, keysOf } from '../keymap.js';
import { theme } from '../theme.js';
import { trafficItems } from '../view/traffic-items.js';

export interface TrafficPickerProps {
  readonly trace: Trace;
  readonly keymap: Keymap;
  readonly picked: number;
  readonly height: number;
}

export function TrafficPicker({ trace, keymap, picked, height }: TrafficPickerProps) {
  const items = trafficItems(trace);
  const visible = Math.max(1, height - 3);
  const first = Math.max(0, Math.min(picked - visible + 1, items.length - visible));
  const cancel = keysOf(keymap, 'prompt.cancel', 'traffic').map(keyLabel)[0];
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={theme.focused.color}
      height={height}
    >
      <Text bold>traffic items (Enter picks, {cancel} closes)</Text>
      {items.slice(first, first + visible).map((c, i) => {
        const selected = first + i === picked;
        return (
          <Text key={c.id} wrap="truncate-end" {...(selected ? theme.focused : undefined)}>
            {selected ? '❯ ' : '  '}
            {c.traffic + 1}. {connectionLabel(c)}
          </Text>
        );
      })}
    </Box>
  );
}
