/**
 * The scenario `run` and the UI work on: a scenario file, or the built-in pod with the user's
 * rules (`--rules FILE`, `-` for standard input), the proxy those rules were written for (named
 * with `--proxy` or inferred) and the user's traffic (`--to`). What nfdb assumed about the proxy
 * comes back as lines to show before the findings, and as warnings beside the parser's.
 */
import { readRulesText } from '../io/read-rules.js';
import type { Diagnostic, Ruleset, Scenario } from '../model/index.js';
import { formatDiagnostic, parseRules } from '../rules/index.js';
import { firstService, isKubeProxy, withKubeJumps } from '../world/kube-proxy.js';
import { fitProxy } from '../world/proxy/fit.js';
import { fitPod } from '../world/proxy/pod.js';
import type { SnapshotFile } from '../world/snapshot-schema.js';
import type { TrafficRequest } from '../world/traffic-flags.js';
import type { Session } from '../world/what-if-session.js';
import type { CommandContext } from './context.js';
import { EXIT_BAD_INPUT, EXIT_MISUSE, maxSize } from './context.js';
import { hostsOf } from './flags.js';
import { type ProxyFlags, readProxyFlags } from './proxy-flags.js';
import { pickScenario } from './scenario.js';

export type UserScenario =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      /** What nfdb assumed about the proxy, a sentence a line. */
      readonly proxyLines: readonly string[];
      /** The parser's diagnostics, then nfdb's warnings about the proxy (for the UI). */
      readonly diagnostics: readonly Diagnostic[];
      /** The snapshot the scenario came from (a scenario file is one), and its file. */
      readonly snapshot?: SnapshotFile;
      readonly file?: string;
      /** The snapshot's edits as a what-if, when the scenario is its run (no --rules). */
      readonly whatIf?: Session;
    }
  | { readonly ok: false; readonly code: number };

/**
 * The host whose rules --rules replaces: the first with a ruleset. In the built-in scenario only
 * the sidecar pod (reviews) has rules; the others are plain pods the traffic starts and ends in.
 */
export function rulesHost(scenario: Scenario) {
  return scenario.world.hosts.find((h) => h.rulesets.length > 0 || h.nft !== undefined);
}

/** How the rules were loaded, for the scenario's name: ` (as iptables-nft loads it)`. */
function loadedAs(rulesets: readonly Ruleset[]): string {
  const backends = [...new Set(rulesets.map((r) => r.backend ?? 'legacy'))];
  return backends.length > 0
    ? ` (as ${backends.map((b) => `iptables-${b}`).join(' and ')} loads it)`
    : '';
}

