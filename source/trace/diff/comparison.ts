/** `nfdb run --compare --json`: the edits made and the comparison of the two runs, as data. */
import type { TraceDiff } from './index.js';

/** The format's version: a change of shape raises it. */
export const COMPARISON_VERSION = 1;

export interface Comparison {
  readonly version: typeof COMPARISON_VERSION;
  /** The original scenario's name. */
  readonly scenario: string;
  /** Each edit of a host's rules as the iptables command that makes it on a real host. */
  readonly edits: readonly { readonly host: string; readonly command: string }[];
  /** The world edits as given (`hosts.pod.processes.envoy.uid=1000`). */
  readonly sets: readonly string[];
  readonly diff: TraceDiff;
}
