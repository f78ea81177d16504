/**
 * The UI's view of a running `nft monitor trace` (source/ui/real/feed.ts): the session's text is
 * read twice a second, and only when the kernel traced more is it compared again and the UI told.
 */
import type { TraceSession } from '../io/live/trace-session.js';
import type { Beside } from '../trace/real-beside.js';
import type { RealFeed, RealPaths } from '../ui/real/feed.js';

const EVERY_MS = 500;

export function realFeed(
  session: TraceSession,
  filter: string,
  compare: (text: string) => { traced: number; beside: readonly Beside[] },
): RealFeed & { close(): void } {
  let value: RealPaths = { filter, table: session.table, traced: 0, beside: [] };
  let read = -1;
  const listeners = new Set<() => void>();
  const poll = () => {
    const text = session.recorded;
    const ended = session.ended && value.stopped === undefined;
    if (text.length === read && !ended) return;
    read = text.length;
    value = {
      filter,
      table: session.table,
      ...compare(text),
      ...(session.ended ? { stopped: 'nft monitor ended: nothing more is recorded' } : {}),
    };
    for (const changed of listeners) changed();
  };
  const timer = setInterval(poll, EVERY_MS);
  // The UI's input keeps nfdb running; this timer alone must not.
  timer.unref();
  return {
    current: () => value,
    subscribe(changed) {
      listeners.add(changed);
      return () => listeners.delete(changed);
    },
    close: () => clearInterval(timer),
  };
}
