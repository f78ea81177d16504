import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NftRuleset } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { type Inferred, inferProxy } from './infer.js';

const CORPUS = join(import.meta.dirname, '../../../test/corpus');

function parsed(text: string, file: string) {
  const p = parseRules(text, { file });
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return p;
}

function nft(text: string, file = 'mine.nft'): NftRuleset {
  const tables = parsed(text, file).nft;
  if (!tables) throw new Error(`${file} is not nft`);
  return tables;
}

const corpus = (file: string) => nft(readFileSync(join(CORPUS, file), 'utf8'), file);

/** Each inferred value with the line of the rule it came from. */
const said = (i: Inferred) => i.evidence.map((e) => `${e.what} @${e.origin.line}`);

describe('inferProxy on nft tables', () => {
  it("knows Istio's native sidecar: ports, uid, gid, TPROXY mark and the bind, each from its rule", () => {
    const i = inferProxy([], corpus('istio/nft-capture-tproxy.nft'));
    expect(i.preset).toBe('istio');
    expect(i.presetReason).toBe('table istio-proxy-nat');
    expect(i.params).toMatchObject({
      uid: 1337,
      gid: 1337,
      inboundPort: 15006,
      outboundPort: 15001,
      tproxyMark: 1337,
      dnsPort: 15053,
      inboundBind: '127.0.0.6',
    });
    expect(said(i)).toEqual([
      'outbound port 15001 @13',
      'inbound port 15006 @44',
      'TPROXY mark 1337 @44',
      'DNS proxy port 15053 @27',
      'uid 1337 @21',
      'gid 1337 @25',
      'inbound source 127.0.0.6 @16',
    ]);
    expect(i.dnsAddress).toBe('127.0.0.53');
  });

  it('names the rule as nft users find it: table, chain, position and its nft text', () => {
    const i = inferProxy([], corpus('istio/nft-capture-tproxy.nft'));
    expect(i.evidence.find((e) => e.param === 'uid')?.text).toBe(
      'istio/nft-capture-tproxy.nft:21: inet istio-proxy-nat istio-output 6: skuid 1337 counter return',
    );
  });

  it("knows Istio's ambient in-pod tables by the mark 0x539 their redirects spare", () => {
    const i = inferProxy([], corpus('istio/nft-cni-inpod-default.nft'));
    expect(i.preset).toBe('istio-ambient');
    expect(i.params).toMatchObject({ mark: 0x539, inboundPort: 15006, outboundPort: 15001 });
    expect(i.params.uid).toBeUndefined();
    expect(said(i)).toContain('socket mark 0x539 @16');
    expect(said(i)).toContain('DNS proxy port 15053 @12');
  });

  it('reads a proxy of no known mesh from its skuid, and the inbound ports a prerouting redirect captures', () => {
    const i = inferProxy(
      [],
      nft(
        [
          'add table ip mesh',
          'add chain ip mesh pre { type nat hook prerouting priority dstnat ; }',
          'add chain ip mesh out { type nat hook output priority -100 ; }',
          'add rule ip mesh pre tcp dport { 8080, 8443 } redirect to :7000',
          'add rule ip mesh out meta skuid 4242 return',
          'add rule ip mesh out meta l4proto tcp redirect to :7001',
        ].join('\n'),
      ),
    );
    expect(i.preset).toBeUndefined();
    expect(i.params).toMatchObject({ inboundPort: 7000, outboundPort: 7001, uid: 4242, gid: 4242 });
    expect(i.inboundPorts).toEqual([8080, 8443]);
  });

  it("on a mixed host, iptables' word comes first and the nft tables fill in the rest", () => {
    const iptables = parsed(
      'iptables -t nat -A OUTPUT -m owner --uid-owner 999 -j RETURN\n',
      'mine.rules',
    ).rulesets;
    const i = inferProxy(iptables, corpus('istio/nft-capture-tproxy.nft'));
    expect(i.preset).toBe('istio');
    expect(i.params).toMatchObject({ uid: 999, outboundPort: 15001 });
    expect(i.evidence.filter((e) => e.param === 'uid').map((e) => e.origin.file)).toEqual([
      'mine.rules',
    ]);
  });
});
