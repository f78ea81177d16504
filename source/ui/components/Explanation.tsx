/** Why the step happened, in plain words, under the panes: three lines at most. */
import { Box, Text } from 'ink';
import type { Step } from '../../model/index.js';
import { explanation } from '../view/explanation.js';

export function Explanation({ step }: { step: Step | undefined }) {
  return (
    <Box height={3} flexDirection="column">
      {explanation(step)
        .slice(0, 3)
        .map((line) => (
          <Text key={line} wrap="truncate-end">
            {line}
          </Text>
        ))}
    </Box>
  );
}
