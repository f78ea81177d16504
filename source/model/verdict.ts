/**
 * Verdicts: the built-in words a rule's `-j` may say, a chain's policy, a table's final word on a
 * packet, and what a rule did when it matched, as a fact the trace keeps.
 */
import type { Packet } from './packet.js';

/** The targets built into the kernel, without a module: `-j ACCEPT` ... `-j QUEUE`. */
export const BUILTIN_VERDICTS = ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'] as const;
export type BuiltinVerdict = (typeof BUILTIN_VERDICTS)[number];

/** What a built-in chain does with a packet that reaches its end. */
export type ChainPolicy = 'ACCEPT' | 'DROP';

/** The final word of a table on a packet. */
export type Verdict = 'ACCEPT' | 'DROP' | 'QUEUE' | 'STOLEN';

/** What a target does to a packet and its connection. */
export interface TargetEffect {
  /** CONTINUE: go on to the next rule (MARK, LOG...). */
  readonly verdict: Verdict | 'CONTINUE' | 'RETURN';
  readonly packet?: Packet;
  readonly conntrack?: {
    readonly mark?: number;
    readonly zone?: number;
    readonly untracked?: boolean;
    /** NAT binding decided on the first packet: rewrite of the original tuple's dst or src. */
    readonly nat?: {
      readonly kind: 'dnat' | 'snat';
      readonly address?: string;
      readonly port?: number;
      /** MASQUERADE: the outgoing interface's address, filled by the engine. */
      readonly masquerade?: boolean;
    };
  };
  /** TPROXY: deliver to this local socket address without rewriting the packet. */
  readonly tproxy?: { readonly address: string; readonly port: number };
  /** REJECT: the packet nfdb sends back (TCP RST or ICMP error). */
  readonly reject?: { readonly with: string };
  /** A line for the trace (LOG prefix, "CHECKSUM is a no-op here"). */
  readonly note?: string;
}

/** A target's effect as the trace keeps it: the packet it made is the step's own. */
export type TargetOutcome = Omit<TargetEffect, 'packet'>;

/** What a rule did when it matched. */
export type RuleVerdict =
  | { readonly kind: 'accept' | 'drop' | 'return' | 'queue' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  /** No `-j`: the rule only counts, and the scan goes on. */
  | { readonly kind: 'continue' }
  | {
      readonly kind: 'target';
      readonly name: string;
      readonly simulated: true;
      readonly effect: TargetOutcome;
    }
  /** A target nfdb does not simulate, taken as a no-op by the setting. */
  | { readonly kind: 'target'; readonly name: string; readonly simulated: false };
