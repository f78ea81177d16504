/**
 * The summary `nfdb run` opens and ends with, in words: each connection's outcome, the loop
 * verdict, what was not simulated, and the lessons. The facts are gathered in trace/summary.ts.
 */
import type { Assumption, Finding, Lesson, Step } from '../../model/index.js';
import { findingText } from './finding.js';
import { endpointText } from './flow.js';
import { type LoopCause, loopCauseText } from './loop.js';
import { type RuleRef, ruleRefText } from './rule.js';
import { explainStep, hookOf } from './step.js';
import { assumptionText, stopText } from './verdict.js';

/** A connection's outcome, as facts: where its packets went, or where they ended. */
export type ConnectionOutcome =
  | {
      readonly kind: 'delivered';
      readonly step: number;
      readonly process: string;
      readonly uid: number;
      readonly address: string;
      readonly port: number;
      readonly packets: number;
      /** The connections a proxy opened because of this one. */
      readonly opened: readonly number[];
      readonly proxy?: string;
    }
  | {
      readonly kind: 'ended';
      /** The fate step. */
      readonly step: Step;
      readonly packet: number;
      readonly label: string;
      /** The rule (or `policy DROP of filter INPUT`) that decided it, when one did. */
      readonly rule?: RuleRef | string;
    }
  | {
      readonly kind: 'stopped';
      readonly step: Step;
      readonly packet: number;
      /** The rule it stopped at, when it stopped at one. */
      readonly rule?: RuleRef | string;
    }
  | {
      /** A RST reset the connection's client: the process step that says so. */
      readonly kind: 'reset';
      readonly step: Step;
      readonly packet: number;
      readonly label: string;
      readonly process: string;
      /** Who sent the RST, `10.0.0.2:9080`. */
      readonly from: string;
    };

const at = (n: number) => `[step ${n}]`;

/** One connection's outcome in one line (without its name). */
export function outcomeText(o: ConnectionOutcome): string {
  switch (o.kind) {
    case 'delivered': {
      const all = o.packets > 1 ? ` (all ${o.packets} packets delivered)` : '';
      const opened =
        o.opened.length === 0 ? '' : `; ${o.proxy ?? 'it'} opens connection ${o.opened.join(', ')}`;
      return `delivered to ${o.process} (uid ${o.uid}) on ${endpointText(o.address, o.port)} ${at(o.step)}${all}${opened}`;
    }
    case 'ended': {
      const s = o.step;
      const fate = s.kind === 'fate' ? s.fate : 'lost';
      const hook = hookOf(s);
      const by =
        o.rule === undefined
          ? ''
          : ` by ${typeof o.rule === 'string' ? o.rule : `${o.rule.table} ${ruleRefText(o.rule)}`}`;
      return `packet ${o.packet} (${o.label}) ${fate} on ${s.host}${hook ? ` ${hook}` : ''}${by}: ${explainStep(s)} ${at(s.index)}`;
    }
    case 'stopped': {
      const s = o.step;
      const what = s.kind === 'stop' && s.reason.kind === 'loop' ? 'looped' : 'stopped';
      const why = s.kind === 'stop' ? stopText(s.reason) : explainStep(s);
      const rule =
        o.rule === undefined
          ? ''
          : ` at ${typeof o.rule === 'string' ? o.rule : `${o.rule.table} ${ruleRefText(o.rule)}`}`;
      return `packet ${o.packet} ${what} on ${s.host}${rule}: ${why} ${at(s.index)}`;
    }
    case 'reset':
      return `reset: packet ${o.packet} (${o.label}) from ${o.from} resets ${o.process}'s connection on ${o.step.host} ${at(o.step.index)}`;
  }
}

/** The parts of the summary, in its order; the UI lists the load warnings as one more. */
export type SummarySection =
  | 'title'
  | 'hypothesis'
  | 'connections'
  | 'loop'
  | 'not-simulated'
  | 'lessons';

/**
 * One line of the summary, as facts the text and the UI both read: its words, how deep it sits
 * (two spaces a level in `nfdb run`), its section, and the step it is about when there is one.
 */
export interface SummaryItem {
  readonly text: string;
  readonly indent: number;
  readonly section: SummarySection;
  readonly step?: number;
}

