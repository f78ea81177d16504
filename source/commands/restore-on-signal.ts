/**
 * A signal that ends nfdb from outside (SIGTERM from `kill` or `timeout`, SIGHUP when the
 * terminal closes, SIGQUIT, a SIGINT not typed as a key) kills Node without its exit handlers:
 * the terminal would stay on the alternate screen with the cursor hidden and raw input. Each is
 * caught, the terminal restored, and the signal raised again, so that the caller sees nfdb end
 * by that signal as it would have. SIGKILL cannot be caught: `reset` gives the terminal back.
 */

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGINT'] as const;

/** Restores on each signal until the returned function is called. */
export function restoreOnSignal(restore: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    stop();
    try {
      restore();
    } finally {
      process.kill(process.pid, signal);
    }
  };
  const stop = () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return stop;
}
