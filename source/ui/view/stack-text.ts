import { type Step, TABLE_NAMES } from '../../model/index.js';

const NFT_FAMILY = { ipv4: 'ip', ipv6: 'ip6', inet: 'inet' } as const;

/**
 * The table as its front end names it: iptables' by name (`nat`), an nft table by family and
 * name (`inet istio-proxy-nat`), as `nft list` does.
 */
function tableText(step: Step, name: string): string {
  if ((TABLE_NAMES as readonly string[]).includes(name)) return name;
  const ref = 'table' in step ? step.table : undefined;
  return ref?.name === name ? `${NFT_FAMILY[ref.family]} ${name}` : name;
}

/**
 * The step's call stack as its title: "nat PREROUTING › ISTIO_INBOUND › ISTIO_IN_REDIRECT", or
 * "inet istio-proxy-nat prerouting › istio-inbound" in an nft table.
 */
export function stackText(step: Step | undefined): string {
  const first = step?.stack[0];
  if (!step || !first) return '';
  return `${tableText(step, first.table)} ${step.stack.map((f) => f.chain).join(' › ')}`;
}
