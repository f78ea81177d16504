/** What inference says about a proxy, whichever front end wrote the rules (infer.ts, infer-nft.ts). */
import type { SourcePos } from '../../model/index.js';
import type { PresetName, ProxyParams } from './presets.js';

/** One value nfdb inferred, and the rule that says it (where it stands, as the user finds it). */
export interface Evidence {
  /** The parameter it sets. */
  readonly param: keyof ProxyParams;
  readonly what: string;
  /** `FILE:LINE: nat ISTIO_OUTPUT 6: -p tcp -j REDIRECT --to-ports 15001`, or nft's words. */
  readonly text: string;
  readonly origin: SourcePos;
}

export type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

export interface Inferred {
  /** The mesh the rules belong to, if they say it (chain names, or the proxy's uid). */
  readonly preset?: PresetName;
  readonly presetReason?: string;
  readonly params: Mutable<ProxyParams>;
  readonly evidence: readonly Evidence[];
  /** The app's ports the rules capture inbound (none: every port). */
  readonly inboundPorts: readonly number[];
  /** Where the rules capture DNS to, when they say (`-d 127.0.0.53 --dport 53 -j REDIRECT`). */
  readonly dnsAddress?: string;
  /** Whether the rules send any inbound or outbound connection to the proxy at all. */
  readonly capturesInbound: boolean;
  readonly capturesOutbound: boolean;
}

/** The id the preset expects if the rules name it, else the last one they name. */
export function pickId<T extends { id: number }>(
  found: readonly T[],
  preferred?: number,
): T | undefined {
  return found.find((f) => f.id === preferred) ?? found[found.length - 1];
}

/** The object without its undefined values, so that spreading it overrides only what is set. */
export const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
