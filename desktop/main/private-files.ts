// The console's kept data is owner-only: folders 0700, files 0600. The data folder holds the token
// cache (encrypted, but still its owner's alone), the sign-in state and the device inventory of the
// whole organization. A copy of relay/src/sqlite/private-files.ts: desktop/main may not import the relay
// (DESIGN §2). Modes are given where each file is made (SQLite makes its -wal and -shm with the database
// file's mode, so the file is made empty here first), and a folder left looser is tightened at start.
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** `dir` and any missing parents, made 0700; `dir` itself tightened when it exists with a looser mode. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  tighten(dir, privateDirMode);
}

/** A data file about to be opened (a SQLite database): made empty and 0600 when missing, tightened with
 * its -wal, -shm and -journal when they exist looser, in a private folder. */
export function ensurePrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  closeSync(openSync(file, 'a', privateFileMode));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(path, privateFileMode);
}

/** Walks a data folder: each folder 0700, each file 0600. Answers the paths it had to tighten (relative),
 * for a log line: a folder made by an earlier version, or copied in with the default umask. Symbolic
 * links are left alone (their mode is the target's, which may be outside). */
export function tightenTree(root: string): string[] {
  const tightened: string[] = [];
  const walk = (path: string, relative: string): void => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return; // gone meanwhile, or never there
    }
    if (stat.isSymbolicLink()) return;
    const mode = stat.isDirectory() ? privateDirMode : privateFileMode;
    if ((stat.mode & 0o777 & ~mode) !== 0) {
      chmodSync(path, (stat.mode & 0o777) & mode);
      tightened.push(relative || '.');
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name), relative ? `${relative}/${name}` : name);
  };
  walk(root, '');
  return tightened;
}

/** Takes group and other bits off `path` (keeping the owner's), when it exists. */
function tighten(path: string, mode: number): void {
  let current: number;
  try {
    current = lstatSync(path).mode & 0o777;
  } catch {
    return;
  }
  if ((current & ~mode) !== 0) chmodSync(path, current & mode);
}
