/** Rules by their text: `ISTIO_OUTPUT 6: -m owner --gid-owner 1337 -j RETURN`. */

/** A rule as people name it: its table, chain, 1-based number and iptables-save text. */
export interface RuleRef {
  readonly table: string;
  readonly chain: string;
  readonly number: number;
  /** The rule after `-A CHAIN`, as iptables-save prints it (an nft rule: as nft lists it). */
  readonly text: string;
  /** An nft rule's kernel handle, when the rules came with one (`nft -a list`, JSON). */
  readonly handle?: number;
  /** The rule is an nft rule: its verdicts read as nft writes them (`return`, not `RETURN`). */
  readonly nft?: true;
}

/** `ISTIO_OUTPUT 6: -m owner --gid-owner 1337 -j RETURN`. */
export function ruleRefText(r: RuleRef): string {
  return `${r.chain} ${r.number}: ${r.text}${r.handle === undefined ? '' : ` # handle ${r.handle}`}`;
}
