/** A rule's verdict, a miss, a gap and a stop in words: `jump ISTIO_INBOUND`, `-m bpf is not simulated`. */
import type {
  Assumption,
  Gap,
  LoopCause,
  MatchMiss,
  RuleVerdict,
  StopReason,
} from '../../model/index.js';
import { matchPartText } from '../../netfilter/listing-phrase.js';

/** The verdict as iptables writes the target: `ACCEPT`, `jump ISTIO_INBOUND`, `REDIRECT`. */
export function verdictLabel(v: RuleVerdict): string {
  switch (v.kind) {
    case 'accept':
    case 'drop':
    case 'return':
    case 'queue':
      return v.kind.toUpperCase();
    case 'jump':
    case 'goto':
      return `${v.kind} ${v.chain}`;
    case 'continue':
      return 'no target (counts only)';
    case 'target':
      return v.name;
  }
}

/** `-m bpf is not simulated`, `-m limit: a rate nfdb cannot know`, `-j NFQUEUE is not simulated`. */
export function gapText(gap: Gap): string {
  const part = gap.type === 'match' ? matchPartText(gap.module) : `-j ${gap.module}`;
  return gap.why === undefined ? `${part} is not simulated` : `${part}: ${gap.why}`;
}

/** Why a rule missed: the IP header part's words, or the failed module's. */
export function missText(miss: MatchMiss): string {
  if (miss.module === undefined) return miss.why ?? '';
  return gapText({ type: 'match', module: miss.module, why: miss.why });
}

/** `-m bpf is not simulated; taken as no-match (setting)`. */
export function assumptionText(a: Assumption): string {
  const taken = a.takenAs === undefined ? '' : `; taken as ${a.takenAs} (setting)`;
  return `${gapText(a.gap)}${taken}`;
}

/** Why nfdb stopped, as the trace's last step and the finding say it. */
export function stopText(reason: StopReason): string {
  switch (reason.kind) {
    case 'not-simulated':
      return gapText(reason.gap);
    case 'missing-chain':
      return `chain ${reason.chain} does not exist`;
    case 'too-deep':
      return `the chain calls nest deeper than ${reason.limit}: a jump cycle`;
    case 'too-many-rules':
      return `more than ${reason.limit} rule evaluations for one packet`;
    case 'to-user-space':
      return `${reason.verdict}: the packet leaves netfilter to user space`;
    case 'loop':
      return `${reason.process} has been sent to ${reason.destination} ${reason.rounds} times`;
  }
}

/** What the proxy's rewrite mode is, said wherever it shows. */
export const HYPOTHESIS_TEXT =
  "rewrite mode is nfdb's hypothesis: no real proxy does this; nothing checks it against the kernel";

/** Why a proxy's traffic keeps coming back to it, for the loop's stop and its finding. */
export function loopCauseText(process: string, cause: LoopCause | undefined): string {
  if (cause === undefined) return 'every new connection it opens is redirected back to itself';
  if (cause.kind === 'rewritten-packet-redirected')
    return `the rules send the packet ${process} rewrote back to it`;
  return `the rewritten packet matches the client's own conntrack entry ${cause.entry} in its original direction, so conntrack redirects it again: the entry's DNAT was decided on the first packet, nat OUTPUT is not consulted, and no RETURN for ${process}'s uid or gid can help`;
}
