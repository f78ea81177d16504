/** Hands every key to the reducer, one by one, with what its commands need from the screen. */
import { useInput } from 'ink';
import { keyNames } from '../key-names.js';
import type { Keymap } from '../keymap.js';
import type { CommandContext, UiEvent } from '../state.js';

export function useKeyCommands(
  dispatch: (e: UiEvent) => void,
  keymap: Keymap,
  context: CommandContext,
) {
  // Prompts included: the reducer decides what a key means in the mode it finds (see KeyEvent).
  useInput((input, key) => {
    for (const name of keyNames(input, key)) dispatch({ type: 'key', name, keymap, ...context });
  });
}
