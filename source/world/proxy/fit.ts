/**
 * The proxy nfdb models for a ruleset: the preset the user names (`--proxy kuma`), or the one the
 * rules were written for (inferred), with the user's overrides on top; and what nfdb says about
 * it: what it assumed and from which rules, and where the rules and the proxy disagree.
 */
import type { Diagnostic, NftRuleset, Ruleset } from '../../model/index.js';
import { inferProxy } from './infer.js';
import { defined } from './inferred.js';
import { misfits } from './misfits.js';
import { PRESETS, type PresetName, type ProxyParams } from './presets.js';

/** The parts of the proxy the command line sets (`--proxy-uid`, `--inbound-port`, ...). */
export type ProxyOverrides = Partial<
  Pick<ProxyParams, 'uid' | 'gid' | 'inboundPort' | 'outboundPort' | 'mark' | 'inboundBind'>
>;

export interface ProxyChoice {
  /** `--proxy NAME`: no inference then, the preset as it is. */
  readonly preset?: PresetName;
  readonly overrides: ProxyOverrides;
  /** The rules' file, for the positions of what nfdb says. */
  readonly file: string;
  /** The host's nft tables, read for the proxy beside its iptables rules. */
  readonly nft?: NftRuleset;
}

export interface FittedProxy {
  readonly params: ProxyParams;
  /** What nfdb assumed and why, one sentence a line, for `nfdb run` and the UI. */
  readonly lines: readonly string[];
  /** The same as warnings at the rules' positions, beside the parser's diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** The app's ports the rules capture inbound (empty: every port). */
  readonly inboundPorts: readonly number[];
  /** The rules send DNS to the proxy's DNS port. */
  readonly dns: boolean;
  /** The resolver address the rules capture DNS to, if they name one. */
  readonly dnsAddress?: string;
}

/** `envoy: uid 1337, gid 1337, inbound 15006, outbound 15001, from 127.0.0.6, mark 0x539` */
export function describeProxy(p: ProxyParams): string {
  const parts = [
    `uid ${p.uid}`,
    `gid ${p.gid}`,
    `inbound ${p.inboundPort}`,
    `outbound ${p.outboundPort}`,
    ...(p.inboundBind ? [`inbound from ${p.inboundBind}`] : []),
    ...(p.mark === undefined ? [] : [`socket mark 0x${p.mark.toString(16)}`]),
    ...(p.tproxyMark === undefined ? [] : [`TPROXY mark ${p.tproxyMark}`]),
  ];
  return `${p.process} (${parts.join(', ')})`;
}

export { defined } from './inferred.js';

const FLAG_OF: Readonly<Record<keyof ProxyOverrides, string>> = {
  uid: '--proxy-uid',
  gid: '--proxy-gid',
  inboundPort: '--inbound-port',
  outboundPort: '--outbound-port',
  mark: '--proxy-mark',
  inboundBind: '--inbound-bind',
};

function diagnostic(file: string, message: string, pos?: Diagnostic['pos']): Diagnostic {
  return { severity: 'warning', message, pos: pos ?? { file, line: 1, column: 1 } };
}

export function fitProxy(rulesets: readonly Ruleset[], choice: ProxyChoice): FittedProxy {
  const inferred = choice.preset === undefined ? inferProxy(rulesets, choice.nft) : undefined;
  const presetName = choice.preset ?? inferred?.preset;
  const base = presetName ? PRESETS[presetName] : undefined;
  const fallback: ProxyParams = { ...PRESETS.istio.params, process: 'proxy' };
  const params: ProxyParams = {
    ...(base?.params ?? fallback),
    ...defined(inferred?.params ?? {}),
    ...defined(choice.overrides),
    // --inbound-bind with an IPv6 address is the bind of the proxy's IPv6 connections.
    ...(choice.overrides.inboundBind?.includes(':')
      ? { inboundBind: base?.params.inboundBind, inboundBind6: choice.overrides.inboundBind }
      : {}),
  };
  const lines: string[] = [];
  const diagnostics: Diagnostic[] = [];
  // A line as `nfdb run` prints it; as a diagnostic, without its indent or `warning: `.
  const say = (line: string, pos?: Diagnostic['pos']) => {
    lines.push(line);
    diagnostics.push(diagnostic(choice.file, line.trim().replace(/^warning: /, ''), pos));
  };
  const how =
    choice.preset !== undefined
      ? `--proxy ${choice.preset}`
      : base
        ? `inferred from the rules (${inferred?.presetReason})`
        : 'inferred from the rules, no mesh recognised';
  say(`proxy: ${base?.title ?? 'a transparent proxy'}, ${how}: ${describeProxy(params)}`);
  for (const e of inferred?.evidence ?? []) say(`  ${e.what}: ${e.text}`, e.origin);
  for (const key of Object.keys(defined(choice.overrides)) as (keyof ProxyOverrides)[])
    say(`  ${key} ${String(choice.overrides[key])}: ${FLAG_OF[key]}`);
  if (inferred && !inferred.capturesInbound)
    say('  the rules send no connection from outside the pod to the proxy inbound');
  if (inferred && !inferred.capturesOutbound)
    say('  the rules send none of the app’s connections out to the proxy');
  const given = (key: 'uid') =>
    inferred?.params[key] !== undefined || choice.overrides[key] !== undefined;
  if (base?.caveat && !(base.caveatUnlessGiven && given(base.caveatUnlessGiven)))
    say(`  ${base.caveat}`);
  for (const m of misfits(rulesets, params, choice.nft)) say(`warning: ${m.message}`, m.origin);
  return {
    params,
    lines,
    diagnostics,
    inboundPorts: inferred?.inboundPorts ?? [],
    dns: inferred?.params.dnsPort !== undefined,
    ...(inferred?.dnsAddress === undefined ? {} : { dnsAddress: inferred.dnsAddress }),
  };
}
