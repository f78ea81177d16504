import type { Step } from '../../model/index.js';

/** The step's call stack as its title: "nat PREROUTING › ISTIO_INBOUND › ISTIO_IN_REDIRECT". */
export function stackText(step: Step | undefined): string {
  if (!step || step.stack.length === 0) return '';
  return `${step.stack[0]?.table} ${step.stack.map((f) => f.chain).join(' › ')}`;
}
