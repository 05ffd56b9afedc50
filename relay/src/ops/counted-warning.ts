// A warning for something that comes in storms (refusals while a node sheds load): one line every
// `everyMs` at most, with how many happened since the last line. A refusal storm must not be a log storm.
import type { Log } from '../ports.js';

/** Counts each call; logs `message` with `{ ...fields, refused: count }` when `everyMs` passed since the last line. */
export function countedWarning(log: Log, message: string, opts: { everyMs?: number; now?: () => number } = {}) {
  const everyMs = opts.everyMs ?? 10_000;
  const now = opts.now ?? Date.now;
  let count = 0;
  let loggedAt = -Infinity;
  return (fields: Record<string, unknown> = {}): void => {
    count++;
    const t = now();
    if (t - loggedAt < everyMs) return;
    log.warn(message, { ...fields, refused: count });
    loggedAt = t;
    count = 0;
  };
}
