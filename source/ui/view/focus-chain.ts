import type { Frame, Step, Trace } from '../../model/index.js';

export interface ChainRef {
  readonly host: string;
  readonly table: string;
  readonly chain: string;
  /** The rule the packet is at in that chain, when there is one. */
  readonly ruleIndex?: number;
}

/** The chain a step is in (a rule, a policy, a return, a stop at a rule), if it is in one. */
function chainOf(s: Step): { table: string; chain: string; ruleIndex?: number } | undefined {
  if (s.kind === 'rule' || s.kind === 'span')
    return { table: s.table.name, chain: s.chain, ruleIndex: s.ruleIndex };
  if (s.kind === 'policy' || s.kind === 'return') return { table: s.table.name, chain: s.chain };
  if (s.kind === 'stop' && s.table && s.chain) return { table: s.table.name, chain: s.chain };
  return undefined;
}

/** The chain to show: the selected stack frame, else the step's own, else the packet's last one. */
export function focusChain(trace: Trace, cursor: number, frame?: number): ChainRef | undefined {
  const step = trace.steps[cursor];
  if (!step) return undefined;
  const selected: Frame | undefined = frame !== undefined ? step.stack[frame] : undefined;
  if (selected)
    return {
      host: step.host,
      table: selected.table,
      chain: selected.chain,
      ruleIndex: selected.ruleIndex,
    };
  // A nat table skipped for a later packet: show the chain it did not enter.
  if (step.kind === 'conntrack' && step.event.kind === 'nat-skipped')
    return { host: step.host, table: step.event.table.name, chain: step.hook };
  for (let i = cursor; i >= 0; i--) {
    const s = trace.steps[i];
    if (!s || s.packetId !== step.packetId || (i < cursor && s.kind === 'hook')) break;
    const at = chainOf(s);
    if (at)
      return {
        host: s.host,
        table: at.table,
        chain: at.chain,
        ruleIndex: i === cursor ? at.ruleIndex : undefined,
      };
  }
  return undefined;
}
