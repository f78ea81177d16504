/**
 * The rows of the add-traffic overlay at its stage: the choices, then the processes to send as,
 * then the destination being typed with, when it was refused, a caret under the column and the
 * reason. The selected row is marked `❯`, so it reads without colour.
 */
import {
  choiceText,
  senderText,
  type TrafficChoice,
  type TrafficSender,
} from '../../world/traffic-choices.js';
import type { AddTrafficUi } from './commands.js';

export interface PickerRow {
  readonly text: string;
  readonly tone?: 'selected' | 'muted' | 'error';
}

/** The list's rows, the selected one kept in the `fit` rows shown. */
function window(rows: readonly PickerRow[], selected: number, fit: number): PickerRow[] {
  const top = Math.max(0, Math.min(selected - fit + 1, rows.length - fit));
  const shown = rows.slice(top, top + fit);
  if (top > 0) shown[0] = { text: `  ↑ ${top} more`, tone: 'muted' };
  const below = rows.length - top - fit;
  if (below > 0) shown[fit - 1] = { text: `  ↓ ${below} more`, tone: 'muted' };
  return shown;
}

const listed = (texts: readonly string[], selected: number): PickerRow[] =>
  texts.map((text, i) =>
    i === selected ? { text: `❯ ${text}`, tone: 'selected' } : { text: `  ${text}` },
  );

const PROMPT = '> ';

export function pickerRows(
  ui: AddTrafficUi,
  choices: readonly TrafficChoice[],
  senders: readonly TrafficSender[],
  input: string,
  fit: number,
): PickerRow[] {
  const many = new Set(choices.map((c) => c.host)).size > 1;
  const chosen = choices[ui.choice];
  if (ui.stage === 'choice' || !chosen)
    return window(
      listed(
        choices.map((c) => choiceText(c, many)),
        ui.choice,
      ),
      ui.choice,
      Math.max(1, fit),
    );
  const head: PickerRow[] = [{ text: choiceText(chosen, many), tone: 'muted' }];
  if (ui.stage === 'sender') {
    const rows = listed(senders.map(senderText), ui.sender);
    return [...head, { text: 'send as:' }, ...window(rows, ui.sender, Math.max(1, fit - 2))];
  }
  const sender = senders[ui.sender];
  const error: PickerRow[] = ui.error
    ? [
        { text: `${' '.repeat(PROMPT.length + ui.error.column - 1)}^`, tone: 'error' },
        { text: `column ${ui.error.column}: ${ui.error.text}`, tone: 'error' },
      ]
    : [];
  return [
    ...head,
    { text: `as ${sender ? senderText(sender) : '?'}`, tone: 'muted' },
    { text: `to ADDRESS:PORT [tcp|udp] (${chosen.protocol} unless said):` },
    { text: `${PROMPT}${input}█` },
    ...error,
  ];
}
