import { type Binding, commandsOf, type Keymap } from '../keymap.js';

/**
 * The footer: the commands the keymap puts there, in their order, each as its first two keys;
 * a pair sharing a label (step back and forward) is written once: "left/h right/l step".
 */
export function footerText(keymap: Keymap): string {
  const shown = commandsOf(keymap, 'browse')
    .filter((c): c is { keys: string[]; binding: Binding & Required<Pick<Binding, 'footer'>> } =>
      Boolean(c.binding.footer),
    )
    .sort((a, b) => a.binding.footer.order - b.binding.footer.order);
  const groups: { label: string; keys: string[] }[] = [];
  for (const c of shown) {
    const keys = c.keys.slice(0, 2).join('/');
    const last = groups[groups.length - 1];
    if (last?.label === c.binding.footer.label) last.keys.push(keys);
    else groups.push({ label: c.binding.footer.label, keys: [keys] });
  }
  return groups.map((g) => `${g.keys.join(' ')} ${g.label}`).join('  ');
}

/**
 * The load warnings' count, ahead of the footer's keys, with the key that lists them:
 * `⚠ 14 warnings (f) · `; nothing when there are none.
 */
export function warningsText(keymap: Keymap, count: number): string {
  if (count === 0) return '';
  const key = commandsOf(keymap, 'browse').find((c) => c.binding === keymap['findings.toggle']);
  const hint = key?.keys[0] ? ` (${key.keys[0]})` : '';
  return `⚠ ${count} warning${count === 1 ? '' : 's'}${hint} · `;
}
