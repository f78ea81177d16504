/**
 * A scenario with what-if edits of its hosts' rules: the edit history starts from the
 * scenario's rulesets, and the edited scenario is the same world with the history's rulesets.
 */
import type { Scenario } from '../model/index.js';
import {
  apply,
  type EditHistory,
  type HostEdit,
  type HostNft,
  type HostRulesets,
  newHistory,
} from '../rules/edits/index.js';

export function scenarioHistory(scenario: Scenario): EditHistory {
  const hosts = scenario.world.hosts;
  return newHistory(
    new Map(hosts.map((h) => [h.name, h.rulesets])),
    new Map(hosts.flatMap((h) => (h.nft ? [[h.name, h.nft] as const] : []))),
  );
}

/** The scenario with each host's rulesets (and nft tables, when given) replaced by these. */
export function withRulesets(scenario: Scenario, rulesets: HostRulesets, nft?: HostNft): Scenario {
  const hosts = scenario.world.hosts.map((h) => {
    const tables = nft?.get(h.name) ?? h.nft;
    return {
      ...h,
      rulesets: rulesets.get(h.name) ?? h.rulesets,
      ...(tables ? { nft: tables } : {}),
    };
  });
  return { ...scenario, world: { ...scenario.world, hosts } };
}

export type EditedScenario =
  | { readonly ok: true; readonly scenario: Scenario; readonly history: EditHistory }
  | { readonly ok: false; readonly edit: HostEdit; readonly message: string };

/** The scenario after the edits in order, or the first edit that does not apply and why. */
export function editScenario(scenario: Scenario, edits: readonly HostEdit[]): EditedScenario {
  let history = scenarioHistory(scenario);
  for (const edit of edits) {
    const done = apply(history, edit);
    if (!done.ok) return { ok: false, edit, message: done.message };
    history = done.history;
  }
  return {
    ok: true,
    scenario: withRulesets(scenario, history.current, history.currentNft),
    history,
  };
}
