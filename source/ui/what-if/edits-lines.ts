/**
 * The edits view's text: the rules as edited against the rules as loaded, as a diff of rule
 * lines (`- -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN`), then the iptables commands
 * that make the same change on a real host, then the world's changes. Rules are matched by id,
 * so a replaced rule shows as its old line and its new one, a moved one once, at its new place.
 */
import type { Chain, Ruleset, Table } from '../../model/index.js';
import { editAsCommand, type HostRulesets, switchedOff } from '../../rules/edits/index.js';
import { ruleSpecText } from '../../rules/save.js';
import { nftRulesDiff } from './nft-diff-lines.js';
import type { Change, Session } from './session.js';

/**
 * The ids of rules to mark: `moved`, the rules a move edit placed (every rule after a deleted one
 * has another number too, but only these were moved); `off`, the rules switched off and not back
 * on, which read `off` rather than `-`: X puts them back.
 */
export interface Marks {
  readonly moved: ReadonlySet<string>;
  readonly off: ReadonlySet<string>;
}

const NO_MARKS: Marks = { moved: new Set(), off: new Set() };

/** A chain's lines of the diff. */
function chainDiff(
  chain: string,
  before: Chain | undefined,
  after: Chain | undefined,
  { moved, off }: Marks,
): string[] {
  if (!after) return before ? [`- -X ${chain}`] : [];
  const lines: string[] = before ? [] : [`+ -N ${chain}`];
  if (before?.policy !== after.policy && after.policy)
    lines.push(
      ...(before?.policy ? [`- -P ${chain} ${before.policy}`] : []),
      `+ -P ${chain} ${after.policy}`,
    );
  const line = (r: Chain['rules'][number]) => `-A ${chain} ${ruleSpecText(r)}`;
  const old = new Map((before?.rules ?? []).map((r, i) => [r.id, { r, i }]));
  const kept = new Set(after.rules.map((r) => r.id));
  for (const r of before?.rules ?? [])
    if (!kept.has(r.id))
      lines.push(off.has(r.id) ? `off ${line(r)}  (X puts it back)` : `- ${line(r)}`);
  after.rules.forEach((r, i) => {
    const was = old.get(r.id);
    if (!was) lines.push(`+ ${line(r)}  (rule ${i + 1})`);
    else if (line(was.r) !== line(r))
      lines.push(`- ${line(was.r)}`, `+ ${line(r)}  (rule ${i + 1})`);
    else if (was.i !== i && moved.has(r.id))
      lines.push(`~ ${line(r)}  (moved: rule ${was.i + 1} → ${i + 1})`);
  });
  return lines;
}

function tableDiff(
  host: string,
  family: string,
  marks: Marks,
  before?: Table,
  after?: Table,
): string[] {
  const names = [
    ...new Set([...(before?.chains ?? []), ...(after?.chains ?? [])].map((c) => c.name)),
  ];
  const lines = names.flatMap((name) =>
    chainDiff(
      name,
      before?.chains.find((c) => c.name === name),
      after?.chains.find((c) => c.name === name),
      marks,
    ),
  );
  const table = before?.name ?? after?.name ?? '';
  const fam = family === 'ipv6' ? ' (IPv6)' : '';
  return lines.length > 0 ? [`${host} *${table}${fam}`, ...lines.map((l) => `  ${l}`)] : [];
}

/** The diff of each host's rules, host by host, table by table (`marks`: see Marks). */
export function rulesDiff(
  original: HostRulesets,
  current: HostRulesets,
  marks: Marks = NO_MARKS,
): string[] {
  return [...current].flatMap(([host, rulesets]) => {
    const was = original.get(host) ?? [];
    const families = [...new Set([...was, ...rulesets].map((r) => r.family))];
    return families.flatMap((family) => {
      const b: Ruleset | undefined = was.find((r) => r.family === family);
      const a: Ruleset | undefined = rulesets.find((r) => r.family === family);
      const tables = [...new Set([...(b?.tables ?? []), ...(a?.tables ?? [])].map((t) => t.name))];
      return tables.flatMap((t) =>
        tableDiff(
          host,
          family,
          marks,
          b?.tables.find((x) => x.name === t),
          a?.tables.find((x) => x.name === t),
        ),
      );
    });
  });
}

function changeText(c: Change): string[] {
  if (c.kind === 'rules')
    return editAsCommand(c.edit.edit)
      .split('\n')
      .map((l) => `${c.edit.host}: ${l}`);
  if (c.kind === 'set') return [`--set ${c.set.text}`];
  return [
    c.mode === 'rewrite'
      ? "--proxy-mode rewrite (nfdb's hypothesis: no kernel to compare with)"
      : '--proxy-mode terminate',
  ];
}

/** The changes in force, as iptables commands and flags: what a report says the what-if is. */
export const appliedChanges = (session: Session): string[] => session.applied.flatMap(changeText);

export function editsLines(session: Session): string[] {
  if (session.applied.length === 0 && session.undone.length === 0)
    return [
      'No edits yet: e i a D x J K P ! edit the rules, w sets a value of the world, R the proxy mode.',
    ];
  const moved = new Set(
    session.rules.applied.flatMap(({ edit }) => (edit.op === 'move' ? [edit.rule.id] : [])),
  );
  const off = new Set(switchedOff(session.rules).map((o) => o.edit.rule.id));
  const diff = [
    ...rulesDiff(session.rules.original, session.rules.current, { moved, off }),
    ...nftRulesDiff(session.rules.originalNft, session.rules.currentNft),
  ];
  const undone = session.undone.toReversed().flatMap(changeText);
  return [
    'The rules, edited (- removed, + added, ~ moved, off switched off)',
    ...(diff.length > 0 ? diff : ['  the rules are as loaded']),
    ' ',
    `The same changes on a real host (${session.rules.currentNft.size > 0 ? 'iptables and nft' : 'iptables'} commands), and the world`,
    ...(session.applied.length > 0
      ? session.applied.flatMap(changeText).map((l) => `  ${l}`)
      : ['  none: every change is undone']),
    ...(undone.length > 0
      ? [' ', 'Undone (redo puts them back, the first first)', ...undone.map((l) => `  ${l}`)]
      : []),
  ];
}
