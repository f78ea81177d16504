/**
 * A chain of a table by its name, through an index built once per table: a kube-proxy nat table
 * has 60,000 chains, and a linear search on every frame made each keypress grow with the ruleset.
 */

const indexes = new WeakMap<readonly { readonly name: string }[], Map<string, unknown>>();

/** The chain called `name` among `chains` (an iptables or an nft table's), the first if two are. */
export function chainNamed<C extends { readonly name: string }>(
  chains: readonly C[],
  name: string,
): C | undefined {
  let index = indexes.get(chains) as Map<string, C> | undefined;
  if (!index) {
    index = new Map();
    for (const c of chains) if (!index.has(c.name)) index.set(c.name, c);
    indexes.set(chains, index);
  }
  return index.get(name);
}
