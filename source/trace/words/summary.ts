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
  }
}

/** The loop verdict: the loop with its rounds and rules, or "no loop" with the reason. */
export function loopVerdictLines(
  loops: readonly (Finding & { kind: 'loop' })[],
  rules: (f: Finding & { kind: 'loop' }) => readonly (RuleRef | string)[],
  proxied: { readonly opened: number; readonly returned: number; readonly ended: number },
  cause?: (f: Finding & { kind: 'loop' }) => LoopCause | undefined,
): string[] {
  if (loops.length === 0) {
    let why: string;
    if (proxied.opened === 0) why = 'no proxy opened a connection';
    else if (proxied.returned === 0 && proxied.ended === 0)
      why = `every connection a proxy opened (${proxied.opened}) was let out and reached its destination`;
    else if (proxied.returned > 0)
      why = `${proxied.returned} of the ${proxied.opened} connections proxies opened came back to their proxy, but not round after round`;
    else
      why = `every connection a proxy opened (${proxied.opened}) ended without coming back to the proxy`;
    return [`No loop: ${why}.`];
  }
  return loops.flatMap((f) => [
    `Loop: ${findingText(f)} ${at(f.steps[0] ?? 0)}`,
    ...(rules(f).length > 0 ? ['  the rules on the cycle:'] : []),
    ...rules(f).map((r) => `    ${typeof r === 'string' ? r : ruleRefText(r)}`),
    ...[cause?.(f)].flatMap((c) => (c ? [`  why: ${loopCauseText(c)}`] : [])),
  ]);
}

/** What nfdb did not simulate: the stops and the assumptions, each with its step. */
export function notSimulatedLines(
  stops: readonly (Finding & { kind: 'not-simulated' })[],
  rules: (f: Finding & { kind: 'not-simulated' }) => readonly (RuleRef | string)[],
  assumed: readonly { readonly step: number; readonly assumption: Assumption }[],
): string[] {
  if (stops.length === 0 && assumed.length === 0)
    return ['Not simulated: nothing (every rule on the path was simulated).'];
  return [
    'Not simulated:',
    ...stops.flatMap((f) => [
      `  ${stopText(f.reason)}: nfdb stopped there ${at(f.steps[0] ?? 0)}`,
      ...rules(f).map((r) => `    at ${typeof r === 'string' ? r : ruleRefText(r)}`),
    ]),
    ...assumed.map((a) => `  ${assumptionText(a.assumption)} ${at(a.step)}`),
  ];
}

/** A lesson in one short line, with the example step and who did it. */
export function lessonLine(lesson: Lesson, step: Step): string {
  if (lesson === 'nat-first-packet-only')
    return `Replies never enter nat (nor do later packets): conntrack translates them ${at(step.index)}`;
  const who = step.kind === 'process' ? step.event.process : 'the proxy';
  return `${who} opens a new connection: it does not rewrite packets ${at(step.index)}`;
}
