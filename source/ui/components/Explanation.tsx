/** Why the step happened, in plain words, under the panes: wrapped to the rows the layout gives. */
import { Box, Text } from 'ink';
import type { Step } from '../../model/index.js';
import { explanation, fittingLines } from '../view/explanation.js';

export interface ExplanationProps {
  readonly step: Step | undefined;
  readonly width: number;
  readonly height: number;
}

export function Explanation({ step, width, height }: ExplanationProps) {
  return (
    <Box height={height} width={width} flexDirection="column" overflow="hidden">
      {fittingLines(explanation(step), width, height).map((line) => (
        <Text key={line} wrap="wrap">
          {line}
        </Text>
      ))}
    </Box>
  );
}
