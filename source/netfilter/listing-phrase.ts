/**
 * How a module reads back what its `list()` printed in `iptables -L -v -n`: phrases, each a
 * pattern at the reader's position and the iptables options that print it. The options go
 * through the same rule-spec reader every other format uses, so the module checks its values
 * in one place (its `parse`), not twice.
 *
 * A phrase that matches but shows a value the listing made lossy (a service name where a
 * port number belongs: the listing was made without -n) says so with `lost`: the rule keeps
 * the phrase as text and is not simulated, nothing is guessed.
 */
import type { Family } from '../model/index.js';

/** An option word (`--dport`, `!`), or a value, which is never taken for an option. */
export type Arg = string | { readonly value: string };

/** The options, or why the listing cannot give them. */
export type PhraseResult = readonly Arg[] | { readonly lost: string };

export interface ListingPhrase {
  /** Sticky: matched at the reader's position, ending at a space or the end of the line. */
  readonly pattern: RegExp;
  /**
   * For matches that print one phrase per option (conntrack, owner, iprange): adjacent
   * phrases of the module share one `-m` when their ranks rise, as one match prints them.
   */
  readonly rank?: number;
  /** The options, `lost` when the listing hid a value, undefined when the text is not this. */
  readonly args: (m: RegExpExecArray, family: Family) => PhraseResult | undefined;
}

/** A phrase from its regex source; a target's phrase must also end its line (the reader checks). */
export function phrase(source: string, args: ListingPhrase['args'], rank?: number): ListingPhrase {
  return { pattern: new RegExp(`${source}(?= |$)`, 'y'), args, rank };
}

export const val = (value: string): Arg => ({ value });
export const negation = (negated: unknown): Arg[] => (negated ? ['!'] : []);
export const opt = (name: string, value: string | undefined): Arg[] =>
  value === undefined ? [] : [name, val(value)];
export const flag = (name: string, present: unknown): Arg[] => (present ? [name] : []);

/**
 * Text of a pasted listing that nfdb cannot read (a host name in an address column, a note
 * beside a rule), kept on its rule as a match that is not simulated. Its module name is the
 * text in quotes, so no message takes it for a `-m` module.
 */
export const keptText = (text: string): string => `"${text}"`;

/** `-m owner` for a module; `listing text "(1)"` for text a listing kept (see keptText). */
export function matchPartText(module: string): string {
  if (module.startsWith('"')) return `listing text ${module}`;
  // An nft expression (`meta skgid ftp`, `limit rate 10/second`): iptables names have no space.
  return module.includes(' ') ? module : `-m ${module}`;
}
