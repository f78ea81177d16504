/**
 * The picture people draw by hand for the sidecar: the connections of the scenario told apart
 * (client → envoy, envoy → app), and the hooks the current packet crosses; the current ones lit.
 */
import { Box, Text } from 'ink';
import type { PathToken } from '../view/path-tokens.js';
import { Chips } from './Chips.js';

export interface PathStripProps {
  readonly title: string;
  readonly connections: readonly PathToken[];
  readonly tokens: readonly PathToken[];
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
