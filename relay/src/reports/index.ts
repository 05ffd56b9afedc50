export { createReportLog, type ReportLogOptions, type SqliteReportStore } from './report-log.js';
export { createPgReportLog, type PgReportLogOptions } from './pg-report-log.js';
export type { ReportStore } from './report-store.js';
export { canonicalJson } from './canonical-json.js';
export { contentText, genesisHash, headerHash, reportHash, sha256Hex, type ReportContent, type ReportHeader } from './chain-hash.js';
export { isReportDate, reportWhere, type ReportFilter } from './report-filter.js';
export { csvField } from './report-csv.js';
export type { ChainVerification, RetentionRun } from './verify-chain.js';
