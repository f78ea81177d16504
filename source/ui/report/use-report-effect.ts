/**
 * Writes the report the reducer asked for (`r`), once per request, through the writer the app
 * was given, and tells the reducer which files it wrote or why it wrote none.
 */
import { useEffect } from 'react';
import type { UiEvent, UiState } from '../state.js';
import type { ReportRequest, WriteReport } from './types.js';

export function reportMessage(result: Awaited<ReturnType<WriteReport>>): string {
  return result.ok
    ? `report written: ${result.paths.join(' and ')}`
    : `no report written: ${result.message}`;
}

export function useReportEffect(
  state: UiState,
  dispatch: (e: UiEvent) => void,
  write: WriteReport | undefined,
  request: () => ReportRequest,
): void {
  const pending = state.report;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each request is written once, with the runs on screen when it was made
  useEffect(() => {
    if (!pending) return;
    const done = (message: string) => dispatch({ type: 'report', message });
    if (!write) {
      done('no report written: nothing here writes files');
      return;
    }
    write(request()).then(
      (result) => done(reportMessage(result)),
      (error: unknown) => done(`no report written: ${(error as Error).message}`),
    );
  }, [pending]);
}
