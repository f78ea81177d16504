/**
 * What the UI asks of whoever runs it to save and open snapshots. The UI does no I/O: the
 * command that renders it passes these callbacks (source/commands/tui.tsx), and tests pass fakes.
 */
import type { Diagnostic, Scenario, Trace } from '../../model/index.js';
import type { SnapshotCursor } from '../../world/snapshot-schema.js';

/** Saving the investigation on screen under a name: its cursor and notes, the rest as loaded. */
export interface SaveRequest {
  readonly name: string;
  /** Replace a snapshot of that name (the user said yes when asked). */
  readonly force: boolean;
  readonly cursor: SnapshotCursor;
  readonly notes: string;
}

export type SaveResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly message: string; readonly exists?: boolean };

/** One line of the picker, as `nfdb snapshots --json` lists it. */
export interface SnapshotEntry {
  readonly name: string;
  readonly kind: 'saved' | 'curated';
  readonly path: string;
  readonly date: string;
  readonly title?: string;
  readonly notes?: string;
  readonly unreadable?: string;
}

/** An investigation the UI shows: a scenario, its trace, where to look, and what it is about. */
export interface Investigation {
  readonly scenario: Scenario;
  readonly trace: Trace;
  readonly cursor?: SnapshotCursor;
  readonly notes?: string;
  readonly diagnostics?: readonly Diagnostic[];
  /** Open on the findings rather than at the cursor. */
  readonly findingsFirst?: boolean;
  /** Saves this investigation; undefined when it cannot be saved, and `why` says why. */
  readonly save?: (request: SaveRequest) => Promise<SaveResult>;
  readonly why?: string;
}

export type OpenResult =
  | { readonly ok: true; readonly investigation: Investigation }
  | { readonly ok: false; readonly message: string };

/** The snapshot library: what the picker lists, and opening one of them. */
export interface SnapshotLibrary {
  readonly list: () => Promise<readonly SnapshotEntry[]>;
  readonly open: (path: string) => Promise<OpenResult>;
}
