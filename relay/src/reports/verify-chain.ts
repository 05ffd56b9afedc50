// Walks the report chain in seq order and names the first record that does not fit.
//
// For each row: the content must hash to its contentHash and agree with the columns copied out of it;
// the header (seq, id, tenant, createdAt, prevHash, contentHash) must hash to its hash; its seq must
// follow the previous one; its prevHash must be the previous record's hash. When a row fails, the
// cause is named as a person would say it:
// - edited:   the content (or a header column) no longer matches its hash;
// - deleted:  a seq is missing, or a record was renumbered down into the gap (its hash matches seq+1);
// - inserted: a record was renumbered up to make room (its hash matches seq-1);
// - altered:  a record is self-consistent but its successor expects another hash for it (edited and
//             re-hashed, or replaced).
// A tombstone (content removed by retention) is checked for its header and links, and must belong to
// a recorded retention run of its tenant whose cutoff lies after it.
// What no chain can show by itself: removing the newest records, or rewriting the whole chain.
// Against that, keep the head hash (printed by the verify command) somewhere else.
import { genesisHash, headerHash, sha256Hex, type ReportContent } from './chain-hash.js';
import { searchColumns } from './search-columns.js';

/** A reports row in SELECT order (raw mode, for speed over 100k rows). */
export type ChainRow = [
  seq: number, id: string, tenantId: string, createdAt: string, prevHash: string, contentHash: string, hash: string,
  body: string | null, helperUpn: string | null, sharerUpn: string | null, deviceId: string | null,
  deviceName: string | null, outcome: string | null, removedBy: number | null,
];
export const chainRowColumns =
  'seq, id, tenant_id, created_at, prev_hash, content_hash, hash, body, helper_upn, sharer_upn, device_id, device_name, outcome, removed_by';

export interface RetentionRun {
  id: number;
  tenantId: string;
  before: string;
  at: string;
  count: number;
}

export interface ChainVerification {
  intact: boolean;
  /** Records walked, tombstones included. */
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
  /** Tombstones met, by retention run: "n records removed by retention on <date>". */
  removed: Array<{ runId: number; tenantId: string; before: string; at: string; count: number }>;
  /** Hash of the last record (genesis when empty): keep it elsewhere to detect a rewritten chain. */
  headHash: string;
  /** One line for a person: "Report chain intact: N records (…removed by retention on …)" or
   * "Report chain BROKEN at record N: <problem>". */
  message: string;
}

function message(v: Omit<ChainVerification, 'message'>): string {
  if (!v.intact) return `Report chain BROKEN at record ${v.firstBadSeq}: ${v.problem}`;
  const removed = v.removed.map((r) => `${r.count} record${r.count === 1 ? '' : 's'} removed by retention on ${r.at.slice(0, 10)}`);
  return `Report chain intact: ${v.checked} records${removed.length ? ` (${removed.join('; ')})` : ''}`;
}

/** Checks rows one at a time, in seq order: `next` answers the verdict at the first bad row, `end` the
 * verdict once every row passed. One walker serves the synchronous SQLite iterator and PostgreSQL's
 * pages alike, so both stores answer the same words for the same chain. */
export interface ChainWalker {
  next(row: ChainRow): ChainVerification | undefined;
  end(): ChainVerification;
}

