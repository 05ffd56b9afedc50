// A WindowCounter in a SQLite file, for counts that must outlive a restart (failed sign-ins: a restart
// must not hand out fresh guesses). Each call is one synchronous transaction, so it is atomic; one node
// only (several nodes share the Redis implementation).
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { WindowCounter, WindowHit } from '../ports.js';
import { ensurePrivateFile } from '../sqlite/private-files.js';

export interface SqliteWindowCounter extends WindowCounter {
  /** Takes events counted elsewhere (an earlier version's table), each expiring a window after it. */
  importEvents(events: readonly { key: string; at: number }[], windowMs: number): void;
  close(): void;
}

export function createSqliteWindowCounter(file: string): SqliteWindowCounter {
  ensurePrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS window_events (key TEXT NOT NULL, at INTEGER NOT NULL, expires INTEGER NOT NULL, ticket TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS window_events_key ON window_events (key, at);
    CREATE INDEX IF NOT EXISTS window_events_expires ON window_events (expires);
    CREATE INDEX IF NOT EXISTS window_events_ticket ON window_events (ticket);`);
  const q = {
    count: db.prepare<[string, number], { n: number; oldest: number | null }>('SELECT count(*) AS n, min(at) AS oldest FROM window_events WHERE key = ? AND at > ?'),
    add: db.prepare('INSERT INTO window_events (key, at, expires, ticket) VALUES (?, ?, ?, ?)'),
    sweep: db.prepare('DELETE FROM window_events WHERE expires <= ?'),
    refund: db.prepare('DELETE FROM window_events WHERE ticket = ?'),
    renew: db.prepare('UPDATE window_events SET at = ?, expires = ? WHERE ticket = ? AND expires > ?'),
    clear: db.prepare('DELETE FROM window_events WHERE key = ?'),
  };
  const hit = db.transaction((limits: readonly { key: string; limit: number }[], windowMs: number, now: number): WindowHit => {
    q.sweep.run(now);
    const current = limits.map(({ key, limit }) => ({ key, limit, ...q.count.get(key, now - windowMs)! }));
    const full = current.find(({ n, limit }) => n >= limit);
    if (full) return { allowed: false, key: full.key, retryAfterMs: Math.max(0, (full.oldest ?? now) + windowMs - now) };
    const ticket = randomUUID();
    for (const { key } of current) q.add.run(key, now, now + windowMs, ticket);
    return { allowed: true, remaining: Math.min(...current.map(({ n, limit }) => limit - n - 1)), ticket };
  });
  return {
    hit: async (limits, windowMs, now) => hit(limits, windowMs, now),
    count: async (key, windowMs, now) => q.count.get(key, now - windowMs)?.n ?? 0,
    refund: async (ticket) => void q.refund.run(ticket),
    renew: async (ticket, windowMs, now) => q.renew.run(now, now + windowMs, ticket, now).changes > 0,
    clear: async (key) => void q.clear.run(key),
    importEvents: db.transaction((events: readonly { key: string; at: number }[], windowMs: number) => {
      for (const { key, at } of events) q.add.run(key, at, at + windowMs, randomUUID());
    }),
    close: () => db.close(),
  };
}
