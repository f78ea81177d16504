/**
 * One nft base chain run for one packet: nft_do_chain(). A rule's statements run left to right;
 * a relation that fails, or an expression with nothing to load, ends the rule (NFT_BREAK) and
 * the next rule runs. `jump` pushes, `goto` replaces, `return` and the end of a chain pop, the
 * end of the base chain applies its policy. NAT statements end the chain with accept (nft_nat
 * returns the verdict nf_nat_setup_info gives); `tproxy` without a transparent socket breaks the
 * rule (it does not drop, unlike iptables' TPROXY). A `counter` moves when the rule reaches it.
 */
import type {
  ConntrackView,
  EngineSettings,
  Frame,
  Hook,
  Packet,
  RuleVerdict,
  StopReason,
  TargetEffect,
} from '../../../model/index.js';
import type { TargetContext } from '../../vocabulary.js';
import { packetChanges } from '../changes.js';
import type { TraceRecorder } from '../recorder.js';
import type { AppliedEffect, WalkResult } from '../walk.js';
import type {
  CompiledNftChain,
  CompiledNftRule,
  CompiledNftTable,
  NftOp,
  SetLookup,
} from './compile.js';
import {
  evaluate,
  keyText,
  type NftEvalContext,
  type NftRuntimeValue,
  passes,
  shown,
} from './values.js';

export interface NftWalkInput {
  readonly table: CompiledNftTable;
  readonly chain: CompiledNftChain;
  readonly hook: Hook;
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  readonly context: Omit<TargetContext, 'ruleId' | 'conntrack' | 'hook' | 'table'>;
  readonly settings: EngineSettings;
  readonly rec: TraceRecorder;
  /** The elements the data path added to dynamic sets, by set id: kept for the run. */
  readonly dynamic: Map<string, Set<string>>;
  /** Whether a transparent listener takes `tproxy to` this address and port. */
  tproxyListener(address: string, port: number): boolean;
}

const MAX_DEPTH = 64;
const MAX_EVALUATIONS = 2_000_000;

interface Frame_ {
  readonly chain: CompiledNftChain;
  next: number;
  readonly outer: readonly Frame[];
}

const REJECT_TYPES: Readonly<Record<string, string>> = {
  'tcp-reset': 'tcp-reset',
  'icmp host-unreachable': 'icmp-host-unreachable',
  'icmp net-unreachable': 'icmp-net-unreachable',
  'icmp port-unreachable': 'icmp-port-unreachable',
  'icmp prot-unreachable': 'icmp-proto-unreachable',
  'icmp admin-prohibited': 'icmp-admin-prohibited',
  'icmp host-prohibited': 'icmp-host-prohibited',
  'icmp net-prohibited': 'icmp-net-prohibited',
  'icmpv6 no-route': 'icmp6-no-route',
  'icmpv6 admin-prohibited': 'icmp6-adm-prohibited',
  'icmpv6 addr-unreachable': 'icmp6-addr-unreachable',
  'icmpv6 port-unreachable': 'icmp6-port-unreachable',
};

