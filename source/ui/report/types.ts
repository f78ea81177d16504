/**
 * What the UI asks of whoever runs it to write a report (`r`). The UI does no I/O: the command
 * that renders it passes the writer (source/commands/tui.tsx), and tests pass a fake.
 */
import type { Scenario, Trace } from '../../model/index.js';

export interface ReportRun {
  readonly scenario: Scenario;
  readonly trace: Trace;
}

/** The run as loaded, and the what-if on screen with its changes (iptables commands, --set). */
export interface ReportRequest {
  readonly original: ReportRun;
  readonly whatIf?: ReportRun & { readonly changes: readonly string[] };
}

/** The files written, as the message on screen names them. */
export type ReportResult =
  | { readonly ok: true; readonly paths: readonly string[] }
  | { readonly ok: false; readonly message: string };

export type WriteReport = (request: ReportRequest) => Promise<ReportResult>;