/** The sidecar pod of the scenario gets the user's rules instead of the blog's. */
async function withRules(ctx: CommandContext, scenario: Scenario, file: string) {
  const target = rulesHost(scenario);
  if (!target) {
    ctx.stderr.write(`nfdb: --rules ${file}: no host of the scenario has rules to replace\n`);
    return undefined;
  }
  const read = await readRulesText(file, ctx.stdin, maxSize(ctx));
  if (!read.ok) {
    ctx.stderr.write(`${read.message}\n`);
    return undefined;
  }
  const shown = file === '-' ? '<stdin>' : file;
  const parsed = parseRules(read.text, {
    file: shown,
    format: ctx.flags.format as never,
    table: ctx.flags.table as never,
    backend: ctx.flags.backend as never,
    hosts: hostsOf(ctx.flags),
  });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  for (const d of parsed.diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
  if (errors.length > 0) return undefined;
  const hosts = scenario.world.hosts.map((h) => {
    if (h !== target) return h;
    const { nft: _old, ...rest } = h;
    return parsed.nft
      ? { ...rest, rulesets: [], nft: parsed.nft }
      : { ...rest, rulesets: parsed.rulesets };
  });
  const how = parsed.nft ? ' (as nft -f loads it)' : loadedAs(parsed.rulesets);
  const world = {
    ...scenario.world,
    name: `${shown}${how} in the ${target.name} sidecar pod`,
    hosts,
  };
  return { scenario: { ...scenario, world }, diagnostics: parsed.diagnostics, file: shown };
}

/** The built-in pod's proxy and traffic, fitted to its rules and the flags. */
function fitted(given: Scenario, givenFlags: ProxyFlags, file: string) {
  const kube = kubeFitted(given, givenFlags);
  const { scenario, flags } = kube;
  const host = rulesHost(scenario);
  const rulesets = host?.rulesets ?? [];
  const proxy = fitProxy(rulesets, {
    preset: flags.preset,
    overrides: flags.overrides,
    file,
    ...(host?.nft ? { nft: host.nft } : {}),
  });
  const v6 = rulesets.length > 0 && rulesets.every((r) => r.family === 'ipv6');
  const pod = fitPod(scenario, {
    proxy: proxy.params,
    dns: proxy.dns,
    ...(proxy.dnsAddress === undefined ? {} : { dnsAddress: proxy.dnsAddress }),
    v6,
    inboundPorts: proxy.inboundPorts,
    ...(flags.traffic ? { traffic: flags.traffic } : {}),
  });
  // The title says which proxy, so that the UI shows it too (the lines say why).
  const how = flags.preset === undefined ? 'inferred from the rules' : `--proxy ${flags.preset}`;
  const p = proxy.params;
  const name = `${pod.world.name}, with ${p.process} (uid ${p.uid}) ${how}`;
  return {
    scenario: { ...pod, world: { ...pod.world, name } },
    proxyLines: [...kube.lines, ...proxy.lines],
    diagnostics: proxy.diagnostics,
  };
}

/**
 * kube-proxy's rules: the jumps kube-proxy adds apart from its restore input, and, unless the
 * user sends traffic of their own, a connection from the app to the first Service's ClusterIP.
 */
function kubeFitted(scenario: Scenario, flags: ProxyFlags) {
  const host = rulesHost(scenario);
  if (!host || !isKubeProxy(host.rulesets)) return { scenario, flags, lines: [] };
  const jumped = host.rulesets.map(withKubeJumps);
  const added = jumped.flatMap((j) => j.added);
  const rulesets = jumped.map((j) => j.ruleset);
  const hosts = scenario.world.hosts.map((h) => (h === host ? { ...h, rulesets } : h));
  const lines = added.length
    ? [
        'kube-proxy rules without the jumps into them from the built-in chains (kube-proxy adds those apart from its iptables-restore input): nfdb added them:',
        ...added.map((a) => `  ${a}`),
      ]
    : [];
  const service = flags.traffic ? undefined : firstService(rulesets);
  const traffic: TrafficRequest | undefined = service && {
    to: [{ address: service.address, port: service.port }],
    from: 'app',
    proto: service.protocol,
    virtual: true,
    endpoints: service.endpoints,
  };
  if (service)
    lines.push(
      `traffic: the app to the first Service, ${service.address}:${service.port} (${service.protocol}), from ${service.rule}`,
    );
  return {
    scenario: { ...scenario, world: { ...scenario.world, hosts } },
    flags: traffic ? { ...flags, traffic } : flags,
    lines,
  };
}

export async function userScenario(ctx: CommandContext): Promise<UserScenario> {
  const read = readProxyFlags(ctx.flags);
  if (!read.ok) {
    ctx.stderr.write(`nfdb: ${read.message}\n`);
    return { ok: false, code: EXIT_MISUSE };
  }
  const flags = read.value;
  const fromFile = ctx.args.length > 0 || typeof ctx.flags.open === 'string';
  if (fromFile && flags.any) {
    ctx.stderr.write(
      'nfdb: --proxy, its overrides and --to apply to the built-in pod (with or without --rules), not to a scenario file\n',
    );
    return { ok: false, code: EXIT_MISUSE };
  }
  const picked = await pickScenario(ctx);
  if (!picked.ok) return picked;
  const origin = picked.file === undefined ? {} : { snapshot: picked.snapshot, file: picked.file };
  const rules = ctx.flags.rules;
  if (typeof rules !== 'string')
    return flags.any
      ? { ok: true, ...fitted(picked.scenario, flags, 'istio-sidecar.rules') }
      : {
          ok: true,
          scenario: picked.scenario,
          proxyLines: [],
          diagnostics: [],
          ...origin,
          ...(picked.whatIf && { whatIf: picked.whatIf }),
        };
  const replaced = await withRules(ctx, picked.scenario, rules);
  if (!replaced) return { ok: false, code: EXIT_BAD_INPUT };
  if (fromFile)
    return {
      ok: true,
      scenario: replaced.scenario,
      proxyLines: [],
      diagnostics: replaced.diagnostics,
      ...origin,
    };
  const fit = fitted(replaced.scenario, flags, replaced.file);
  return { ...fit, ok: true, diagnostics: [...replaced.diagnostics, ...fit.diagnostics] };
}
