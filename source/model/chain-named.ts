/**
 * A chain of a table by its name, through an index built once per list of chains: a kube-proxy
 * nat table has 60,000 chains, and a linear search on every frame made each keypress grow with
 * the ruleset. The load-time checks, the proxy's fit and the UI ask for the same tables, so they
 * share one index.
 */

const indexes = new WeakMap<readonly { readonly name: string }[], Map<string, number>>();

/** Where each name stands among `chains` (an iptables or an nft table's), the first if two do. */
export function chainPositions(
  chains: readonly { readonly name: string }[],
): ReadonlyMap<string, number> {
  let index = indexes.get(chains);
  if (!index) {
    index = new Map();
    for (let c = 0; c < chains.length; c++) {
      const name = (chains[c] as { readonly name: string }).name;
      if (!index.has(name)) index.set(name, c);
    }
    indexes.set(chains, index);
  }
  return index;
}

/** The chain called `name` among `chains`, the first if two are. */
export function chainNamed<C extends { readonly name: string }>(
  chains: readonly C[],
  name: string,
): C | undefined {
  const c = chainPositions(chains).get(name);
  return c === undefined ? undefined : chains[c];
}
