/** The report `r` asks for: the run as loaded, and the what-if on screen when there is one. */
import type { Scenario, Trace } from '../../model/index.js';
import { appliedChanges } from '../what-if/edits-lines.js';
import { isWhatIf, type Session } from '../what-if/session.js';
import type { ReportRequest, ReportRun } from './types.js';

export function reportRequest(
  scenario: Scenario,
  trace: Trace,
  session: Session | undefined,
  shown: ReportRun,
): ReportRequest {
  const original = { scenario, trace };
  if (!session || !isWhatIf(session)) return { original };
  return { original, whatIf: { ...shown, changes: appliedChanges(session) } };
}
