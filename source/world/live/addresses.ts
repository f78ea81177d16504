/** Addresses next to the pod's for the hosts nfdb adds: the peer and a pod outside. */

const v4Number = (a: string) => a.split('.').reduce((n, b) => n * 256 + Number(b), 0);
const v4Text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/**
 * Free addresses in the pod's subnet, `count` of them, the preferred one (the gateway) first
 * when it is free. A /31 or /32 has no room: the addresses after the pod's are taken then.
 */
export function freeNeighbours(
  cidr: string,
  taken: readonly string[],
  count: number,
  prefer?: string,
): string[] {
  const [address = '', length = '32'] = cidr.split('/');
  if (address.includes(':')) return v6Neighbours(address, taken, count, prefer);
  const prefix = Number(length);
  const size = prefix >= 31 ? 256 : 2 ** (32 - prefix);
  const base = prefix >= 31 ? v4Number(address) : v4Number(address) - (v4Number(address) % size);
  const out: string[] = prefer && !taken.includes(prefer) && prefer !== address ? [prefer] : [];
  for (let i = 1; i < size - 1 && out.length < count; i++) {
    const candidate = v4Text(base + i);
    if (candidate !== address && !taken.includes(candidate) && !out.includes(candidate))
      out.push(candidate);
  }
  return out.slice(0, count);
}

function v6Neighbours(address: string, taken: readonly string[], count: number, prefer?: string) {
  const out: string[] = prefer && !taken.includes(prefer) && prefer !== address ? [prefer] : [];
  const head = address.replace(/:[0-9a-f]*$/i, '');
  for (let i = 1; out.length < count && i < 0xffff; i++) {
    const candidate = `${head}:${i.toString(16)}`;
    if (candidate !== address && !taken.includes(candidate) && !out.includes(candidate))
      out.push(candidate);
  }
  return out.slice(0, count);
}
