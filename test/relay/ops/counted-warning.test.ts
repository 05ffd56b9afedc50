// A refusal storm is not a log storm: one warning line per window, carrying how many there were.
import assert from 'node:assert/strict';
import { createMemoryLog } from '#relay/log.js';
import { countedWarning } from '#relay/ops/counted-warning.js';

describe('countedWarning', () => {
  it('logs the first refusal at once, then one line per window with the count since the last', () => {
    const log = createMemoryLog();
    let now = 0;
    const warn = countedWarning(log, 'connections refused: overloaded', { everyMs: 10_000, now: () => now });
    warn({ reason: 'event-loop' });
    for (let i = 0; i < 499; i++) {
      now += 10;
      warn({ reason: 'event-loop' });
    }
    now = 10_000;
    warn({ reason: 'connections' });
    const lines = log.lines.map((l) => JSON.parse(l) as { level: string; msg: string; refused: number; reason: string });
    assert.deepEqual(lines.map(({ level, msg, refused, reason }) => ({ level, msg, refused, reason })), [
      { level: 'warn', msg: 'connections refused: overloaded', refused: 1, reason: 'event-loop' },
      { level: 'warn', msg: 'connections refused: overloaded', refused: 500, reason: 'connections' },
    ]);
  });
});
