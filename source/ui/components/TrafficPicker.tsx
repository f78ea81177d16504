/** The traffic items of the scenario to jump to; the list takes the arrows and Enter itself. */

import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { Trace } from '../../model/index.js';
import { connectionLabel } from '../../trace/words/index.js';
import { type Keymap, keyLabel, keysOf } from '../keymap.js';
import type { UiEvent } from '../state.js';
import { theme } from '../theme.js';

export interface TrafficPickerProps {
  readonly trace: Trace;
  readonly keymap: Keymap;
  readonly dispatch: (e: UiEvent) => void;
  readonly height: number;
}

export function TrafficPicker({ trace, keymap, dispatch, height }: TrafficPickerProps) {
  const options = trace.connections
    .filter((c) => c.parent === undefined)
    .map((c) => ({ label: `${c.traffic + 1}. ${connectionLabel(c)}`, value: String(c.id) }));
  const cancel = keysOf(keymap, 'prompt.cancel', 'traffic').map(keyLabel)[0];
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={theme.focused.color}
      height={height}
    >
      <Text bold>traffic items (Enter picks, {cancel} closes)</Text>
      <Select
        options={options}
        visibleOptionCount={Math.max(1, height - 3)}
        onChange={(value) => {
          const first = trace.packets.find((p) => p.connectionId === Number(value));
          dispatch({ type: 'goto', step: first?.firstStep ?? 0 });
        }}
      />
    </Box>
  );
}
