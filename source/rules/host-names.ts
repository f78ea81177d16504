/**
 * Host names where addresses belong: `iptables -L` without -n prints `localhost`, and people type
 * `iptables -s localhost`, which iptables resolves when it runs. nfdb has no DNS and never
 * guesses: it takes the addresses every system gives the loopback names, and the ones the user
 * gives with `--resolve NAME=ADDR`, and says which it took.
 */

import type { Family } from '../model/index.js';
import { parseCidr } from '../netfilter/address.js';

/** NAME → address, as `--resolve NAME=ADDR` gives them (either family). */
export type HostNames = ReadonlyMap<string, readonly string[]>;

/** What /etc/hosts says for the loopback on every distribution nfdb meets. */
const LOOPBACK: Readonly<Record<string, Partial<Record<Family, string>>>> = {
  localhost: { ipv4: '127.0.0.1', ipv6: '::1' },
  'localhost.localdomain': { ipv4: '127.0.0.1', ipv6: '::1' },
  localhost6: { ipv6: '::1' },
  'ip6-localhost': { ipv6: '::1' },
  'ip6-loopback': { ipv6: '::1' },
};

export interface Resolved {
  readonly address: string;
  /** Where the address came from, for the warning: `--resolve` or the loopback's own name. */
  readonly given: boolean;
}

/** The address of a host name in a family: the user's first, then the loopback's. */
export function resolveHost(
  name: string,
  family: Family,
  hosts: HostNames | undefined,
): Resolved | undefined {
  const given = hosts?.get(name)?.find((a) => parseCidr(a, family).ok);
  if (given !== undefined) return { address: given, given: true };
  const loopback = LOOPBACK[name.toLowerCase()]?.[family];
  return loopback === undefined ? undefined : { address: loopback, given: false };
}

/** The warning's words: `read as 127.0.0.1 (the loopback's address)`. */
export function resolvedText(name: string, r: Resolved): string {
  return `host name "${name}" read as ${r.address} (${r.given ? `--resolve ${name}=${r.address}` : "the loopback's address, as /etc/hosts gives it"})`;
}

/** `NAME=ADDR` values of --resolve to a table, or the first one that is not of that shape. */
export function readResolve(
  values: readonly string[],
): { ok: true; hosts: HostNames } | { ok: false; bad: string } {
  const hosts = new Map<string, string[]>();
  for (const value of values) {
    const m = /^([A-Za-z0-9][A-Za-z0-9.-]*)=(.+)$/.exec(value);
    const address = m?.[2];
    if (!m?.[1] || !address || !(parseCidr(address, 'ipv4').ok || parseCidr(address, 'ipv6').ok))
      return { ok: false, bad: value };
    hosts.set(m[1], [...(hosts.get(m[1]) ?? []), address]);
  }
  return { ok: true, hosts };
}