export const summaryItem = (
  section: SummarySection,
  indent: number,
  text: string,
  step?: number,
): SummaryItem => ({ text, indent, section, ...(step === undefined ? {} : { step }) });

/**
 * The hypotheses the trace rests on, first, since nothing checks them against the kernel; and
 * what they broke that no other line names (a rewritten connection's lost reply).
 */
export function hypothesisItems(findings: readonly Finding[]): SummaryItem[] {
  return findings.flatMap((f) => {
    const step = f.steps[0] ?? 0;
    if (f.kind === 'hypothesis')
      return [summaryItem('hypothesis', 1, `Hypothesis: ${findingText(f)} ${at(step)}`, step)];
    if (f.kind === 'rewritten-reply-lost')
      return [summaryItem('hypothesis', 2, `then ${findingText(f)} ${at(step)}`, step)];
    return [];
  });
}

/** The loop verdict: the loop with its rounds and rules, or "no loop" with the reason. */
export function loopVerdictItems(
  loops: readonly (Finding & { kind: 'loop' })[],
  rules: (f: Finding & { kind: 'loop' }) => readonly (RuleRef | string)[],
  proxied: { readonly opened: number; readonly returned: number; readonly ended: number },
  cause?: (f: Finding & { kind: 'loop' }) => LoopCause | undefined,
): SummaryItem[] {
  if (loops.length === 0) {
    let why: string;
    if (proxied.opened === 0) why = 'no proxy opened a connection';
    else if (proxied.returned === 0 && proxied.ended === 0)
      why = `every connection a proxy opened (${proxied.opened}) was let out and reached its destination`;
    else if (proxied.returned > 0)
      why = `${proxied.returned} of the ${proxied.opened} connections proxies opened came back to their proxy, but not round after round`;
    else
      why = `every connection a proxy opened (${proxied.opened}) ended without coming back to the proxy`;
    return [summaryItem('loop', 1, `No loop: ${why}.`)];
  }
  return loops.flatMap((f) => {
    const step = f.steps[0] ?? 0;
    return [
      summaryItem('loop', 1, `Loop: ${findingText(f)} ${at(step)}`, step),
      ...(rules(f).length > 0 ? [summaryItem('loop', 2, 'the rules on the cycle:')] : []),
      ...rules(f).map((r) => summaryItem('loop', 3, typeof r === 'string' ? r : ruleRefText(r))),
      ...[cause?.(f)].flatMap((c) =>
        c ? [summaryItem('loop', 2, `why: ${loopCauseText(c)}`)] : [],
      ),
    ];
  });
}

/** What nfdb did not simulate: the stops and the assumptions, each with its step. */
export function notSimulatedItems(
  stops: readonly (Finding & { kind: 'not-simulated' })[],
  rules: (f: Finding & { kind: 'not-simulated' }) => readonly (RuleRef | string)[],
  assumed: readonly { readonly step: number; readonly assumption: Assumption }[],
): SummaryItem[] {
  const section = 'not-simulated';
  if (stops.length === 0 && assumed.length === 0)
    return [
      summaryItem(section, 1, 'Not simulated: nothing (every rule on the path was simulated).'),
    ];
  return [
    summaryItem(section, 1, 'Not simulated:'),
    ...stops.flatMap((f) => {
      const step = f.steps[0] ?? 0;
      return [
        summaryItem(section, 2, `${stopText(f.reason)}: nfdb stopped there ${at(step)}`, step),
        ...rules(f).map((r) =>
          summaryItem(section, 3, `at ${typeof r === 'string' ? r : ruleRefText(r)}`),
        ),
      ];
    }),
    ...assumed.map((a) =>
      summaryItem(section, 2, `${assumptionText(a.assumption)} ${at(a.step)}`, a.step),
    ),
  ];
}

/** A lesson in one short line, with the example step and who did it. */
export function lessonLine(lesson: Lesson, step: Step): string {
  if (lesson === 'nat-first-packet-only')
    return `Replies never enter nat (nor do later packets): conntrack translates them ${at(step.index)}`;
  const who = step.kind === 'process' ? step.event.process : 'the proxy';
  return `${who} opens a new connection: it does not rewrite packets ${at(step.index)}`;
}
