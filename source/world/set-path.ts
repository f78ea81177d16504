/**
 * World edits from the command line: `hosts.reviews.processes.envoy.uid=1000` sets one value of
 * the scenario, checked against the scenario file's schema, with the exact path of the file
 * (`hosts[0].processes[1].uid`) in the error. Arrays are entered by the name of an element
 * (a host's, a process's, a traffic item's label) or by its index from 0.
 */
import { z } from 'zod';
import type { Scenario } from '../model/index.js';
import { pathText } from './from-file.js';
import { scenarioSchema } from './scenario-schema.js';

export interface WorldSet {
  /** As given: `hosts.reviews.processes.envoy.uid=1000`. */
  readonly text: string;
  readonly path: readonly string[];
  /** JSON when the text is JSON (`1000`, `true`, `[…]`), else the text itself (`127.0.0.7`). */
  readonly value: unknown;
}

export type SetResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly message: string };

export function parseSet(
  text: string,
): { ok: true; set: WorldSet } | { ok: false; message: string } {
  const eq = text.indexOf('=');
  const path = eq < 0 ? [] : text.slice(0, eq).split('.');
  if (eq < 0 || path.some((p) => p === ''))
    return { ok: false, message: 'expected PATH=VALUE, as hosts.pod.processes.envoy.uid=1000' };
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the text is the value (an address, a name).
  }
  return { ok: true, set: { text, path, value } };
}

/** A host's fields that are not its own in the model: its rules are changed with --edit. */
const NOT_SETTABLE = new Set(['rules', 'rules6', 'nft', 'rulesets', 'ipsets']);

/** The schema without optional, default and the like around it. */
function bare(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
    s = s.unwrap() as z.ZodType;
  return s;
}

/** The schema of a value inside `schema` at `key`, for the model's value `value`. */
function inner(schema: z.ZodType, key: string | number, value: unknown): z.ZodType | undefined {
  const s = bare(schema);
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodDiscriminatedUnion) {
    const kind = (value as { kind?: unknown } | undefined)?.kind;
    const option = (s.options as z.ZodType[]).find(
      (o) =>
        bare(o) instanceof z.ZodObject &&
        (bare(o) as z.ZodObject).shape.kind?.safeParse(kind).success,
    );
    return option && inner(option, key, value);
  }
  if (s instanceof z.ZodObject) return s.shape[key] as z.ZodType | undefined;
  return undefined;
}

/** The model's place for a path's first word: the file's `hosts` are the world's. */
function rootOf(scenario: Scenario): Record<string, unknown> {
  return {
    name: scenario.world.name,
    settings: scenario.world.settings,
    hosts: scenario.world.hosts,
    traffic: scenario.traffic,
  };
}

function elementIndex(list: readonly unknown[], word: string): number {
  const byName = list.findIndex((e) => {
    const o = e as { name?: unknown; label?: unknown };
    return o.name === word || o.label === word;
  });
  if (byName >= 0) return byName;
  return /^\d+$/.test(word) && Number(word) < list.length ? Number(word) : -1;
}

function namesOf(list: readonly unknown[]): string {
  const names = list.map((e, i) => {
    const o = e as { name?: unknown; label?: unknown };
    return String(o.name ?? o.label ?? i);
  });
  return names.length > 0 ? names.join(', ') : 'none';
}

/** A copy of `container` with `value` at `path`, or why not (the path so far, in file form). */
function setIn(
  container: unknown,
  schema: z.ZodType,
  path: readonly string[],
  value: unknown,
  at: (string | number)[],
): { ok: true; value: unknown } | { ok: false; message: string } {
  const [word, ...rest] = path as [string, ...string[]];
  if (Array.isArray(container)) {
    const i = elementIndex(container, word);
    if (i < 0)
      return {
        ok: false,
        message: `${pathText(at)}: no "${word}" (there are: ${namesOf(container)})`,
      };
    return step(container, i, container[i]);
  }
  if (typeof container !== 'object' || container === null)
    return { ok: false, message: `${pathText(at)} is a value, not something with "${word}"` };
  if (at[0] === 'hosts' && at.length === 2 && NOT_SETTABLE.has(word))
    return { ok: false, message: `${pathText([...at, word])}: change a host's rules with --edit` };
  return step(container, word, (container as Record<string, unknown>)[word]);

  function step(
    c: unknown,
    key: string | number,
    current: unknown,
  ): { ok: true; value: unknown } | { ok: false; message: string } {
    const where = [...at, key];
    const sub = inner(schema, key, Array.isArray(c) ? current : c);
    if (!sub) return { ok: false, message: `${pathText(where)}: the scenario has no such field` };
    let next: unknown;
    if (rest.length === 0) {
      // A host in the file is not a host in the model (its rules are text there).
      if (where[0] === 'hosts' && where.length <= 2)
        return {
          ok: false,
          message: `${pathText(where)}: set a field of a host, not a whole host`,
        };
      const checked = sub.safeParse(value);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        return {
          ok: false,
          message: `${pathText([...where, ...(issue?.path ?? [])])}: ${issue?.message}`,
        };
      }
      next = checked.data;
    } else {
      const deeper = setIn(current, sub, rest, value, where);
      if (!deeper.ok) return deeper;
      next = deeper.value;
    }
    if (Array.isArray(c)) return { ok: true, value: c.map((e, i) => (i === key ? next : e)) };
    return { ok: true, value: { ...(c as object), [key]: next } };
  }
}

/** The scenario with one value set, or an error naming the exact path in the file's terms. */
export function applySet(scenario: Scenario, set: WorldSet): SetResult {
  const done = setIn(rootOf(scenario), scenarioSchema, set.path, set.value, []);
  if (!done.ok) return done;
  const root = done.value as ReturnType<typeof rootOf>;
  return {
    ok: true,
    scenario: {
      ...scenario,
      world: {
        ...scenario.world,
        name: root.name as string,
        settings: root.settings as Scenario['world']['settings'],
        hosts: root.hosts as Scenario['world']['hosts'],
      },
      traffic: root.traffic as Scenario['traffic'],
    },
  };
}
