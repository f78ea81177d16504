/**
 * `nfdb live --trace FILTER`: a tcpdump-like filter (`tcp port 9080`, `host 10.0.0.2`,
 * `udp port 53 and host 10.96.0.10`) as the nft rules that set nftrace on the packets it names.
 * nft has no "or" inside a rule: `port` (either end) and `host` become one rule per end.
 */

export type TraceFilter =
  | { readonly ok: true; readonly rules: readonly string[] }
  | { readonly ok: false; readonly message: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

export function traceFilter(text: string): TraceFilter {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== 'and' && w !== '');
  let proto: string | undefined;
  let port: number | undefined;
  let host: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const value = words[i + 1];
    if (word === 'tcp' || word === 'udp') proto = word;
    else if (
      word === 'port' &&
      value !== undefined &&
      /^\d+$/.test(value) &&
      Number(value) <= 65535
    ) {
      port = Number(value);
      i++;
    } else if (word === 'host' && value !== undefined && (IPV4.test(value) || IPV6.test(value))) {
      host = value;
      i++;
    } else
      return {
        ok: false,
        message: `--trace ${JSON.stringify(text)}: expected words like 'tcp port 9080', 'udp port 53', 'host 10.0.0.2' (joined with and), found ${JSON.stringify(word)}`,
      };
  }
  if (words.length === 0)
    return { ok: false, message: "--trace needs a filter, as 'tcp port 9080' or 'host 10.0.0.2'" };
  const protos = proto ? [proto] : port === undefined ? [undefined] : ['tcp', 'udp'];
  const ports = port === undefined ? [''] : ['dport', 'sport'].map((end) => ` ${end} ${port}`);
  const family = host?.includes(':') ? 'ip6' : 'ip';
  const hosts =
    host === undefined ? [''] : [`${family} saddr ${host} `, `${family} daddr ${host} `];
  const rules = hosts.flatMap((h) =>
    protos.flatMap((p) =>
      ports.map((end) =>
        `${h}${p === undefined ? '' : port === undefined ? `meta l4proto ${p} ` : `${p}${end} `}`.trim(),
      ),
    ),
  );
  return { ok: true, rules: rules.map((r) => `${r} meta nftrace set 1`.trim()) };
}
