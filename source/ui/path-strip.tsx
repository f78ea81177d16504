/**
 * The picture people draw by hand for the sidecar: the connections of the scenario told apart
 * (client → envoy, envoy → app), and the hooks the current packet crosses; the current ones lit.
 */
import { Box, Text } from 'ink';
import type { PathToken } from './view-model.js';

export interface ConnectionChip {
  readonly text: string;
  readonly lit: boolean;
}

export interface PathStripProps {
  readonly title: string;
  readonly connections: readonly ConnectionChip[];
  readonly tokens: readonly PathToken[];
}

function Chips({ items, separator }: { items: readonly ConnectionChip[]; separator: string }) {
  return (
    <Text wrap="truncate-end">
      {items.map((t, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: a place may be passed twice (lo); its position is its identity
          key={`${i}-${t.text}`}
          color={t.lit ? 'black' : undefined}
          backgroundColor={t.lit ? 'cyan' : undefined}
        >
          {i > 0 ? separator : ''}
          {t.text}
        </Text>
      ))}
    </Text>
  );
}

export function PathStrip({ title, connections, tokens }: PathStripProps) {
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      <Chips items={connections} separator="  │  " />
      <Chips items={tokens} separator=" ▸ " />
    </Box>
  );
}
