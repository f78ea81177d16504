/**
 * `ip -j addr`, `ip -j route show table all` and `ip -j rule` into the World's interfaces, routes
 * and ip rules. What the engine derives itself (the kernel's own routes for an address, the
 * local table, the default rules 0, 32766 and 32767) is left out, and so is what it does not
 * model (link-local IPv6, multicast and broadcast routes).
 */
import type { InterfaceConfig, IpRuleConfig, RouteConfig } from '../../model/index.js';

const TABLE_NUMBERS: Readonly<Record<string, number>> = { local: 255, main: 254, default: 253 };

/** `main` → 254, `133` → 133; a name from rt_tables that nfdb cannot resolve → undefined. */
export function tableNumber(name: unknown): number | undefined {
  if (name === undefined) return 254;
  const text = String(name);
  if (/^\d+$/.test(text)) return Number(text);
  return TABLE_NUMBERS[text];
}

function jsonArray(text: string | undefined): Record<string, unknown>[] {
  if (!text || text.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  } catch {
    return [];
  }
}

interface AddrInfo {
  readonly family?: string;
  readonly local?: string;
  readonly prefixlen?: number;
  readonly scope?: string;
}

/** Interfaces with their addresses, primary first; link-local IPv6 is left out. */
export function parseAddresses(text: string | undefined, link: string): InterfaceConfig[] {
  return jsonArray(text).flatMap((i) => {
    const name = typeof i.ifname === 'string' ? i.ifname : undefined;
    if (!name) return [];
    const info = (Array.isArray(i.addr_info) ? i.addr_info : []) as AddrInfo[];
    const addresses = info
      .filter((a) => a.local !== undefined && a.scope !== 'link')
      .map((a) => `${a.local}/${a.prefixlen ?? (a.family === 'inet6' ? 128 : 32)}`)
      // lo always has these: the engine adds them, as the kernel does.
      .filter((a) => !LOOPBACK_DEFAULTS.includes(a));
    if (addresses.length === 0) return [];
    const loopback = name === 'lo';
    return [{ name, addresses, ...(loopback ? {} : { link }) }];
  });
}

const LOOPBACK_DEFAULTS = ['127.0.0.1/8', '::1/128'];

const ROUTE_TYPES = new Set(['unicast', 'local', 'blackhole', 'unreachable']);

/** The routes the engine would not derive from the addresses itself. */
export function parseRoutes(text: string | undefined, family: 'ipv4' | 'ipv6'): RouteConfig[] {
  return jsonArray(text).flatMap((r): RouteConfig[] => {
    const type = typeof r.type === 'string' ? r.type : 'unicast';
    const table = tableNumber(r.table);
    const dst = String(r.dst ?? '');
    if (!ROUTE_TYPES.has(type) || table === undefined || table === 255) return [];
    if (r.protocol === 'kernel' || dst.startsWith('fe80:') || dst.startsWith('ff00:')) return [];
    const destination = dst === 'default' && family === 'ipv6' ? '::/0' : dst;
    return [
      {
        destination,
        dev: String(r.dev ?? 'lo'),
        ...(typeof r.gateway === 'string' ? { via: r.gateway } : {}),
        ...(type === 'unicast' ? {} : { type: type as RouteConfig['type'] }),
        ...(table === 254 ? {} : { table }),
        ...(typeof r.prefsrc === 'string' ? { src: r.prefsrc } : {}),
      },
    ];
  });
}

/** The kernel's own rules, which the engine always has. */
const DEFAULT_RULES = new Set(['0 255', '32766 254', '32767 253']);

/** The ip rules of every family, each once (a fwmark rule is usually in both). */
export function parseIpRules(texts: readonly (string | undefined)[]): IpRuleConfig[] {
  const seen = new Set<string>();
  const out: IpRuleConfig[] = [];
  for (const r of texts.flatMap(jsonArray)) {
    const table = tableNumber(r.table);
    const priority = Number(r.priority ?? 0);
    if (table === undefined || DEFAULT_RULES.has(`${priority} ${table}`)) continue;
    const mark =
      r.fwmark === undefined
        ? undefined
        : `${String(r.fwmark)}${r.fwmask === undefined ? '' : `/${String(r.fwmask)}`}`;
    const prefix = (key: string, len: string) =>
      typeof r[key] === 'string' && r[key] !== 'all'
        ? `${r[key]}${r[len] === undefined ? '' : `/${String(r[len])}`}`
        : undefined;
    const rule: IpRuleConfig = {
      priority,
      table,
      ...(mark === undefined ? {} : { fwmark: mark }),
      ...(prefix('src', 'srclen') === undefined ? {} : { from: prefix('src', 'srclen') }),
      ...(prefix('dst', 'dstlen') === undefined ? {} : { to: prefix('dst', 'dstlen') }),
    };
    const key = JSON.stringify(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rule);
  }
  return out;
}
