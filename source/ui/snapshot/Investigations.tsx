/**
 * The debugger over one investigation at a time: opening a snapshot from the picker puts a new
 * App in place of the old one, at the snapshot's cursor with its notes, so nothing of the last
 * investigation's state (cursor, overlays, what-ifs) leaks into the next.
 */
import { useState } from 'react';
import { App } from '../app.js';
import type { Keymap } from '../keymap.js';
import type { RealFeed } from '../real/feed.js';
import type { WriteReport } from '../report/types.js';
import type { Investigation, SnapshotLibrary } from './types.js';

export interface InvestigationsProps {
  readonly first: Investigation;
  readonly library?: SnapshotLibrary;
  readonly keymap?: Keymap;
  /** Real packets of the first investigation's world (`nfdb live --trace`), not of one opened after. */
  readonly real?: RealFeed;
  /** Writes the report of the investigation on screen. */
  readonly report?: WriteReport;
}

export function Investigations({ first, library, keymap, real, report }: InvestigationsProps) {
  const [current, setCurrent] = useState({ opened: 0, investigation: first });
  const i = current.investigation;
  const opened = (investigation: Investigation) =>
    setCurrent((c) => ({ opened: c.opened + 1, investigation }));
  return (
    <App
      key={current.opened}
      scenario={i.scenario}
      trace={i.trace}
      whatIf={i.whatIf}
      keymap={keymap}
      view={i.cursor}
      notes={i.notes}
      findingsFirst={i.findingsFirst}
      diagnostics={i.diagnostics}
      snapshots={{ save: i.save, why: i.why, library, opened }}
      {...(real && current.opened === 0 ? { real } : {})}
      report={report}
    />
  );
}
