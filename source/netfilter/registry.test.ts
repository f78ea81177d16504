/**
 * Every registered module's text, both ways: its examples saved back unchanged, and its `-L`
 * text read back by its own phrases into the same listing. A new module is covered by being
 * registered; its examples are its own (the `examples` of its file).
 */
import { describe, expect, it } from 'vitest';
import type { Family, ModuleOption } from '../model/index.js';
import type { Arg, ListingPhrase } from './listing-phrase.js';
import { tcp } from './matches/tcp.js';
import { MATCHES, register, TARGETS } from './registry.js';
import { optionsOf } from './test-helpers.js';
import type { ExtensionModule } from './vocabulary.js';

const FAMILY: Family = 'ipv4';
const modules: readonly ExtensionModule[] = [...MATCHES.values(), ...TARGETS.values()];

function dataOf(module: ExtensionModule, options: readonly ModuleOption[]): unknown {
  const parsed = module.parse(options, FAMILY);
  if (!parsed.ok) throw new Error(`${module.name} refused: ${parsed.message}`);
  return parsed.data;
}

/** The first phrase that reads `text` at `at`, as the listing reader tries them. */
function phraseAt(phrases: readonly ListingPhrase[], text: string, at: number) {
  for (const phrase of phrases) {
    phrase.pattern.lastIndex = at;
    const m = phrase.pattern.exec(text);
    const args = m ? phrase.args(m, FAMILY) : undefined;
    if (m && args !== undefined && !('lost' in args)) return { args, used: m[0].length, phrase };
  }
  return undefined;
}

/**
 * The module's listing text back to options: a target's text is one phrase to the end of the
 * line; a match's is phrases one after the other, their ranks rising (one `-m`, as listed).
 */
function readBack(module: ExtensionModule, text: string): ModuleOption[] {
  const args: Arg[] = [];
  let at = 0;
  let rank = -1;
  do {
    const found = phraseAt(module.listing, text, at);
    if (!found) throw new Error(`${module.name}: no phrase reads "${text.slice(at)}"`);
    if (module.kind === 'target' && at + found.used !== text.length)
      throw new Error(`${module.name}: the target's phrase leaves "${text.slice(found.used)}"`);
    if (at > 0 && (found.phrase.rank ?? -1) <= rank)
      throw new Error(`${module.name}: "${text.slice(at)}" would start a second -m`);
    rank = found.phrase.rank ?? -1;
    args.push(...found.args);
    at += found.used;
    while (text[at] === ' ') at++;
  } while (at < text.length);
  return optionsFrom(module, args);
}

/** `['!', '--dport', {value: '80'}]` → the options rule-spec would give the module. */
function optionsFrom(module: ExtensionModule, args: readonly Arg[]): ModuleOption[] {
  const options: { name: string; values: string[]; negated: boolean }[] = [];
  let negated = false;
  for (const arg of args) {
    if (arg === '!') negated = true;
    else if (typeof arg === 'string') {
      const name = arg.replace(/^--/, '');
      options.push({ name: module.options[name]?.canonical ?? name, values: [], negated });
      negated = false;
    } else options[options.length - 1]?.values.push(arg.value);
  }
  return options;
}

describe.each(modules.map((m) => [`${m.kind} ${m.name}`, m] as const))('%s', (_, module) => {
  it('has examples and listing phrases', () => {
    expect(module.examples.length).toBeGreaterThan(0);
    expect(module.listing.length).toBeGreaterThan(0);
  });

  it.each(module.examples)('saves "%s" as it reads it', (example) => {
    expect(module.save(dataOf(module, optionsOf(module, example)))).toBe(example);
  });

  it.each(module.examples)('reads back the listing of "%s"', (example) => {
    const listed = module.list(dataOf(module, optionsOf(module, example)));
    expect(module.list(dataOf(module, readBack(module, listed)))).toBe(listed);
  });
});

describe('the registry', () => {
  it('refuses a second module of one name', () => {
    expect(() => register([tcp, tcp])).toThrow('match module "tcp" is registered twice');
  });
});
