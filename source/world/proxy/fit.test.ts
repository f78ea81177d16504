import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ruleset, Scenario } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { bookinfoScenario } from '../scenarios/bookinfo.js';
import { simulate } from '../simulate.js';
import { fitProxy } from './fit.js';
import { fitPod } from './pod.js';
import { type PRESET_NAMES, PRESETS } from './presets.js';

const CORPUS = join(import.meta.dirname, '../../../test/corpus');

function corpus(file: string): readonly Ruleset[] {
  return parseRules(readFileSync(join(CORPUS, file), 'utf8'), { file }).rulesets;
}

function rules(text: string): readonly Ruleset[] {
  return parseRules(text, { file: 'mine.rules' }).rulesets;
}

/** The built-in pod with these rules and the proxy fitted to them, as `--rules` builds it. */
function podWith(rulesets: readonly Ruleset[], preset?: (typeof PRESET_NAMES)[number]) {
  const builtin = bookinfoScenario();
  const withRules: Scenario = {
    ...builtin,
    world: {
      ...builtin.world,
      hosts: builtin.world.hosts.map((h) => (h.rulesets.length > 0 ? { ...h, rulesets } : h)),
    },
  };
  const fitted = fitProxy(rulesets, { preset, overrides: {}, file: 'mine.rules' });
  return {
    fitted,
    scenario: fitPod(withRules, {
      proxy: fitted.params,
      dns: fitted.dns,
      v6: false,
      inboundPorts: fitted.inboundPorts,
    }),
  };
}

const loops = (s: Scenario) => simulate(s).findings.filter((f) => f.kind === 'loop');

describe('presets', () => {
  it('give each mesh its proxy: uid, ports and mark', () => {
    expect(PRESETS.istio.params).toMatchObject({ uid: 1337, gid: 1337, inboundPort: 15006 });
    expect(PRESETS.istio.params.inboundBind6).toBe('::6');
    expect(PRESETS['istio-ambient'].params).toMatchObject({ mark: 0x539, outboundPort: 15001 });
    expect(PRESETS.linkerd.params).toMatchObject({
      uid: 2102,
      inboundPort: 4143,
      outboundPort: 4140,
    });
    expect(PRESETS.kuma.params).toMatchObject({
      uid: 5678,
      inboundPort: 15006,
      outboundPort: 15001,
    });
    expect(PRESETS.consul.params).toMatchObject({ inboundPort: 20000, outboundPort: 15001 });
  });
});

