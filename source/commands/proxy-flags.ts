/**
 * The proxy and traffic flags (`--proxy kuma --proxy-uid 5678 --to 10.0.0.3:80 --from app`), read
 * into what the world layer takes. A value that cannot be one is misuse (exit 2), said with the
 * flag and what it expects.
 */
import { defined, type ProxyOverrides } from '../world/proxy/fit.js';
import { isPresetName, PRESET_NAMES, type PresetName } from '../world/proxy/presets.js';
import {
  parseEndpoint,
  SENDERS,
  type Sender,
  type TrafficRequest,
} from '../world/traffic-flags.js';

export interface ProxyFlags {
  readonly preset?: PresetName;
  readonly overrides: ProxyOverrides;
  readonly traffic?: TrafficRequest;
  /** Whether any proxy or traffic flag was given. */
  readonly any: boolean;
}

class Misuse extends Error {}

const ID = { min: 0, max: 0xffff_fffe, what: 'an id from 0 to 4294967294' };
const PORT = { min: 1, max: 65535, what: 'a port from 1 to 65535' };
const MARK = { min: 0, max: 0xffff_ffff, what: 'a mark, 0x539 or 1337' };

function integer(flag: string, value: unknown, range: typeof ID): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max)
    throw new Misuse(`${flag} ${JSON.stringify(text)}: expected ${range.what}`);
  return n;
}

function oneOf<T extends string>(
  flag: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new Misuse(`${flag} ${JSON.stringify(String(value))}: expected ${allowed.join(', ')}`);
  return found;
}

function address(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (parseEndpoint(`${text.includes(':') ? `[${text}]` : text}:1`) === undefined)
    throw new Misuse(`${flag} ${JSON.stringify(text)}: expected an IPv4 or IPv6 address`);
  return text;
}

function endpoints(value: unknown) {
  const list = Array.isArray(value) ? value.map(String) : [];
  return list.map((text) => {
    const e = parseEndpoint(text);
    if (!e) throw new Misuse(`--to ${JSON.stringify(text)}: expected ADDRESS:PORT, [IPv6]:PORT`);
    return e;
  });
}

function read(flags: Readonly<Record<string, unknown>>): ProxyFlags {
  const proxy = flags.proxy;
  if (proxy !== undefined && !isPresetName(String(proxy)))
    throw new Misuse(
      `--proxy ${JSON.stringify(String(proxy))}: expected ${PRESET_NAMES.join(', ')}`,
    );
  const overrides: ProxyOverrides = defined({
    uid: integer('--proxy-uid', flags.proxyUid, ID),
    gid: integer('--proxy-gid', flags.proxyGid, ID),
    inboundPort: integer('--inbound-port', flags.inboundPort, PORT),
    outboundPort: integer('--outbound-port', flags.outboundPort, PORT),
    mark: integer('--proxy-mark', flags.proxyMark, MARK),
    inboundBind: address('--inbound-bind', flags.inboundBind),
  });
  const to = endpoints(flags.to);
  const request = defined({
    from: oneOf<Sender>('--from', flags.from, SENDERS),
    proto: oneOf('--proto', flags.proto, ['tcp', 'udp'] as const),
    uid: integer('--uid', flags.uid, ID),
    gid: integer('--gid', flags.gid, ID),
  });
  if (to.length === 0 && Object.keys(request).length > 0)
    throw new Misuse(
      '--from, --proto, --uid and --gid describe the traffic of --to ADDR:PORT: give --to',
    );
  const traffic = to.length > 0 ? { to, ...request } : undefined;
  return {
    ...(proxy === undefined ? {} : { preset: String(proxy) as PresetName }),
    overrides,
    ...(traffic ? { traffic } : {}),
    any: proxy !== undefined || Object.keys(overrides).length > 0 || traffic !== undefined,
  };
}

export function readProxyFlags(
  flags: Readonly<Record<string, unknown>>,
): { ok: true; value: ProxyFlags } | { ok: false; message: string } {
  try {
    return { ok: true, value: read(flags) };
  } catch (error) {
    if (error instanceof Misuse) return { ok: false, message: error.message };
    throw error;
  }
}
