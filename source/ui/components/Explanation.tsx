/** Why the step happened, in plain words, under the panes: wrapped to the rows the layout gives. */
import { Box, Text } from 'ink';
import type { Step } from '../../model/index.js';
import { explanation, fittingLines } from '../view/explanation.js';
import { wrapWords } from '../view/help-lines.js';

export interface ExplanationProps {
  readonly step: Step | undefined;
  readonly width: number;
  readonly height: number;
  /** The chain row selected with . and , (a span says why that rule missed first). */
  readonly row?: number;
}

export function Explanation({ step, width, height, row }: ExplanationProps) {
  return (
    <Box height={height} width={width} flexDirection="column" overflow="hidden">
      {/* Wrapped here, as wrappedRows counted them: Ink's own wrap starts a row with the space
          after a word that fills the row. */}
      {fittingLines(explanation(step, row), width, height)
        .flatMap((line) => wrapWords(line, Math.max(1, width)))
        .map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows of wrapped text may repeat
          <Text key={`${i}-${row}`} wrap="truncate-end">
            {row}
          </Text>
        ))}
    </Box>
  );
}
