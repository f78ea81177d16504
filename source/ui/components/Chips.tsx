/** A row of chips (connections, places on the path), the lit ones standing out. */
import { Text } from 'ink';
import { theme } from '../theme.js';
import { chipParts } from '../view/chip-parts.js';
import type { PathToken } from '../view/path-tokens.js';

export function Chips({ items, separator }: { items: readonly PathToken[]; separator: string }) {
  return (
    <Text wrap="truncate-end">
      {chipParts(items, separator).map((t, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a place may be passed twice (lo); its position is its identity
        <Text key={`${i}-${t.text}`} {...(t.lit ? theme.lit : undefined)}>
          {t.text}
        </Text>
      ))}
    </Text>
  );
}
