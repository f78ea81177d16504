/**
 * `nfdb live`'s capture of a network namespace, read-only: the rules of both iptables backends
 * with counters (IPv4 and IPv6), the nftables ruleset, addresses, routes and ip rules, the
 * listening sockets with their processes, forwarding and conntrack. What cannot be read is said,
 * not guessed; the World is built from this by source/world/live.
 */
import type { Backend, Family } from '../../model/index.js';
import type { LiveCapture, SavedRules } from '../../world/live/capture.js';
import { missingCapabilities } from './privileges.js';
import { captureSockets } from './sockets.js';
import {
  describeTarget,
  findTool,
  type LiveTarget,
  readNetFile,
  readSysctl,
  runIn,
  targetHostName,
  targetMissing,
} from './target.js';

export type Captured =
  | { readonly ok: true; readonly capture: LiveCapture }
  | { readonly ok: false; readonly error: string };

const PREFIX: Readonly<Record<Family, string>> = { ipv4: 'iptables', ipv6: 'ip6tables' };

/** Which backend a plain `iptables-save` is: its version line says `(nf_tables)` or `(legacy)`. */
function plainBackend(target: LiveTarget, path: string): Backend {
  return /nf_tables/.test(runIn(target, path, ['--version']).stdout) ? 'nft' : 'legacy';
}

function saveRules(target: LiveTarget, missing: string[]): SavedRules | string {
  const rules: Record<Family, Partial<Record<Backend, string>>> = { ipv4: {}, ipv6: {} };
  let any = false;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const tools = (['nft', 'legacy'] as const).map((b) => ({
      backend: b,
      path: findTool(`${PREFIX[family]}-${b}-save`),
    }));
    const plain = findTool(`${PREFIX[family]}-save`);
    if (tools.every((t) => !t.path) && plain) {
      const backend = plainBackend(target, plain);
      tools.splice(0, 2, { backend, path: plain });
    }
    for (const { backend, path } of tools) {
      if (!path) {
        missing.push(`${PREFIX[family]}-${backend}-save is not installed`);
        continue;
      }
      any = true;
      const run = runIn(target, path, ['-c']);
      if (run.ok) rules[family][backend] = run.stdout;
      else missing.push(`${PREFIX[family]}-${backend}-save -c failed: ${run.stderr.trim()}`);
    }
  }
  if (!any)
    return 'no iptables-save is installed (iptables-nft-save, iptables-legacy-save): install iptables, or run nfdb where it is';
  return rules;
}

function ipJson(
  target: LiveTarget,
  args: readonly string[],
  missing: string[],
): string | undefined {
  const ip = findTool('ip');
  if (!ip) return undefined;
  const run = runIn(target, ip, ['-j', ...args]);
  if (run.ok) return run.stdout;
  missing.push(`ip -j ${args.join(' ')} failed: ${run.stderr.trim()}`);
  return undefined;
}

function nftRuleset(target: LiveTarget, missing: string[]): string | undefined {
  const nft = findTool('nft');
  if (!nft) {
    missing.push('native nftables tables: nft is not installed');
    return undefined;
  }
  const run = runIn(target, nft, ['-j', 'list', 'ruleset']);
  if (run.ok) return run.stdout;
  missing.push(`nft -j list ruleset failed: ${run.stderr.trim()}`);
  return undefined;
}

function conntrack(target: LiveTarget): string[] | undefined {
  const tool = findTool('conntrack');
  const run = tool ? runIn(target, tool, ['-L']) : undefined;
  const text = run?.ok ? run.stdout : readNetFile(target, 'nf_conntrack');
  return text?.split('\n').filter((l) => l.trim() !== '');
}

/** Why nfdb cannot read the namespace (privileges, a missing namespace), or undefined. */
export function cannotCapture(target: LiveTarget): string | undefined {
  const wanted =
    target.kind === 'self'
      ? ['CAP_NET_ADMIN' as const]
      : (['CAP_NET_ADMIN', 'CAP_SYS_ADMIN'] as const);
  const lacking = missingCapabilities(wanted);
  if (lacking.length > 0)
    return `needs ${lacking.join(' and ')} (${lacking.includes('CAP_NET_ADMIN') ? 'to read the rules' : 'to enter the namespace'}): run as root, or in a debug container with --profile=netadmin`;
  return targetMissing(target);
}

export function captureLive(target: LiveTarget): Captured {
  const refused = cannotCapture(target);
  if (refused) return { ok: false, error: refused };
  const missing: string[] = [];
  const rules = saveRules(target, missing);
  if (typeof rules === 'string') return { ok: false, error: rules };
  if (!findTool('ip'))
    missing.push('addresses, routes and ip rules: ip (iproute2) is not installed');
  const sockets = captureSockets(target);
  const conntrackEntries = conntrack(target);
  const nftJson = nftRuleset(target, missing);
  const addresses = ipJson(target, ['addr'], missing);
  return {
    ok: true,
    capture: {
      where: describeTarget(target),
      host: targetHostName(target),
      rules,
      ...(nftJson === undefined ? {} : { nftJson }),
      ...(addresses === undefined ? {} : { addresses }),
      routes: [
        ipJson(target, ['-4', 'route', 'show', 'table', 'all'], missing) ?? '',
        ipJson(target, ['-6', 'route', 'show', 'table', 'all'], missing) ?? '',
      ],
      ipRules: [
        ipJson(target, ['-4', 'rule'], missing) ?? '',
        ipJson(target, ['-6', 'rule'], missing) ?? '',
      ],
      listeners: sockets.listeners,
      listenersFrom: sockets.from,
      processes: sockets.processes,
      forwarding: readSysctl(target, 'net/ipv4/ip_forward')?.trim() === '1',
      ...(conntrackEntries === undefined ? {} : { conntrack: conntrackEntries }),
      missing: [...missing, ...sockets.missing],
    },
  };
}