export function chainWalker(runs: Map<number, RetentionRun>): ChainWalker {
  let checked = 0;
  let prevHash = genesisHash;
  let prevPrevHash: string | null = null;
  let expectedSeq = 1;
  const removed = new Map<number, number>();
  const summary = () => [...removed].map(([runId, count]) => {
    const run = runs.get(runId)!;
    return { runId, tenantId: run.tenantId, before: run.before, at: run.at, count };
  });
  const answer = (v: Omit<ChainVerification, 'message'>): ChainVerification => ({ ...v, message: message(v) });
  const bad = (seq: number, problem: string): ChainVerification =>
    answer({ intact: false, checked, firstBadSeq: seq, problem, removed: summary(), headHash: prevHash });

  function next(row: ChainRow): ChainVerification | undefined {
    const [seq, id, tenantId, createdAt, linkedHash, contentHash, hash, body, , , , , , removedBy] = row;
    checked++;
    if (seq > expectedSeq) {
      const which = seq - expectedSeq === 1 ? `record ${expectedSeq} was` : `records ${expectedSeq}–${seq - 1} were`;
      return bad(expectedSeq, `${which} deleted: the chain jumps from record ${expectedSeq - 1} to record ${seq}`);
    }

    const contentProblem = body === null ? tombstoneProblem(row, runs) : liveProblem(row);
    if (contentProblem) return bad(seq, `record ${seq} ${contentProblem}`);

    const header = { seq, id, tenantId, createdAt, prevHash: linkedHash, contentHash };
    if (headerHash(header) !== hash) {
      if (headerHash({ ...header, seq: seq - 1 }) === hash) {
        return bad(seq - 1, `record ${seq - 1} was inserted: the record now numbered ${seq} was numbered ${seq - 1}` +
          (linkedHash === prevPrevHash ? ` and links to record ${seq - 2}` : ''));
      }
      if (headerHash({ ...header, seq: seq + 1 }) === hash) {
        return bad(seq, `record ${seq} was deleted: the record now numbered ${seq} was numbered ${seq + 1} and links to a record that is gone`);
      }
      return bad(seq, `record ${seq} was edited: its hash does not match its content`);
    }
    if (linkedHash !== prevHash) {
      return seq === 1
        ? bad(1, 'record 1 was altered: it does not start the chain (its prevHash is not the genesis hash)')
        : bad(seq - 1, `record ${seq - 1} was altered: record ${seq} links to a different hash for it (edited and re-hashed, replaced, or inserted)`);
    }

    if (body === null && removedBy !== null) removed.set(removedBy, (removed.get(removedBy) ?? 0) + 1);
    prevPrevHash = prevHash;
    prevHash = hash;
    expectedSeq = seq + 1;
    return undefined;
  }

  return {
    next,
    end: () => answer({ intact: true, checked, firstBadSeq: null, problem: null, removed: summary(), headHash: prevHash }),
  };
}

export function verifyChain(rows: Iterable<ChainRow>, runs: Map<number, RetentionRun>): ChainVerification {
  const walker = chainWalker(runs);
  for (const row of rows) {
    const verdict = walker.next(row);
    if (verdict) return verdict;
  }
  return walker.end();
}

/** The same walk over rows that arrive in pages (PostgreSQL): stops reading at the first bad row. */
export async function verifyChainPaged(pages: AsyncIterable<ChainRow[]>, runs: Map<number, RetentionRun>): Promise<ChainVerification> {
  const walker = chainWalker(runs);
  for await (const page of pages) {
    for (const row of page) {
      const verdict = walker.next(row);
      if (verdict) return verdict;
    }
  }
  return walker.end();
}

function liveProblem(row: ChainRow): string | null {
  const [, , tenantId, createdAt, , contentHash, , body, helperUpn, sharerUpn, deviceId, deviceName, outcome, removedBy] = row;
  if (sha256Hex(body!) !== contentHash) return 'was edited: its hash does not match its content';
  let content: ReportContent;
  try {
    content = JSON.parse(body!) as ReportContent;
  } catch {
    return 'was edited: its content is not valid JSON';
  }
  const cols = searchColumns(content);
  if (content.tenantId !== tenantId || content.createdAt !== createdAt) {
    return 'was edited: its tenant or creation time does not match its content';
  }
  if (cols.helperUpn !== helperUpn || cols.sharerUpn !== sharerUpn || cols.deviceId !== deviceId ||
      cols.deviceName !== deviceName || cols.outcome !== outcome) {
    return 'was edited: its search columns do not match its content';
  }
  if (removedBy !== null) return 'was edited: it is marked removed by retention but still has content';
  return null;
}

function tombstoneProblem(row: ChainRow, runs: Map<number, RetentionRun>): string | null {
  const [, , tenantId, createdAt, , , , , helperUpn, sharerUpn, deviceId, deviceName, outcome, removedBy] = row;
  const run = removedBy === null ? undefined : runs.get(removedBy);
  if (!run) return 'was blanked outside of retention: its content is gone and no retention run removed it';
  if (run.tenantId !== tenantId || !(createdAt < run.before)) {
    return `was blanked outside of retention: retention run ${run.id} did not cover it`;
  }
  if (helperUpn !== null || sharerUpn !== null || deviceId !== null || deviceName !== null || outcome !== null) {
    return 'was edited: it was removed by retention but has search columns again';
  }
  return null;
}
