// One JSON line per event. Callers pass ids, never security codes or chat text (DESIGN §5).
import type { Log } from './ports.js';

type Level = 'info' | 'warn' | 'error';

export function createJsonLog(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Log {
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    const err = fields?.['error'];
    const extra = err instanceof Error ? { error: err.message, stack: err.stack } : {};
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields, ...extra }));
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** Keeps every line in memory: tests read it (e.g. to prove a code never reaches the log). */
export function createMemoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createJsonLog((l) => lines.push(l)) };
}
