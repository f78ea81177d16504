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
