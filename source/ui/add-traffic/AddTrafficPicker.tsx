/**
 * The add-traffic overlay over the body (T). The reducer moves the selection, types the
 * destination and adds the item (add-traffic/commands.ts); this only draws where it is.
 */
import { Text } from 'ink';
import type { TrafficChoice, TrafficSender } from '../../world/traffic-choices.js';
import { OverlayBox } from '../components/OverlayBox.js';
import { theme } from '../theme.js';
import type { AddTrafficUi } from './commands.js';
import { type PickerRow, pickerRows } from './picker-lines.js';

export interface AddTrafficPickerProps {
  readonly ui: AddTrafficUi;
  readonly choices: readonly TrafficChoice[];
  readonly senders: readonly TrafficSender[];
  readonly input: string;
  readonly height: number;
  readonly width: number;
}

const TITLES: Readonly<Record<AddTrafficUi['stage'], string>> = {
  choice: 'Add traffic · j/k select · Enter picks · Esc closes',
  sender: 'Add traffic: send as which process (uid) · j/k select · Enter picks · Esc back',
  destination: 'Add traffic: where to · Enter adds it · Esc back',
};

const toneOf = (tone: PickerRow['tone']) =>
  tone === undefined ? {} : theme[tone === 'selected' ? 'focused' : tone];

export function AddTrafficPicker({
  ui,
  choices,
  senders,
  input,
  height,
  width,
}: AddTrafficPickerProps) {
  // The border and the title take three rows.
  const rows = pickerRows(ui, choices, senders, input, height - 3);
  return (
    <OverlayBox width={width} title={TITLES[ui.stage]}>
      {rows.map((r) => (
        <Text key={r.text} wrap="truncate-end" {...toneOf(r.tone)}>
          {r.text}
        </Text>
      ))}
    </OverlayBox>
  );
}
