// Applies a database's schema migrations in order, each in its own transaction, recording the count
// in PRAGMA user_version. A file from a newer relay (more migrations than this one knows) is refused
// rather than written to.
import type Database from 'better-sqlite3';

export function applyMigrations(db: Database.Database, fileName: string, migrations: readonly string[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`${fileName} has schema version ${current}, newer than this relay knows (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
