/** A rule's verdict, a miss, a gap and a stop in words: `jump ISTIO_INBOUND`, `-m bpf is not simulated`. */
import type { Assumption, Gap, MatchMiss, RuleVerdict, StopReason } from '../../model/index.js';
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
