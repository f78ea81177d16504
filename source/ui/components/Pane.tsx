/** A bordered pane, its border telling whether the keys scroll it. */
import { Box } from 'ink';
import type { ReactNode } from 'react';
import { theme } from '../theme.js';

export interface PaneProps {
  readonly focused: boolean;
  readonly height: number;
  readonly width?: number;
  readonly children: ReactNode;
}

export function Pane({ focused, height, width, children }: PaneProps) {
  return (
    <Box
      borderStyle="round"
      borderColor={(focused ? theme.focused : theme.unfocused).color}
      height={height}
      width={width}
      flexDirection="column"
    >
      {children}
    </Box>
  );
}
