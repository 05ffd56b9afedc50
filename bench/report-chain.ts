// Session-report chain at 100k records: how long `verify()` takes to walk and re-hash all of them,
// and what appending costs — in bulk (one transaction) and one by one (one transaction each, as the
// relay appends when a session ends). Needs no relay or browser; `tsx bench/report-chain.ts` runs it
// alone, `npm run bench -- --only=report-chain` with the others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewReport } from '#relay/ports.js';
import { createReportLog } from '#relay/reports/index.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

export function syntheticReport(i: number): NewReport {
  const t = Date.UTC(2025, 0, 1) + i * 5 * 60_000;
  const iso = (ms: number) => new Date(t + ms).toISOString();
  const tenant = i % 3 === 0 ? 'fabrikam' : 'contoso';
  const enrolled = i % 4 !== 0;
  return {
    tenantId: tenant,
    sessionId: `session-${i}`,
    helper: { userId: `helper-${i % 40}`, upn: `helper${i % 40}@${tenant}.example`, name: `Helper Number ${i % 40}` },
    sharer: { userId: `user-${i % 5000}`, upn: `user${i % 5000}@${tenant}.example`, name: `User Number ${i % 5000}` },
    device: enrolled ? { id: `device-${i % 20000}`, name: `LAPTOP-${String(i % 20000).padStart(5, '0')}` } : null,
    permission: 'view-screen',
    warnings: enrolled
      ? (i % 7 === 0 ? [{ kind: 'noncompliant', reasons: ['OS version 10.0.19045 is below 10.0.22631', 'Disk encryption is off'] }] : [])
      : [{ kind: 'unenrolled', reasons: [] }],
    outcome: i % 11 === 0 ? 'denied' : i % 17 === 0 ? 'refused' : 'completed',
    policy: {
      step: i % 17 === 0 ? 'join' : null,
      refusal: i % 17 === 0 ? { code: 'compliant-device-required', ruleId: 'ca-1', ruleName: 'Require compliant device' } : null,
      reportOnly: i % 13 === 0 ? [{ ruleId: 'ca-2', ruleName: 'MFA for helpers (report-only)', grant: 'require-mfa' }] : [],
    },
    createdAt: iso(0),
    joinedAt: iso(20_000),
    consentAt: iso(30_000),
    consent: i % 11 === 0 ? 'denied' : 'allowed',
    endedAt: iso(600_000),
    endedBy: i % 2 ? 'helper' : 'sharer',
    endReason: 'ended',
  };
}

export async function reportChain(records = 100_000, verifyRuns = 5, singleAppends = 500): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rh-bench-reports-'));
  try {
    const log = createReportLog({ dataDir: dir });
    const entries = Array.from({ length: records }, (_, i) => syntheticReport(i));

    let started = performance.now();
    await log.appendMany(entries);
    const bulkMs = Math.round(performance.now() - started);
    process.stdout.write(`  built ${records} records in one transaction: ${bulkMs} ms\n`);

    const verify: number[] = [];
    for (let run = 0; run < verifyRuns; run++) {
      started = performance.now();
      const v = await log.verify();
      verify.push(Math.round(performance.now() - started));
      if (!v.intact || v.checked !== records) throw new Error(`verify: ${v.problem ?? `checked ${v.checked}`}`);
      process.stdout.write(`  verify ${run + 1}/${verifyRuns}: ${verify.at(-1)} ms\n`);
    }

    const single: number[] = [];
    for (let i = 0; i < singleAppends; i++) {
      started = performance.now();
      await log.append(syntheticReport(records + i));
      single.push(Math.round((performance.now() - started) * 100) / 100);
    }

    const list: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      await log.list('contoso', { helper: `helper${i}@`, outcome: 'completed', limit: 50 });
      list.push(Math.round((performance.now() - started) * 100) / 100);
    }
    const total = await log.size();
    await log.close();

    return {
      name: 'report-chain',
      description: `Session-report chain: verify() over ${records.toLocaleString('en')} records, and appending`,
      measures: [
        measure(`verify ${records / 1000}k records`, verify, '≤ 3000'),
        measure(`append ${records / 1000}k in one transaction`, [bulkMs]),
        measure('append 1 record (own transaction)', single),
        measure('list: helper filter, page of 50', list),
      ],
      notes: [
        `bulk append: ${Math.round(records / (bulkMs / 1000)).toLocaleString('en')} records/s; single append: ${Math.round(1000 / (single.reduce((a, b) => a + b, 0) / single.length)).toLocaleString('en')} records/s`,
        `verify streams the chain in seq order (better-sqlite3 .iterate(), raw rows), re-hashes each record's content and header (SHA-256), checks links, seq continuity and search columns; ${total.toLocaleString('en')} records at the end`,
        'file in a temp folder on the local disk, WAL, synchronous=FULL (SQLite default); synthetic reports of ~0.9 KB canonical JSON each',
        `machine: ${process.platform} ${process.arch}, Node ${process.version}`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await reportChain();
  console.log(`  → ${writeResult(result)}\n\n${table([result])}`);
}
