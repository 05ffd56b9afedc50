// Opens inventory.db, or, when the file is not an inventory this console can use (not SQLite at all,
// another application's SQLite file, a truncated or damaged file, or a file of a newer console), moves
// it aside with its -wal and -shm, says so in the log, and starts a fresh inventory that the next sync
// refills. The inventory is a copy of the relay's directory: nothing is lost that a sync cannot bring
// back, and the moved file stays for anyone who wants to look at it.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { applicationId, migrate, schemaVersion, version1Columns } from './migrations.js';
import { ensurePrivateDir, ensurePrivateFile } from '../private-files.js';

export type Unusable = 'not-sqlite' | 'truncated' | 'corrupt' | 'foreign' | 'newer';

export interface InventoryRecovery {
  reason: Unusable;
  /** Where the file was moved. */
  movedTo: string;
  detail: string;
}

export interface OpenedFile {
  db: Database.Database;
  recovered: InventoryRecovery | null;
}

export interface OpenLog {
  error(msg: string, fields?: Record<string, unknown>): void;
}

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1');

/** What the file's first 100 bytes (the SQLite header) and its size say, before SQLite reads it. */
function checkHeader(file: string): { unusable: Unusable; detail: string } | null {
  const size = statSync(file).size;
  if (size === 0) return null; // SQLite takes an empty file as an empty database
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 16 || !header.subarray(0, 16).equals(sqliteMagic)) return { unusable: 'not-sqlite', detail: 'the file does not start with the SQLite header' };
  if (read < 100) return { unusable: 'truncated', detail: `the file is ${size} bytes, shorter than a SQLite header` };
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { unusable: 'corrupt', detail: `page size ${rawPageSize} in the header` };
  // The page count in the header is valid when its change counter matches (SQLite 3.7.0 and later).
  const pages = header.readUInt32BE(28);
  if (header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0 && size < pages * pageSize) {
    return { unusable: 'truncated', detail: `the header counts ${pages} pages of ${pageSize} bytes, the file has ${size} bytes` };
  }
  return null;
}

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
}

/** Reads the file (read-only, changing nothing) and says why it cannot be used, or null when it can. */
function classify(file: string): { unusable: Unusable; detail: string } | null {
  if (!existsSync(file)) return null;
  const byHeader = checkHeader(file);
  if (byHeader) return byHeader;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    if (appId === applicationId) {
      if (version > schemaVersion) return { unusable: 'newer', detail: `schema version ${version}, this console knows up to ${schemaVersion}` };
    } else if (appId !== 0) {
      return { unusable: 'foreign', detail: `application_id ${appId} is not an inventory's` };
    } else if (version === 0) {
      if (tables.length > 0) return { unusable: 'foreign', detail: `tables ${tables.join(', ')} in a file without an inventory schema` };
    } else {
      // Version 1 did not stamp an application id: recognise it by its tables and columns.
      const isV1 = version === 1 && Object.entries(version1Columns).every(([t, cols]) => {
        const have = columnsOf(db!, t);
        return cols.every((c) => have.includes(c));
      });
      if (!isV1) return { unusable: 'foreign', detail: `user_version ${version} and tables ${tables.join(', ') || '(none)'} are not an inventory's` };
    }
    const check = db.pragma('quick_check(1)', { simple: true }) as string;
    if (check !== 'ok') return { unusable: 'corrupt', detail: `quick_check: ${check}` };
    return null;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB') return { unusable: 'not-sqlite', detail: (e as Error).message };
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ') return { unusable: 'corrupt', detail: (e as Error).message };
    throw e;
  } finally {
    db?.close();
  }
}

/** `2026-05-01T09-30-00.000Z`: ISO 8601 with the colons a Windows file name cannot have replaced. */
export function fileStamp(at: Date): string {
  return at.toISOString().replaceAll(':', '-');
}

function moveAside(file: string, reason: Unusable, at: Date): string {
  const movedTo = `${file}.${reason === 'newer' ? 'newer' : 'corrupt'}-${fileStamp(at)}`;
  renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  return movedTo;
}

function openReady(file: string): Database.Database {
  ensurePrivateFile(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The sync writes pages of thousands of rows: a larger page cache keeps the unique key's pages in memory.
    db.pragma('cache_size = -32000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function openInventoryFile(file: string, opts: { log: OpenLog; now?: () => Date }): OpenedFile {
  ensurePrivateDir(dirname(file));
  const now = opts.now ?? (() => new Date());
  let problem = classify(file);
  if (!problem) {
    try {
      return { db: openReady(file), recovered: null };
    } catch (e) {
      // Damage that only shows once SQLite writes (the migration, the WAL): recovered the same way.
      const code = (e as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_CORRUPT') && code !== 'SQLITE_NOTADB' && code !== 'SQLITE_IOERR_SHORT_READ') throw e;
      problem = { unusable: code === 'SQLITE_NOTADB' ? 'not-sqlite' : 'corrupt', detail: (e as Error).message };
    }
  }
  const movedTo = moveAside(file, problem.unusable, now());
  const why = {
    'not-sqlite': 'is not a SQLite database',
    truncated: 'is truncated',
    corrupt: 'is damaged',
    foreign: 'is another application\'s database',
    newer: 'was written by a newer version of the console',
  }[problem.unusable];
  opts.log.error(`The device inventory ${file} ${why} (${problem.detail}). It was moved to ${movedTo}, and a new, empty inventory was created: the next sync fills it again from the relay.`, { reason: problem.unusable, movedTo });
  return { db: openReady(file), recovered: { reason: problem.unusable, movedTo, detail: problem.detail } };
}
