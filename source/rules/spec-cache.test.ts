import { describe, expect, it } from 'vitest';
import type { ModuleOption } from '../model/index.js';
import type { ExtensionText } from '../netfilter/vocabulary.js';
import { NO_VALUES, SpecCache } from './spec-cache.js';

/** A module that counts its parses and refuses the value "bad". */
function countingModule() {
  const module = {
    calls: 0,
    name: 'counting',
    options: { port: { canonical: 'port', arity: 1 } },
    parse(options: readonly ModuleOption[]) {
      module.calls++;
      const v = options[0]?.values[0];
      return v === 'bad'
        ? { ok: false as const, message: 'bad value' }
        : { ok: true as const, data: { port: Number(v) } };
    },
    save: () => '',
    list: () => '',
  };
  return module;
}

describe('SpecCache shares equal values within one load', () => {
  it('gives one value array per equal option values, and the shared empty array for none', () => {
    const cache = new SpecCache();
    const a = cache.values('dport', ['80']);
    expect(cache.values('dport', ['80'])).toBe(a);
    expect(cache.values('dport', ['443'])).not.toBe(a);
    const many = cache.values('ports', ['1', '2']);
    expect(cache.values('ports', ['1', '2'])).toBe(many);
    expect(cache.values('dport', [])).toBe(NO_VALUES);
  });

  it('gives one option object per name, `!` and value array', () => {
    const cache = new SpecCache();
    const values = cache.values('dport', ['80']);
    const plain = cache.option('dport', false, values);
    expect(cache.option('dport', false, values)).toBe(plain);
    expect(cache.option('dport', true, values)).toEqual({ name: 'dport', values, negated: true });
    expect(cache.option('dport', true, values)).not.toBe(plain);
    const one = cache.option1('dport', false, '80');
    expect(one).toEqual({ name: 'dport', values: ['80'], negated: false });
    expect(cache.option1('dport', false, '80')).toBe(one);
  });

  it('interns names, and takes a chain of the table being read by its own string', () => {
    const cache = new SpecCache();
    const chainName = ['KUBE', 'SVC'].join('-');
    cache.chains = new Map([['KUBE-SVC', { name: chainName }]]);
    expect(cache.intern('KUBE-SVC')).toBe(chainName);
    const first = cache.intern(['MY', 'CHAIN'].join('_'));
    expect(cache.intern('MY_CHAIN')).toBe(first);
  });

  it('keeps generic values per kind and `!`', () => {
    const cache = new SpecCache();
    const tcp = { value: 'tcp', negated: false };
    expect(cache.generic('protocol', false, 'tcp')).toBeUndefined();
    cache.keepGeneric('protocol', 'tcp', tcp);
    expect(cache.generic('protocol', false, 'tcp')).toBe(tcp);
    expect(cache.generic('protocol', true, 'tcp')).toBeUndefined();
    expect(cache.generic('interface', false, 'tcp')).toBeUndefined();
  });

  it("parses equal options once per family, and never keeps a module's refusal", () => {
    const cache = new SpecCache();
    const module = countingModule();
    const text = module as unknown as ExtensionText<unknown>;
    const opts = [cache.option1('port', false, '80')];
    const first = cache.parse(text, opts, 'ipv4');
    expect(first).toEqual({ ok: true, data: { port: 80 } });
    expect(cache.parse(text, [cache.option1('port', false, '80')], 'ipv4')).toBe(first);
    expect(module.calls).toBe(1);
    cache.parse(text, opts, 'ipv6');
    expect(module.calls).toBe(2);
    const bad = [cache.option1('port', false, 'bad')];
    expect(cache.parse(text, bad, 'ipv4')).toMatchObject({ ok: false, message: 'bad value' });
    cache.parse(text, bad, 'ipv4');
    expect(module.calls).toBe(4);
  });

  it('stops sharing what is new every time (after a trial of 512 uses, under a quarter hits)', () => {
    const cache = new SpecCache();
    for (let i = 0; i < 512; i++) cache.values('to-destination', [`10.0.0.${i}`]);
    const list = ['10.0.0.1'];
    // Off: the array given is the array returned, even for a value seen before.
    expect(cache.values('to-destination', list)).toBe(list);
    // Another option keeps its own sharing.
    const kept = cache.values('dport', ['80']);
    expect(cache.values('dport', ['80'])).toBe(kept);
  });
});
