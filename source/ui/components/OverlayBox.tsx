/**
 * The frame of a view over the body (help, findings, edits, comparison): a double border in the
 * focused colour and a bold title row, the view's rows inside.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { theme } from '../theme.js';

export interface OverlayBoxProps {
  readonly title: ReactNode;
  readonly width: number;
  readonly children?: ReactNode;
}

export function OverlayBox({ title, width, children }: OverlayBoxProps) {
  return (
    <Box
      borderStyle="double"
      borderColor={theme.focused.color}
      flexDirection="column"
      paddingX={1}
      width={width}
    >
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {children}
    </Box>
  );
}
