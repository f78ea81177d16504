import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { nftSidecarScenario } from '../../world/test-helpers.js';
import { chainView } from './chain-view.js';
import { CounterCache } from './counter-cache.js';
import { stackText } from './stack-text.js';

const { scenario, nft } = nftSidecarScenario();
const trace = simulate(scenario);

describe('an nft chain in the chain pane', () => {
  it('shows the chain as nft lists it, the rule at the cursor, its counter moving', () => {
    const cursor = trace.steps.findIndex(
      (s) => s.kind === 'rule' && s.matched && s.chain === 'istio-in-redirect',
    );
    const view = chainView(scenario, trace, cursor, new CounterCache(trace));
    expect(view?.table).toBe('inet istio-proxy-nat');
    expect(view?.header).toBe('table inet istio-proxy-nat chain istio-in-redirect');
    expect(view?.currentRow).toBe(0);
    const row = view?.rowAt(0);
    expect(row).toMatchObject({ current: true, matched: true, moved: true });
    expect(row?.text).toBe(
      'meta l4proto tcp counter packets 1 bytes 60 redirect to :15006 # handle 10',
    );
  });

  it('shows a base chain with its hook, priority and policy', () => {
    const cursor = trace.steps.findIndex(
      (s) => s.kind === 'rule' && s.chain === 'prerouting' && s.table.name === 'istio-proxy-nat',
    );
    const view = chainView(scenario, trace, cursor, new CounterCache(trace));
    expect(view?.header).toBe(
      'table inet istio-proxy-nat chain prerouting { type nat hook prerouting priority -100; policy accept; }',
    );
  });

  it('at a hook step, before any rule, shows the base chain the first nft table runs there', () => {
    const cursor = trace.steps.findIndex(
      (s) => s.kind === 'hook' && s.host === 'reviews' && s.hook === 'OUTPUT',
    );
    const view = chainView(scenario, trace, cursor, new CounterCache(trace));
    expect(view?.header).toBe(
      'table inet istio-proxy-nat chain output { type nat hook output priority -100; policy accept; }',
    );
    expect(view?.currentRow).toBeUndefined();
    expect(view?.rowAt(0)?.text).toContain('jump istio-output');
  });

  it('browses the nft chains of the host with { }', () => {
    const cursor = trace.steps.findIndex((s) => s.kind === 'hook' && s.host === 'reviews');
    const names = [0, 1, 2].map((browse) =>
      chainView(scenario, trace, cursor, new CounterCache(trace), undefined, browse),
    );
    expect(names.map((v) => v?.chain)).toEqual(
      nft.tables[0]?.chains.slice(0, 3).map((c) => c.name),
    );
    expect(names[1]?.browsing).toEqual({ index: 1, count: nft.tables[0]?.chains.length });
  });

  it('names the call stack of an nft chain by family and table, as nft list does', () => {
    const at = trace.steps.find(
      (s) => s.kind === 'rule' && s.matched && s.chain === 'istio-in-redirect',
    );
    expect(stackText(at)).toBe(
      'inet istio-proxy-nat prerouting › istio-inbound › istio-in-redirect',
    );
    const iptables = simulate(bookinfoScenario());
    const nat = iptables.steps.find((s) => s.kind === 'rule' && s.chain === 'ISTIO_INBOUND');
    expect(stackText(nat)).toBe('nat PREROUTING › ISTIO_INBOUND');
  });
});
