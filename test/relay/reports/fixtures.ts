// Reports as the session service would write them, and an attacker's raw access to the file.
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewReport } from '#relay/ports.js';
import { createReportLog, type ReportStore } from '#relay/reports/index.js';

export function report(over: Partial<NewReport> = {}): NewReport {
  return {
    tenantId: 'contoso',
    sessionId: 'sess-1',
    helper: { userId: 'u-helper', upn: 'helper@contoso.example', name: 'Hanna Lindqvist' },
    sharer: { userId: 'u-sharer', upn: 'sharer@contoso.example', name: 'Sam Sharer' },
    device: { id: 'dev-1', name: 'LAPTOP-0001' },
    permission: 'view-screen',
    warnings: [],
    outcome: 'completed',
    policy: { step: null, refusal: null, reportOnly: [] },
    createdAt: '2026-03-01T10:00:00.000Z',
    joinedAt: '2026-03-01T10:00:30.000Z',
    consentAt: '2026-03-01T10:00:40.000Z',
    consent: 'allowed',
    endedAt: '2026-03-01T10:20:00.000Z',
    endedBy: 'helper',
    endReason: 'ended',
    ...over,
  };
}

/** What someone with write access to reports.db can do: a second connection, triggers dropped at will. */
export function openRaw(dataDir: string): Database.Database {
  return new Database(join(dataDir, 'reports.db'));
}

export function dropGuards(db: Database.Database): void {
  for (const t of ['reports_insert_extends_chain', 'reports_no_delete', 'reports_update_only_by_retention']) {
    db.exec(`DROP TRIGGER IF EXISTS ${t}`);
  }
}

/** Moves records at or above `from` by `delta` (two steps, so the primary key never collides). */
export function renumber(db: Database.Database, from: number, delta: number): void {
  db.prepare('UPDATE reports SET seq = -seq WHERE seq >= ?').run(from);
  db.prepare('UPDATE reports SET seq = -seq + ? WHERE seq < 0').run(delta);
}

/** A fresh report log in its own temp folder for every test of the block, closed and removed after. */
export function useReportLog(onOpen: (opened: { dir: string; log: ReportStore }) => void): void {
  let opened: { dir: string; log: ReportStore } | undefined;
  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rh-reports-'));
    opened = { dir, log: createReportLog({ dataDir: dir }) };
    onOpen(opened);
  });
  afterEach(async () => {
    opened?.log.close();
    if (opened) await rm(opened.dir, { recursive: true, force: true });
  });
}
