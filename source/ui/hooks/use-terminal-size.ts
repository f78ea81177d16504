/** The terminal's size, updated on resize, so every pane fits the screen it is drawn on. */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export function useTerminalSize(fallback = { columns: 100, rows: 30 }) {
  const { stdout } = useStdout();
  const read = () => ({
    columns: stdout.columns || fallback.columns,
    rows: stdout.rows || fallback.rows,
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const update = () => setSize(read());
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  });
  return size;
}
