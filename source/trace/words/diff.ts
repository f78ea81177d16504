/** The comparison of two runs in words: each connection's outcome before and after, and why. */
import type { Trace } from '../../model/index.js';
import type {
  ConnectionChange,
  CounterChange,
  FindingFact,
  OutcomeFact,
  PathFact,
  PathStep,
  RuleFact,
  TraceDiff,
} from '../diff/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { connectionLabel, forwardLoopText } from './finding.js';
import { endpointText } from './flow.js';
import { ruleRefText } from './rule.js';

function ruleFactText(r: RuleFact): string {
  return r.chain === undefined ? r.text : `${r.table} ${r.chain}: ${r.text}`;
}

export function outcomeFactText(o: OutcomeFact): string {
  switch (o.kind) {
    case 'delivered':
      return `delivered to ${o.process} (uid ${o.uid}) on ${endpointText(o.address, o.port)}`;
    case 'looped': {
      const rules = o.rules.map(ruleFactText).join('; ');
      return `looped on ${o.host}: ${o.process} re-opens ${o.destination} into its own listener${rules ? `; the rules on the cycle: ${rules}` : ''}`;
    }
    case 'stopped':
      return `stopped on ${o.host} (${o.reason})${o.rule ? ` at ${ruleFactText(o.rule)}` : ''}`;
    case 'none':
      return 'no packet reached a socket';
    case 'reset':
      return `reset: ${o.process} on ${o.host} takes a RST from ${o.from}`;
    default:
      return `${o.packet} ${o.kind} on ${o.host} (${o.reason})${o.rule ? ` by ${ruleFactText(o.rule)}` : ''}`;
  }
}

const VERDICT_WORDS: Readonly<Record<string, string>> = {
  accept: 'ACCEPT',
  drop: 'DROP',
  return: 'RETURN',
  queue: 'QUEUE',
  continue: 'no target (counts only)',
};

export function pathFactText(f: PathFact, rules: RuleLookup): string {
  switch (f.kind) {
    case 'hook':
      return `${f.host} enters ${f.hook}`;
    case 'rule': {
      const ref = rules(f.host, f.rule);
      const rule = ref ? ruleRefText(ref) : `rule ${f.rule}`;
      const verdict = ref?.nft ? f.verdict : (VERDICT_WORDS[f.verdict] ?? f.verdict);
      return `${f.host} ${f.hook} ${f.table} ${rule} → ${verdict}`;
    }
    case 'policy':
      return `${f.host} ${f.hook} ${f.table} ${f.chain}: policy ${f.policy}`;
    case 'socket':
      return `${f.host}: delivered to ${f.process}${f.port === undefined ? '' : ` on port ${f.port}`}`;
    case 'fate':
      return `${f.host}: ${f.fate} (${f.reason})`;
    case 'stop':
      return `${f.host}: nfdb stops (${f.reason})`;
  }
}

export function sideText(side: PathStep | undefined, rules: RuleLookup): string {
  return side
    ? `${pathFactText(side.fact, rules)} [step ${side.step}]`
    : 'nothing (the path ends before)';
}

export function connectionName(c: ConnectionChange, before: Trace, after: Trace): string {
  const info =
    before.connections.find((x) => x.id === c.before) ??
    after.connections.find((x) => x.id === c.after);
  return `${c.key}${info ? ` (${connectionLabel(info)})` : ''}`;
}

function connectionLines(
  c: ConnectionChange,
  before: Trace,
  after: Trace,
  rules: { readonly before: RuleLookup; readonly after: RuleLookup },
): string[] {
  const name = connectionName(c, before, after);
  const was = outcomeFactText(c.outcomeBefore);
  const is = outcomeFactText(c.outcomeAfter);
  if (c.before === undefined) return [`  ${name}: only in the what-if: ${is}`];
  if (c.after === undefined) return [`  ${name}: only in the original: ${was}`];
  const lines =
    was === is
      ? [`  ${name}: same outcome: ${is}`]
      : [`  ${name}: outcome changed`, `    before: ${was}`, `    after:  ${is}`];
  const d = c.firstDifference;
  if (d)
    lines.push(
      `    first difference, packet ${d.packet} (${d.label}${d.labelAfter === undefined ? '' : `; in the what-if ${d.labelAfter}`}):`,
      `      before: ${sideText(d.before, rules.before)}`,
      `      after:  ${sideText(d.after, rules.after)}`,
    );
  return lines;
}

function counterLine(c: CounterChange, rules: RuleLookup): string {
  const ref = c.rule === 'policy' ? undefined : rules(c.host, c.rule);
  const what =
    c.rule === 'policy' ? `${c.chain} policy` : ref ? ruleRefText(ref) : `rule ${c.rule}`;
  return `  ${c.host} ${c.table} ${what}: ${c.before.packets} → ${c.after.packets} packets, ${c.before.bytes} → ${c.after.bytes} bytes`;
}

function findingFactText(f: FindingFact, rules: RuleLookup): string {
  if (f.kind === 'not-simulated') return `not simulated (${f.reason})`;
  if (f.kind === 'hypothesis')
    return `hypothesis: ${f.process} on ${f.host} rewrites packets (no kernel to compare with)`;
  if (f.kind === 'forward-loop') return forwardLoopText(f.hops);
  if (f.kind === 'rewritten-reply-lost')
    return `the reply of ${f.label} rewritten by ${f.process} on ${f.host} is lost`;
  const cycle = f.rules.map((id) => {
    const ref = rules(f.host, id);
    return ref ? ruleRefText(ref) : `rule ${id}`;
  });
  return `loop: ${f.process} on ${f.host} re-opens ${f.destination} into its own listener${cycle.length ? `; the rules on the cycle: ${cycle.join('; ')}` : ''}`;
}

/**
 * The comparison as `nfdb run --compare` prints it. Rules are named as each run has them (the
 * what-if's for counters and added findings, since the rules moved there).
 */
export function compareLines(
  diff: TraceDiff,
  before: Trace,
  after: Trace,
  rules: { readonly before: RuleLookup; readonly after: RuleLookup },
): string[] {
  const either: RuleLookup = (host, id) => rules.after(host, id) ?? rules.before(host, id);
  const { added, removed } = diff.findings;
  return [
    'Connections',
    ...diff.connections.flatMap((c) => connectionLines(c, before, after, rules)),
    'Counters',
    ...(diff.counters.length === 0
      ? ['  no counter moved differently']
      : diff.counters.map((c) => counterLine(c, either))),
    'Findings',
    ...(added.length + removed.length === 0 ? ['  the same findings'] : []),
    ...added.map((f) => `  added: ${findingFactText(f, rules.after)}`),
    ...removed.map((f) => `  removed: ${findingFactText(f, rules.before)}`),
  ];
}
