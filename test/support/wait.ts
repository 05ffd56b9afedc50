// Poll for a condition instead of sleeping a fixed time: tests wait for what happens, with a
// generous ceiling, and fail with a sentence saying what never happened.
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  whatNeverHappened: string,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`${whatNeverHappened} (waited ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