/** What `reject [with …]` sends, in the engine's (iptables') names. */
function rejectWith(given: string | undefined, packet: Packet): string {
  const v6 = packet.family === 'ipv6';
  if (given === undefined || given.startsWith('icmpx ')) {
    const type = given?.slice(6) ?? 'port-unreachable';
    const key = `${v6 ? 'icmpv6' : 'icmp'} ${type === 'admin-prohibited' ? 'admin-prohibited' : type}`;
    return REJECT_TYPES[key] ?? (v6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable');
  }
  return REJECT_TYPES[given] ?? (v6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable');
}

export function walkNftChain(input: NftWalkInput): WalkResult {
  const { table, hook, settings, rec } = input;
  const tableRef = table.ref;
  const tableName = table.ref.name;
  let packet = input.packet;
  let conntrack = input.conntrack;
  const family = packet.family;
  const effects: AppliedEffect[] = [];
  const base = input.chain;
  const frames: Frame_[] = [{ chain: base, next: 0, outer: [] }];
  let evaluations = 0;
  let ruleId = '';
  const ctx: NftEvalContext & {
    packet: Packet;
    conntrack: ConntrackView | undefined;
    ruleId: string;
  } = {
    packet,
    conntrack,
    socket: input.context.socket,
    addressType: (a) => input.context.addressType(a),
    random: input.context.random,
    nextInc: (id, modulus) => input.context.nextNth(`${id}/numgen`, modulus, modulus - 1),
    ruleId,
  };
  const lookup: SetLookup = (set, key) => {
    const text = key.map(keyText).join('\u0000');
    const hit = set.index.get(text);
    if (hit) return hit;
    for (const e of set.scan)
      if (e.tests.every((t, i) => key[i] !== undefined && passes(t, key[i] as NftRuntimeValue)))
        return e;
    return input.dynamic.get(set.id)?.has(text) ? true : undefined;
  };
  const stackHere = (): Frame[] => {
    const top = frames[frames.length - 1];
    if (!top) return [];
    return [...top.outer, { table: tableName, chain: top.chain.chain.name, ruleIndex: top.next }];
  };

  for (;;) {
    const top = frames[frames.length - 1];
    if (!top) break;
    const chainName = top.chain.chain.name;
    if (top.next >= top.chain.rules.length) {
      if (frames.length === 1) return policy();
      frames.pop();
      const to = frames[frames.length - 1]?.chain.chain.name ?? '';
      rec.add(
        { kind: 'return', hook, table: tableRef, chain: chainName, to },
        { packet, conntrack, stack: stackHere() },
      );
      continue;
    }
    const compiled = top.chain.rules[top.next] as CompiledNftRule;
    top.next++;
    if (++evaluations > MAX_EVALUATIONS)
      return stop({ kind: 'too-many-rules', limit: MAX_EVALUATIONS }, compiled);
    ruleId = compiled.rule.id;
    ctx.ruleId = ruleId;
    const stack: Frame[] = [
      ...top.outer,
      { table: tableName, chain: chainName, ruleIndex: compiled.index },
    ];
    const before = packet;
    let counted = false;
    let miss: { module?: string; why?: string } | undefined;
    let verdict: RuleVerdict | undefined;
    let effect: { -readonly [K in keyof TargetEffect]: TargetEffect[K] } | undefined;
    let effectName = '';
    let assumption:
      | { gap: { type: 'match'; module: string; why: string }; takenAs: 'match' | 'no-match' }
      | undefined;
    let jumpTo:
      | { kind: 'jump' | 'goto'; chain: CompiledNftChain | undefined; name: string }
      | undefined;
    let end: 'ACCEPT' | 'DROP' | 'RETURN' | undefined;
    const addEffect = (name: string, e: Partial<TargetEffect>) => {
      effect = { ...(effect ?? { verdict: 'CONTINUE' }), ...e } as typeof effect;
      effectName = effectName ? `${effectName}, ${name}` : name;
    };
    const takeVerdict = (
      v: { kind: string; chain?: string },
      chain: CompiledNftChain | undefined,
    ) => {
      if (v.kind === 'jump' || v.kind === 'goto') {
        jumpTo = { kind: v.kind, chain, name: v.chain ?? '' };
        verdict = { kind: v.kind, chain: v.chain ?? '' };
      } else if (v.kind === 'accept' || v.kind === 'drop') {
        end = v.kind === 'accept' ? 'ACCEPT' : 'DROP';
        verdict = { kind: v.kind };
      } else if (v.kind === 'return') {
        end = 'RETURN';
        verdict = { kind: 'return' };
      } else if (v.kind === 'continue') verdict = { kind: 'continue' };
    };
    ctx.packet = packet;
    ctx.conntrack = conntrack;
    ops: for (const op of compiled.ops) {
      switch (op.kind) {
        case 'match': {
          const v = evaluate(op.expr, ctx);
          if (v === undefined) {
            miss = { why: `${op.text}: nothing to compare (not in this packet)` };
            break ops;
          }
          if (!op.test(v, lookup)) {
            miss = { why: `${op.text} is ${shown(v, op.type)}` };
            break ops;
          }
          continue;
        }
        case 'counter':
          counted = true;
          continue;
        case 'verdict':
          takeVerdict(op.verdict.verdict, op.verdict.chain);
          break ops;
        case 'vmap': {
          const v = evaluate(op.expr, ctx);
          const key = v === undefined ? undefined : Array.isArray(v) ? v : [v];
          const hit = key && lookup(op.set, key);
          if (!hit || hit === true || !hit.verdict) {
            miss = { why: `${op.text} ${shown(v)} is not in the map` };
            break ops;
          }
          takeVerdict(hit.verdict.verdict, hit.verdict.chain);
          break ops;
        }
        case 'set': {
          const value = typeof op.value === 'number' ? op.value : evaluate(op.value, ctx);
          if (typeof value !== 'number') {
            miss = { why: 'the value has nothing to load' };
            break ops;
          }
          if (op.target === 'mark') {
            packet = { ...packet, mark: value >>> 0 };
            ctx.packet = packet;
            addEffect('meta mark set', {});
          } else if (op.target === 'ct mark') {
            addEffect('ct mark set', {
              conntrack: { ...(effect?.conntrack ?? {}), mark: value >>> 0 },
            });
            if (conntrack) conntrack = { ...conntrack, mark: value >>> 0 };
            ctx.conntrack = conntrack;
          } else
            addEffect('ct zone set', { conntrack: { ...(effect?.conntrack ?? {}), zone: value } });
          continue;
        }
        case 'nat': {
          const s = op.statement;
          const local = packet.family === 'ipv4' ? '127.0.0.1' : '::1';
          if (s.type === 'redirect') {
            const address =
              hook === 'PREROUTING' && packet.inInterface
                ? input.context.primaryAddress(packet.inInterface)
                : local;
            if (address === undefined) {
              addEffect('redirect', {
                verdict: 'DROP',
                note: 'the incoming interface has no address: redirect drops',
              });
              end = 'DROP';
            } else
              addEffect('redirect', {
                verdict: 'ACCEPT',
                conntrack: {
                  ...(effect?.conntrack ?? {}),
                  nat: { kind: 'dnat', address, port: s.port ?? packet.dport },
                },
              });
          } else if (s.type === 'masquerade') {
            addEffect('masquerade', {
              verdict: 'ACCEPT',
              conntrack: {
                ...(effect?.conntrack ?? {}),
                nat: {
                  kind: 'snat',
                  masquerade: true,
                  ...(s.port === undefined ? {} : { port: s.port }),
                },
              },
            });
          } else {
            // `ip daddr … dnat to` of the other family: the expression does not apply.
            const a = s.address?.text;
            if (a !== undefined && a.includes(':') !== (packet.family === 'ipv6')) {
              miss = { why: `the address is not ${packet.family}` };
              break ops;
            }
            addEffect(`${s.type} to`, {
              verdict: 'ACCEPT',
              conntrack: {
                ...(effect?.conntrack ?? {}),
                nat: {
                  kind: s.type,
                  ...(a === undefined ? {} : { address: a }),
                  ...(s.port === undefined ? {} : { port: s.port }),
                },
              },
            });
          }
          end = end ?? 'ACCEPT';
          verdict = { kind: 'accept' };
          break ops;
        }
        case 'tproxy': {
          const s = op.statement;
          if (s.family && (s.family === 'ip') !== (packet.family === 'ipv4')) {
            miss = {
              why: `tproxy ${s.family} does not apply to an ${packet.family} packet`,
            };
            break ops;
          }
          const address =
            s.address?.text ??
            (packet.inInterface ? input.context.primaryAddress(packet.inInterface) : undefined) ??
            packet.dst;
          if (!input.tproxyListener(address, s.port)) {
            miss = {
              why: `tproxy: no transparent socket listens on ${address}:${s.port}`,
            };
            break ops;
          }
          addEffect('tproxy', { tproxy: { address, port: s.port } });
          continue;
        }
        case 'reject':
          addEffect('reject', { verdict: 'DROP', reject: { with: rejectWith(op.with, packet) } });
          end = 'DROP';
          verdict = { kind: 'drop' };
          break ops;
        case 'setop': {
          const v = evaluate(op.expr, ctx);
          if (v === undefined) {
            miss = { why: 'the key has nothing to load' };
            break ops;
          }
          const key = (Array.isArray(v) ? v : [v]).map(keyText).join('\u0000');
          const members = input.dynamic.get(op.set.id) ?? new Set<string>();
          input.dynamic.set(op.set.id, members);
          if (op.op === 'delete') members.delete(key);
          else members.add(key);
          addEffect(`${op.op} @${op.set.name}`, {
            note: `${shown(v)} ${op.op === 'delete' ? 'removed from' : 'in'} @${op.set.name}`,
          });
          continue;
        }
        case 'log':
          addEffect('log', {
            note: `log${op.prefix === undefined ? '' : ` prefix "${op.prefix}"`}`,
          });
          continue;
        case 'notrack':
          addEffect('notrack', { conntrack: { ...(effect?.conntrack ?? {}), untracked: true } });
          continue;
        case 'gap': {
          // A name with a space, so the words show it as nft wrote it (not as `-m NAME`).
          const gap = { type: 'match' as const, module: `nft ${op.what}`, why: op.why };
          if (settings.unknownMatch === 'stop')
            return stop({ kind: 'not-simulated', gap }, compiled);
          assumption = { gap, takenAs: settings.unknownMatch };
          if (settings.unknownMatch === 'no-match') {
            miss = { module: gap.module, why: op.why };
            break ops;
          }
          continue;
        }
      }
    }
    const counter = counted
      ? { family, table: tableName, chain: chainName, rule: ruleId }
      : undefined;
    if (miss) {
      rec.add(
        {
          kind: 'rule',
          hook,
          table: tableRef,
          chain: chainName,
          ruleId,
          ruleIndex: compiled.index,
          matched: false,
          miss,
          ...(assumption ? { assumption } : {}),
        },
        { packet: before, conntrack, stack, counter },
      );
      // A statement before the failing one has run (nft runs left to right): keep its effect.
      if (effect) effects.push({ effect: { ...effect, verdict: 'CONTINUE' }, rules: [ruleId] });
      continue;
    }
    const e = effect as TargetEffect | undefined;
    const stepVerdict: RuleVerdict =
      e &&
      (verdict === undefined ||
        verdict.kind === 'accept' ||
        verdict.kind === 'drop' ||
        verdict.kind === 'continue')
        ? {
            kind: 'target',
            name: effectName,
            simulated: true,
            effect: { ...withoutPacket(e), verdict: end ?? 'CONTINUE' },
          }
        : (verdict ?? { kind: 'continue' });
    rec.add(
      {
        kind: 'rule',
        hook,
        table: tableRef,
        chain: chainName,
        ruleId,
        ruleIndex: compiled.index,
        matched: true,
        verdict: stepVerdict,
        ...(assumption ? { assumption } : {}),
      },
      {
        packet,
        conntrack,
        stack,
        counter,
        changes: packet === before ? [] : packetChanges(before, packet),
      },
    );
    if (e) {
      const caller =
        frames.length > 1
          ? frames[frames.length - 2]?.chain.rules[(frames[frames.length - 2]?.next ?? 1) - 1]?.rule
              .id
          : undefined;
      effects.push({
        effect: { ...e, packet },
        rules: caller === undefined ? [ruleId] : [caller, ruleId],
      });
    }
    const j = jumpTo as
      | { kind: 'jump' | 'goto'; chain: CompiledNftChain | undefined; name: string }
      | undefined;
    if (j) {
      if (!j.chain) return stop({ kind: 'missing-chain', chain: j.name }, compiled);
      const outer = j.kind === 'goto' ? top.outer : stack;
      if (j.kind === 'goto') frames.pop();
      if (frames.length >= MAX_DEPTH) return stop({ kind: 'too-deep', limit: MAX_DEPTH }, compiled);
      frames.push({ chain: j.chain, next: 0, outer });
      continue;
    }
    if (end === 'RETURN') {
      if (frames.length === 1) return policy();
      frames.pop();
      continue;
    }
    if (end === 'ACCEPT' || end === 'DROP') return { verdict: end, packet, conntrack, effects };
  }
  return { verdict: 'ACCEPT', packet, conntrack, effects };

  function policy(): WalkResult {
    const p = base.chain.base?.policy === 'drop' ? 'DROP' : 'ACCEPT';
    rec.add(
      { kind: 'policy', hook, table: tableRef, chain: base.chain.name, policy: p },
      {
        packet,
        conntrack,
        stack: [{ table: tableName, chain: base.chain.name, ruleIndex: base.rules.length }],
      },
    );
    return { verdict: p, packet, conntrack, effects };
  }

  function stop(reason: StopReason, at: CompiledNftRule): WalkResult {
    const step = rec.add(
      {
        kind: 'stop',
        reason,
        hook,
        table: tableRef,
        chain: frames[frames.length - 1]?.chain.chain.name ?? hook,
        ruleId: at.rule.id,
      },
      { packet, conntrack, stack: stackHere() },
    );
    return {
      verdict: 'STOP',
      packet,
      conntrack,
      effects,
      stop: { reason, rule: at.rule.id, step },
    };
  }
}

function withoutPacket(e: TargetEffect): Omit<TargetEffect, 'packet'> {
  const { packet: _p, ...rest } = e;
  return rest;
}

export type { NftOp };