describe('fitProxy', () => {
  it('takes a named preset as it is, the overrides on top, and says where each came from', () => {
    const f = fitProxy(corpus('kuma/ubuntu-24-04-default.iptables-nft.rules'), {
      preset: 'linkerd',
      overrides: { uid: 5678, outboundPort: 15001 },
      file: 'k.rules',
    });
    expect(f.params).toMatchObject({ process: 'linkerd-proxy', uid: 5678, outboundPort: 15001 });
    expect(f.lines[0]).toMatch(/^proxy: Linkerd \(linkerd2-proxy\), --proxy linkerd: /);
    expect(f.lines).toContain('  uid 5678: --proxy-uid');
    expect(f.lines).toContain('  outboundPort 15001: --outbound-port');
  });

  it('warns, naming the rule, where the rules let out a mark the proxy does not set', () => {
    const f = fitProxy(corpus('istio/cni-inpod-default.rules'), {
      preset: 'istio',
      overrides: {},
      file: 'istio/cni-inpod-default.rules',
    });
    const warning = f.diagnostics.find((d) => d.message.includes('by mark 0x539/0xfff'));
    expect(warning?.severity).toBe('warning');
    expect(warning?.pos.line).toBe(19);
    expect(warning?.message).toContain('envoy sets no mark (--proxy-mark sets it)');
    const marked = fitProxy(corpus('istio/cni-inpod-default.rules'), {
      preset: 'istio',
      overrides: { mark: 0x539 },
      file: 'x',
    });
    expect(marked.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  it('warns of a gid the proxy lacks, and of a cgroup, which nfdb never models', () => {
    const f = fitProxy(
      rules(
        [
          'iptables -t nat -A OUTPUT -m owner --gid-owner 777 -j RETURN',
          'iptables -t nat -A OUTPUT -m cgroup --path proxy.slice -j RETURN',
          'iptables -t nat -A OUTPUT -p tcp -j REDIRECT --to-ports 15001',
        ].join('\n'),
      ),
      { preset: 'istio', overrides: {}, file: 'mine.rules' },
    );
    const warnings = f.diagnostics.filter((d) => d.message.startsWith('the rules let out'));
    expect(warnings.map((d) => d.pos.line)).toEqual([1, 2]);
    expect(warnings[0]?.message).toContain('by gid 777');
    expect(warnings[1]?.message).toContain('nfdb does not model cgroups');
  });

  it('warns when nothing lets the proxy out of its own capture', () => {
    const f = fitProxy(corpus('linkerd/proxy-init-fresh-install.cmds'), {
      overrides: {},
      file: 'l',
    });
    expect(
      f.lines.some((l) => l.startsWith("warning: the rules let none of the proxy's own")),
    ).toBe(true);
  });
});

describe('fitProxy on nft tables', () => {
  const nft = (file: string, text = readFileSync(join(CORPUS, file), 'utf8')) => {
    const parsed = parseRules(text, { file });
    if (!parsed.nft) throw new Error(`${file}: no nft tables`);
    return parsed.nft;
  };

  it('warns, naming the nft rule, where they let out a mark the proxy does not set', () => {
    const file = 'istio/nft-cni-inpod-default.nft';
    const f = fitProxy([], { preset: 'istio', overrides: {}, file, nft: nft(file) });
    const warning = f.diagnostics.find((d) => d.message.includes('by mark 0x539/0xfff'));
    expect(warning?.severity).toBe('warning');
    expect(warning?.pos.line).toBe(16);
    expect(warning?.message).toContain('inet istio-ambient-nat istio-output');
    expect(warning?.message).toContain('envoy sets no mark (--proxy-mark sets it)');
    const marked = fitProxy([], {
      preset: 'istio',
      overrides: { mark: 0x539 },
      file,
      nft: nft(file),
    });
    expect(marked.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  it('warns of a uid the proxy lacks, and when nothing lets the proxy out', () => {
    const file = 'istio/nft-capture-dns-uid-gid.nft';
    const f = fitProxy([], { preset: 'istio', overrides: {}, file, nft: nft(file) });
    expect(f.lines.find((l) => l.includes('by uid 3'))).toContain('envoy runs as uid 1337');
    const none = nft(
      'none.nft',
      [
        'add table inet t',
        'add chain inet t output { type nat hook output priority -100 ; }',
        'add rule inet t output meta l4proto tcp redirect to :15001',
      ].join('\n'),
    );
    const bare = fitProxy([], { preset: 'istio', overrides: {}, file: 'none.nft', nft: none });
    expect(bare.lines).toContain(
      "warning: the rules let none of the proxy's own connections out of the capture (no owner or mark rule in nat OUTPUT before none.nft:3: inet t output 1: meta l4proto tcp redirect to :15001): the proxy's connections out are sent back to it",
    );
  });
});

describe('the built-in pod with the proxy the rules were written for', () => {
  it.each([
    'istio/cni-inpod-default.rules',
    'kuma/ubuntu-24-04-default.iptables-nft.rules',
    'consul/redirect-traffic-dns-ip-port.cmds',
  ])('%s: no loop, and the proxy takes both connections', (file) => {
    const { scenario, fitted } = podWith(corpus(file));
    expect(loops(scenario)).toEqual([]);
    const trace = simulate(scenario);
    const proxied = trace.steps.filter(
      (s) =>
        s.kind === 'process' &&
        s.event.kind === 'proxies' &&
        s.event.process === fitted.params.process,
    );
    expect(
      proxied.map((s) => (s.kind === 'process' && s.event.kind === 'proxies' ? s.event.side : '')),
    ).toEqual(['inbound', 'outbound']);
  });

  it('loops with the built-in envoy where ztunnel does not: its SO_MARK is what the rules let out', () => {
    expect(loops(podWith(corpus('istio/cni-inpod-default.rules'), 'istio').scenario)).not.toEqual(
      [],
    );
  });
});
