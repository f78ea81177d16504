/** The hooks the packet crosses, drawn the way people sketch the sidecar path; the current one lit. */
import { Box, Text } from 'ink';
import type { PathToken } from './view-model.js';

export function PathStrip({ tokens, title }: { tokens: readonly PathToken[]; title: string }) {
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      <Text wrap="truncate-end">
        {tokens.map((t, i) => (
          <Text
            key={`${i}-${t.text}`}
            color={t.lit ? 'black' : undefined}
            backgroundColor={t.lit ? 'cyan' : undefined}
          >
            {i > 0 ? ' ▸ ' : ''}
            {t.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
