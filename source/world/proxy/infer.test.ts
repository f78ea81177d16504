import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { type Inferred, inferProxy } from './infer.js';

const CORPUS = join(import.meta.dirname, '../../../test/corpus');

function rules(text: string, file = 'mine.rules'): readonly Ruleset[] {
  const parsed = parseRules(text, { file });
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return parsed.rulesets;
}

const corpus = (file: string) => rules(readFileSync(join(CORPUS, file), 'utf8'), file);

/** Each inferred value with the line of the rule it came from. */
const said = (i: Inferred) => i.evidence.map((e) => `${e.what} @${e.origin.line}`);

describe('inferProxy', () => {
  it('reads the ports from where the REDIRECTs sit, and the uid from the RETURN that lets it out', () => {
    const i = inferProxy(
      rules(
        [
          'iptables -t nat -N IN',
          'iptables -t nat -A IN -p tcp --dport 8080 -j REDIRECT --to-ports 7000',
          'iptables -t nat -A PREROUTING -p tcp -j IN',
          'iptables -t nat -A OUTPUT -m owner --uid-owner 4242 -j RETURN',
          'iptables -t nat -A OUTPUT -p tcp -j REDIRECT --to-ports 7001',
        ].join('\n'),
      ),
    );
    expect(i.preset).toBeUndefined();
    expect(i.params).toMatchObject({ inboundPort: 7000, outboundPort: 7001, uid: 4242, gid: 4242 });
    expect(said(i)).toEqual([
      'outbound port 7001 @5',
      'inbound port 7000 @2',
      'uid 4242 @4',
      "gid 4242 (the uid's, no rule names a gid) @4",
    ]);
    expect(i.inboundPorts).toEqual([8080]);
  });

  it('takes a uid the REDIRECT itself leaves out (! --uid-owner), and the mark a REDIRECT spares', () => {
    const byUid = inferProxy(
      rules(
        'iptables -t nat -A OUTPUT -p tcp -m owner ! --uid-owner 999 -j REDIRECT --to-ports 15001',
      ),
    );
    expect(byUid.params.uid).toBe(999);
    const byMark = inferProxy(
      rules(
        'iptables -t nat -A OUTPUT -p tcp -m mark ! --mark 0x10/0xff -j REDIRECT --to-ports 15001',
      ),
    );
    expect(byMark.params.mark).toBe(0x10);
    expect(byMark.params.uid).toBeUndefined();
  });

  it('knows Istio ambient in-pod rules by their mark 0x539 and chains', () => {
    const i = inferProxy(corpus('istio/cni-inpod-default.rules'));
    expect(i.preset).toBe('istio-ambient');
    expect(i.params).toMatchObject({ mark: 0x539, inboundPort: 15006, outboundPort: 15001 });
    expect(said(i)).toContain('socket mark 0x539 @23');
    expect(said(i)).toContain('DNS proxy port 15053 @19');
  });

  it('knows the Istio sidecar, with TPROXY and its mark', () => {
    const i = inferProxy(corpus('istio/capture-tproxy.rules'));
    expect(i.preset).toBe('istio');
    expect(i.params).toMatchObject({ uid: 1337, gid: 1337, inboundPort: 15006, tproxyMark: 1337 });
    expect(said(i)).toContain('TPROXY mark 1337 @11');
  });

  it('knows Kuma by its chains and uid 5678, and 15001 on bridges as outbound, not inbound', () => {
    const i = inferProxy(corpus('kuma/alpine-3-with-multiple-config-flags.iptables-nft.rules'));
    expect(i.preset).toBe('kuma');
    expect(i.params).toMatchObject({ uid: 5678, inboundPort: 15006, outboundPort: 15001 });
    expect(i.params.inboundBind).toBe('127.0.0.6');
  });

  it("knows Linkerd's proxy-init, which captures nothing inbound", () => {
    const i = inferProxy(corpus('linkerd/proxy-init-fresh-install.cmds'));
    expect(i.preset).toBe('linkerd');
    expect(i.params.outboundPort).toBe(1234);
    expect(i.params.inboundPort).toBeUndefined();
    expect(i.capturesInbound).toBe(false);
  });

  it("takes Consul's proxy uid from its own RETURN, not from the extra uids it exempts", () => {
    const i = inferProxy(corpus('consul/redirect-traffic-exclude-uids-additional-rules.cmds'));
    expect(i.preset).toBe('consul');
    expect(i.params).toMatchObject({ uid: 123, inboundPort: 20000, outboundPort: 21000 });
  });

  it('infers nothing from rules without a REDIRECT', () => {
    const i = inferProxy(rules('*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n'));
    expect(i.evidence).toEqual([]);
    expect(i.capturesOutbound).toBe(false);
  });
});
