/**
 * The UI command, loaded from the one-file bundle when the build wrote one (io/command-bundle.ts),
 * else from its modules (the binary, a build without the bundle, tests run from source).
 */
import { commandBundle } from '../io/command-bundle.js';

type TuiModule = typeof import('./tui.js');

export async function loadTuiCommand(): Promise<TuiModule['tuiCommand']> {
  const bundle = commandBundle('tui');
  const ui: TuiModule = bundle ? await import(bundle) : await import('./tui.js');
  return ui.tuiCommand;
}
