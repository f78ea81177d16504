/** Helpers for tests that render the app with ink-testing-library and type keys into it. */

/**
 * Types each key and waits until the frame shows it (Ink draws after React commits, not when
 * stdin is written). A key that changes nothing on screen (one a prompt ignores) is given up to
 * two seconds before the test goes on to assert that nothing changed.
 */
export async function keys(
  stdin: { write: (s: string) => void },
  lastFrame: () => string | undefined,
  ...sequence: string[]
) {
  for (const k of sequence) {
    const before = lastFrame();
    stdin.write(k);
    const end = Date.now() + 2000;
    while (lastFrame() === before && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The frame once it satisfies `test`: what a test asserts is waited for, not a fixed time, so a
 * busy machine's late render is not a failure. Gives up after 30 seconds with the last frame.
 */
export async function frameWhere(
  lastFrame: () => string | undefined,
  test: (f: string) => boolean,
) {
  const end = Date.now() + 30_000;
  while (!test(lastFrame() ?? '') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return lastFrame() ?? '';
}
