// How a report is hashed into the chain. Defined once, here; verify() and append() both call it.
//
//   content      = the SessionReport without seq, id, prevHash and hash
//   contentHash  = SHA-256 hex of canonicalJson(content)
//   hash         = SHA-256 hex of canonicalJson({ seq, id, tenantId, createdAt, prevHash, contentHash })
//   genesis      = the prevHash of record 1: 64 zeros
//
// Two levels, so that retention can remove a record's content (helper, sharer, device, …) and keep
// its header: a tombstone still carries seq, id, tenant, creation time, link and contentHash, so its
// own hash and its link to its neighbours are still checked; only its content can no longer be.
import { hash } from 'node:crypto';
import type { SessionReport } from '#protocol';
import { canonicalJson } from './canonical-json.js';

export const genesisHash = '0'.repeat(64);

/** The fields of a report that the log does not assign. */
export type ReportContent = Omit<SessionReport, 'seq' | 'id' | 'prevHash' | 'hash'>;

export interface ReportHeader {
  seq: number;
  id: string;
  tenantId: string;
  createdAt: string;
  prevHash: string;
  contentHash: string;
}

export function sha256Hex(text: string): string {
  // One-shot crypto.hash (Node ≥ 20.12): half the cost of createHash() per record, which verify() feels at 100k.
  return hash('sha256', text, 'hex');
}

/** The canonical text of a report's content: what the log stores and what contentHash covers. */
export function contentText(content: ReportContent): string {
  return canonicalJson(content);
}

/** sha256Hex(canonicalJson(header)), written out with the keys already in canonical order: verify()
 * computes it for every record, and the generic serializer's key sort is most of its cost. A test
 * holds it equal to the generic form. */
export function headerHash(h: ReportHeader): string {
  if (!Number.isSafeInteger(h.seq)) throw new TypeError(`seq must be an integer, got ${h.seq}`);
  const s = JSON.stringify;
  return sha256Hex(
    `{"contentHash":${s(h.contentHash)},"createdAt":${s(h.createdAt)},"id":${s(h.id)},"prevHash":${s(h.prevHash)},"seq":${h.seq},"tenantId":${s(h.tenantId)}}`,
  );
}

/** The hash a whole SessionReport must carry; for tools and tests that hold a report, not a row. */
export function reportHash(report: Omit<SessionReport, 'hash'>): string {
  const { seq, id, prevHash, ...content } = report;
  return headerHash({
    seq, id, tenantId: content.tenantId, createdAt: content.createdAt, prevHash, contentHash: sha256Hex(contentText(content)),
  });
}
