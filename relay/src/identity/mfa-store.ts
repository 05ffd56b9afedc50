// Second factors of the embedded provider: a TOTP secret per user, in the identity folder's own SQLite
// file (the directory stays about who people are; this is about how they prove it). The last accepted
// time step is kept so a code works once: someone who saw it cannot sign in with it again. An
// administrator may require the app for a user (who then enrols at their next sign-in).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { matchTotp } from './totp.js';

export type TotpCheck = 'ok' | 'wrong' | 'used' | 'none';

export interface MfaStore {
  hasTotp(tenantId: string, userId: string): boolean;
  setTotp(tenantId: string, userId: string, secretBase32: string): void;
  /** Adds the secret only when the user has none (seeding must not undo a re-enrollment). */
  addTotpIfMissing(tenantId: string, userId: string, secretBase32: string): void;
  checkTotp(tenantId: string, userId: string, code: string, now: number): TotpCheck;
  /** Whether an administrator requires an authenticator app for the user (enrolled or not yet). */
  totpRequired(tenantId: string, userId: string): boolean;
  /** On: the next sign-in without an app enrols one. Off: the requirement and the user's secret go, so
   * turning it off and on again is how a lost phone is replaced. */
  setTotpRequired(tenantId: string, userId: string, required: boolean): void;
  /** Failed sign-ins counted here by earlier versions, handed over once (and removed) so the counter
   * that keeps them now can take them: an upgrade must not hand out fresh guesses. */
  takeLegacyFailures(): { key: string; at: number }[];
  close(): void;
}

interface Row { secret: string; last_step: number | null }

export function createMfaStore(dataDir: string): MfaStore {
  const dir = join(dataDir, 'identity');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dir, 'mfa.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS totp (
      tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, secret TEXT NOT NULL, last_step INTEGER,
      PRIMARY KEY (tenant_id, user_id));
    CREATE TABLE IF NOT EXISTS totp_required (tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (tenant_id, user_id));`);
  const q = {
    get: db.prepare<[string, string], Row>('SELECT secret, last_step FROM totp WHERE tenant_id = ? AND user_id = ?'),
    set: db.prepare(`INSERT INTO totp (tenant_id, user_id, secret, last_step) VALUES (?, ?, ?, NULL)
      ON CONFLICT (tenant_id, user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL`),
    addIfMissing: db.prepare('INSERT OR IGNORE INTO totp (tenant_id, user_id, secret, last_step) VALUES (?, ?, ?, NULL)'),
    // Compare-and-set: two sign-ins racing with one code cannot both pass.
    required: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM totp_required WHERE tenant_id = ? AND user_id = ?'),
    require: db.prepare('INSERT OR IGNORE INTO totp_required (tenant_id, user_id) VALUES (?, ?)'),
    unrequire: db.prepare('DELETE FROM totp_required WHERE tenant_id = ? AND user_id = ?'),
    forget: db.prepare('DELETE FROM totp WHERE tenant_id = ? AND user_id = ?'),
    use: db.prepare(`UPDATE totp SET last_step = @step WHERE tenant_id = @tenantId AND user_id = @userId
      AND (last_step IS NULL OR last_step < @step)`),
  };
  return {
    hasTotp: (tenantId, userId) => q.get.get(tenantId, userId) !== undefined,
    setTotp: (tenantId, userId, secret) => void q.set.run(tenantId, userId, secret),
    addTotpIfMissing: (tenantId, userId, secret) => void q.addIfMissing.run(tenantId, userId, secret),
    checkTotp(tenantId, userId, code, now) {
      const row = q.get.get(tenantId, userId);
      if (!row) return 'none';
      const step = matchTotp(row.secret, code.replace(/\s+/g, ''), now);
      if (step === null) return 'wrong';
      return q.use.run({ tenantId, userId, step }).changes === 1 ? 'ok' : 'used';
    },
    totpRequired: (tenantId, userId) => q.required.get(tenantId, userId) !== undefined,
    setTotpRequired: db.transaction((tenantId: string, userId: string, required: boolean) => {
      if (required) {
        q.require.run(tenantId, userId);
        return;
      }
      q.unrequire.run(tenantId, userId);
      q.forget.run(tenantId, userId);
    }),
    takeLegacyFailures: db.transaction(() => {
      const legacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'failures'").get();
      if (!legacy) return [];
      const rows = db.prepare<[], { key: string; at: number }>('SELECT subject AS key, at FROM failures').all();
      db.exec('DROP TABLE failures');
      return rows;
    }),
    close: () => db.close(),
  };
}
