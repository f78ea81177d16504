/**
 * What the UI asks of whoever runs it to save and open snapshots. The UI does no I/O: the
 * command that renders it passes these callbacks (source/commands/tui.tsx), and tests pass fakes.
 */
import type { Diagnostic, Scenario, Trace } from '../../model/index.js';
import type { SnapshotCursor, SnapshotEdit } from '../../world/snapshot-schema.js';
import type { Session } from '../../world/what-if-session.js';

/**
 * Saving the investigation on screen under a name: its cursor, notes and what-if changes, the
 * rest as loaded.
 */
export interface SaveRequest {
  readonly name: string;
  /** Replace a snapshot of that name (the user said yes when asked). */
  readonly force: boolean;
  readonly cursor: SnapshotCursor;
  readonly notes: string;
  /** The what-if changes made in the UI, in order, and the undone ones (for redo). */
  readonly edits: readonly SnapshotEdit[];
  readonly undone: readonly SnapshotEdit[];
  /** The trace on screen, which the snapshot must reproduce step for step. */
  readonly trace: Trace;
  /** The loaded scenario with the traffic added on screen (`T`), before the what-if changes. */
  readonly scenario?: Scenario;
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
  /** What is shown: the scenario with the what-if's changes, and its trace. */
  readonly scenario: Scenario;
  readonly trace: Trace;
  /** The what-if the scenario is the run of (a restored snapshot's edits), to undo and redo. */
  readonly whatIf?: Session;
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
