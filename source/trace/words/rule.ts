/** Rules by their text: `ISTIO_OUTPUT 6: -m owner --gid-owner 1337 -j RETURN`. */

/** A rule as people name it: its table, chain, 1-based number and iptables-save text. */
export interface RuleRef {
  readonly table: string;
  readonly chain: string;
  readonly number: number;
  /** The rule after `-A CHAIN`, as iptables-save prints it. */
  readonly text: string;
}

/** `ISTIO_OUTPUT 6: -m owner --gid-owner 1337 -j RETURN`. */
export function ruleRefText(r: RuleRef): string {
  return `${r.chain} ${r.number}: ${r.text}`;
}
