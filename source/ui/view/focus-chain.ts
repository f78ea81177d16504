import type { Frame, TableName, Trace } from '../../model/index.js';

export interface ChainRef {
  readonly host: string;
  readonly table: TableName;
  readonly chain: string;
  /** The rule the packet is at in that chain, when there is one. */
  readonly ruleIndex?: number;
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
  if (step.table && step.hook && !step.chain)
    return { host: step.host, table: step.table, chain: step.hook };
  for (let i = cursor; i >= 0; i--) {
    const s = trace.steps[i];
    if (!s || s.packetId !== step.packetId || (i < cursor && s.kind === 'hook')) break;
    if (s.table && s.chain)
      return {
        host: s.host,
        table: s.table,
        chain: s.chain,
        ruleIndex: i === cursor ? s.ruleIndex : undefined,
      };
  }
  return undefined;
}
