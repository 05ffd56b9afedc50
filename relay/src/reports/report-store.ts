// What every report store answers beyond the relay's ReportLog port (SQLite: report-log.ts, PostgreSQL:
// pg-report-log.ts), and the steps both take the same way, so the two cannot hash or store differently.
import { sessionReport, type ReportReview, type SessionReport } from '#protocol';
import type { NewReport, ReportLog } from '../ports.js';
import { contentText, genesisHash, headerHash, sha256Hex, type ReportContent, type ReportHeader } from './chain-hash.js';
import { searchColumns, type SearchColumns } from './search-columns.js';
import type { ChainVerification, RetentionRun } from './verify-chain.js';

/** The ReportLog port, with verify()'s fuller answer and a few extras for tools and the admin API. */
export interface ReportStore extends ReportLog {
  verify(): Promise<ChainVerification>;
  /** Appends many reports in one transaction (imports, benchmarks). */
  appendMany(entries: NewReport[]): Promise<SessionReport[]>;
  /** Number of records in the chain, tombstones included. */
  size(): Promise<number>;
  retentionRuns(): Promise<RetentionRun[]>;
}

// Only the fields of the schema are kept: whatever else a caller passes (never chat or screen content,
// but a bug could try) is dropped before it is hashed and stored.
// A review is never content: it is kept beside the chain (report_reviews).
const newReportSchema = sessionReport.omit({ seq: true, id: true, prevHash: true, hash: true, review: true });
const timeFields = ['createdAt', 'joinedAt', 'consentAt', 'endedAt'] as const;

/** A new record, ready to insert: its content in canonical form and every column computed from it. */
export interface ChainedRecord extends SearchColumns, ReportHeader {
  hash: string;
  body: string;
  report: SessionReport;
}

/** The content of a new report, as stored and hashed (times in one ISO form). */
export function reportContent(entry: NewReport): ReportContent {
  const content: ReportContent = newReportSchema.parse(entry);
  for (const f of timeFields) {
    const v = content[f];
    // One form for every time, so that ordering and date filters on the text are correct.
    if (v !== null) content[f] = new Date(v).toISOString();
  }
  return content;
}

/** Links `content` after the chain's head (none: the genesis). */
export function chainRecord(content: ReportContent, head: { seq: number; hash: string } | undefined, id: string): ChainedRecord {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? genesisHash;
  const body = contentText(content);
  const contentHash = sha256Hex(body);
  const hash = headerHash({ seq, id, tenantId: content.tenantId, createdAt: content.createdAt, prevHash, contentHash });
  return {
    seq, id, tenantId: content.tenantId, createdAt: content.createdAt, prevHash, contentHash, hash, body, ...searchColumns(content),
    report: { ...content, seq, id, prevHash, hash },
  };
}

/** A stored live record back as a report. */
export function storedReport(r: { seq: number; id: string; prev_hash: string; hash: string; body: string }): SessionReport {
  return { ...(JSON.parse(r.body) as ReportContent), seq: r.seq, id: r.id, prevHash: r.prev_hash, hash: r.hash };
}

/** A review row back as the protocol's shape. */
export interface ReviewRow { report_id: string; reviewed_by_id: string; reviewed_by_name: string; reviewed_at: string }
export const reviewOf = (r: ReviewRow): ReportReview => ({ by: { userId: r.reviewed_by_id, name: r.reviewed_by_name }, at: r.reviewed_at });

/** The reports with their reviews, where there are any. */
export function withReviews(items: SessionReport[], rows: ReviewRow[]): SessionReport[] {
  const byId = new Map(rows.map((r) => [r.report_id, reviewOf(r)]));
  return items.map((item) => {
    const review = byId.get(item.id);
    return review ? { ...item, review } : item;
  });
}

/** The page bounds list() applies, whatever the store. */
export function pageOf(query: { offset?: number | undefined; limit?: number | undefined }): { offset: number; limit: number } {
  return {
    offset: Math.max(0, Math.trunc(query.offset ?? 0)),
    limit: Math.min(500, Math.max(1, Math.trunc(query.limit ?? 50))),
  };
}

/** The cutoff of a retention run in canonical form; a date that is not one is the caller's bug. */
export function retentionBefore(before: string): string {
  const t = Date.parse(before);
  if (Number.isNaN(t)) throw new RangeError(`applyRetention: "${before}" is not a date`);
  return new Date(t).toISOString();
}
