/**
 * What `nfdb live` may do: reading the rules needs CAP_NET_ADMIN (iptables-save's getsockopt,
 * nft's netlink dump), entering another namespace CAP_SYS_ADMIN (setns). Read from
 * /proc/self/status, so that the error names the capability instead of a tool's EPERM.
 */
import { readOrUndefined } from './target.js';

const CAPABILITIES = { CAP_NET_ADMIN: 12, CAP_SYS_ADMIN: 21 } as const;

export type Capability = keyof typeof CAPABILITIES;

/** The effective capabilities nfdb lacks, of those asked for. */
export function missingCapabilities(wanted: readonly Capability[]): Capability[] {
  const hex = /^CapEff:\s*([0-9a-f]+)/im.exec(readOrUndefined('/proc/self/status') ?? '')?.[1];
  if (hex === undefined) return [];
  const effective = BigInt(`0x${hex}`);
  return wanted.filter((c) => ((effective >> BigInt(CAPABILITIES[c])) & 1n) === 0n);
}
