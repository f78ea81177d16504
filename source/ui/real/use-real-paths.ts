/** The real paths as they stand, redrawn when the kernel traced more; undefined without a feed. */
import { useCallback, useSyncExternalStore } from 'react';
import type { RealFeed, RealPaths } from './feed.js';

export function useRealPaths(feed: RealFeed | undefined): RealPaths | undefined {
  const subscribe = useCallback(
    (changed: () => void) => (feed ? feed.subscribe(changed) : () => {}),
    [feed],
  );
  const current = useCallback(() => feed?.current(), [feed]);
  return useSyncExternalStore(subscribe, current);
}
