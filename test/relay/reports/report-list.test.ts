import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createReportLog, type ReportStore } from '#relay/reports/index.js';
import { report, useReportLog } from '../../fixtures/reports.js';
import { forEachReportBackend, type ReportPlace } from '../../support/report-backends.js';

/** A small RFC 4180 reader, to check the export as a spreadsheet would read it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with CRLF');
  return rows;
}

forEachReportBackend((backend) => {
  describe('session reports: the admin view\'s list and CSV export', () => {
    let place: ReportPlace;
    let log: ReportStore;
    before(async () => {
      place = await backend.fresh();
      log = await place.open();
      const person = (upn: string, name = upn) => ({ userId: upn, upn, name });
      // 20 Contoso records over 20 days, two helpers, three devices, mixed outcomes; Fabrikam's in between.
      for (let i = 0; i < 20; i++) {
        await log.append(report({
          sessionId: `c${i}`,
          createdAt: `2026-03-${String(i + 1).padStart(2, '0')}T${i % 2 ? '23:59:59' : '00:00:00'}.000Z`,
          helper: person(i % 4 === 0 ? 'Admin@Contoso.example' : 'helper@contoso.example'),
          sharer: person(`sharer${i % 3}@contoso.example`),
          device: i % 5 === 0 ? null : { id: `dev-${i % 3}`, name: `LAPTOP-${i % 3}` },
          outcome: i % 3 === 0 ? 'denied' : 'completed',
        }));
        await log.append(report({ tenantId: 'fabrikam', sessionId: `f${i}`, helper: person('helper@fabrikam.example'),
          createdAt: `2026-03-${String(i + 1).padStart(2, '0')}T12:00:00.000Z` }));
      }
    });
    after(() => place.remove());

    const ids = async (q: Parameters<ReportStore['list']>[1]) => (await log.list('contoso', q)).items.map((r) => r.sessionId);

    it('lists a tenant\'s records newest first, never another tenant\'s', async () => {
      const page = (await log.list('contoso', { limit: 500 }));
      assert.equal(page.total, 20);
      assert.equal(page.items[0]!.sessionId, 'c19');
      assert.equal(page.items.at(-1)!.sessionId, 'c0');
      assert.ok(page.items.every((r) => r.tenantId === 'contoso'));
      assert.equal((await log.list('nobody', {})).total, 0);
    });

    it('pages with a total, without overlap', async () => {
      const first = (await log.list('contoso', { offset: 0, limit: 7 }));
      const second = (await log.list('contoso', { offset: 7, limit: 7 }));
      const last = (await log.list('contoso', { offset: 14, limit: 7 }));
      assert.deepEqual([first.total, second.total, last.total], [20, 20, 20]);
      assert.deepEqual([first.items.length, second.items.length, last.items.length], [7, 7, 6]);
      assert.equal(second.offset, 7);
      assert.equal(new Set([...first.items, ...second.items, ...last.items].map((r) => r.seq)).size, 20);
      assert.equal((await log.list('contoso', {})).items.length, 20, 'default page size 50');
    });

    it('filters by helper or sharer UPN: any part of it, in any case', async () => {
      assert.deepEqual(await ids({ helper: 'ADMIN@' }), ['c16', 'c12', 'c8', 'c4', 'c0']);
      assert.equal((await log.list('contoso', { helper: 'contoso.EXAMPLE' })).total, 20);
      assert.equal((await log.list('contoso', { sharer: 'SHARER2' })).total, 6);
      assert.equal((await log.list('contoso', { helper: '%' })).total, 0, 'LIKE wildcards are plain text');
    });

    it('filters by device name (any part) or device id', async () => {
      assert.deepEqual(await ids({ device: 'laptop-1' }), ['c19', 'c16', 'c13', 'c7', 'c4', 'c1']);
      assert.deepEqual(await ids({ device: 'DEV-1' }), ['c19', 'c16', 'c13', 'c7', 'c4', 'c1']);
      assert.equal((await log.list('contoso', { device: 'dev-' })).total, 0, 'an id matches whole, a name in part');
      assert.equal((await log.list('contoso', { device: 'LAPTOP' })).total, 16, 'unenrolled sessions have no device');
    });

    it('filters by outcome and by an inclusive date range', async () => {
      assert.equal((await log.list('contoso', { outcome: 'denied' })).total, 7);
      // 2026-03-02 23:59:59 is inside "to 2026-03-02"; 2026-03-05 00:00:00 is inside "from 2026-03-05".
      assert.deepEqual(await ids({ to: '2026-03-02' }), ['c1', 'c0']);
      assert.deepEqual(await ids({ from: '2026-03-19' }), ['c19', 'c18']);
      assert.deepEqual(await ids({ from: '2026-03-05', to: '2026-03-06' }), ['c5', 'c4']);
      assert.deepEqual(await ids({ from: '2026-03-05T00:00:01Z', to: '2026-03-06' }), ['c5']);
      assert.deepEqual(await ids({ from: '2026-03-05', to: '2026-03-10', outcome: 'denied', helper: 'helper@' }), ['c9', 'c6']);
    });

    it('a date that is not a date matches nothing, rather than everything', async () => {
      assert.equal((await log.list('contoso', { from: 'yesterday' })).total, 0);
    });

    it('exports the same selection as CSV, one row per record, with a header', async () => {
      const rows = parseCsv((await log.exportCsv('contoso', { outcome: 'denied' })));
      const [header, ...body] = rows;
      assert.deepEqual(header!.slice(0, 5), ['seq', 'id', 'sessionId', 'outcome', 'createdAt']);
      assert.equal(body.length, 7);
      assert.ok(body.every((r) => r.length === header!.length && r[3] === 'denied'));
      assert.equal(body[0]![header!.indexOf('createdAt')], '2026-03-19T00:00:00.000Z');
    });
  });

  describe('session reports: CSV that is safe to open in a spreadsheet', () => {
    let log: ReportStore;
    let place: ReportPlace;
    useReportLog(backend, (opened) => ({ log, place } = opened));

    it('exports the times a member was away and the pauses, one cell each; older records leave them empty', async () => {
      const own = await place.open();
      try {
        await own.append(report({ sessionId: 'old' })); // written before gaps and pauses were kept
        await own.append(report({
          sessionId: 'interrupted',
          gaps: [
            { role: 'sharer', from: '2026-03-01T10:01:00.000Z', to: '2026-03-01T10:01:20.000Z', reason: 'left' },
            { role: 'helper', from: '2026-03-01T10:05:00.000Z', to: null, reason: 'connection' },
          ],
          pauses: [{ from: '2026-03-01T10:02:00.000Z', to: '2026-03-01T10:03:00.000Z' }, { from: '2026-03-01T10:04:00.000Z', to: null }],
        }));
        const [header, ...rows] = parseCsv((await own.exportCsv('contoso', {})));
        const cells = (id: string, name: string) => rows.find((r) => r[header!.indexOf('sessionId')] === id)![header!.indexOf(name)];
        assert.equal(cells('interrupted', 'gaps'), 'sharer left 2026-03-01T10:01:00.000Z/2026-03-01T10:01:20.000Z; helper connection 2026-03-01T10:05:00.000Z/');
        assert.equal(cells('interrupted', 'pauses'), '2026-03-01T10:02:00.000Z/2026-03-01T10:03:00.000Z; 2026-03-01T10:04:00.000Z/');
        assert.equal(cells('old', 'gaps'), '');
        assert.equal(cells('old', 'pauses'), '');
        const listed = (await own.list('contoso', {})).items.find((r) => r.sessionId === 'interrupted');
        assert.equal(listed?.gaps?.[1]?.to, null);
        assert.equal(listed?.pauses?.length, 2);
        assert.equal((await own.verify()).intact, true, 'records with and without them verify');
      } finally {
        await own.close();
      }
    });

    it('quotes commas, quotes and line breaks, and defuses cells that would run as formulas', async () => {
      await log.append(report({
        helper: { userId: 'h', upn: 'helper@contoso.example', name: 'Doe, Jane "JD"' },
        sharer: { userId: 's', upn: 'sharer@contoso.example', name: '=HYPERLINK("http://evil.example","Click")' },
        device: { id: 'dev-9', name: '@SUM(A1:A9)' },
        endReason: 'line one\nline two',
        warnings: [{ kind: 'noncompliant', reasons: ['OS 10.0.19045 is older than 10.0.22631', 'Firewall off'] }, { kind: 'unenrolled', reasons: [] }],
        policy: { step: 'join', refusal: { code: 'policy-blocked', ruleId: 'r1', ruleName: '-1+1' }, reportOnly: [{ ruleId: 'r2', ruleName: 'Block +cmd', grant: 'require-mfa' }] },
        outcome: 'refused',
      }));
      const text = (await log.exportCsv('contoso', {}));
      assert.ok(text.includes('"Doe, Jane ""JD"""'));
      assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example"",""Click"")"`));
      const [header, row] = parseCsv(text);
      const cell = (name: string) => row![header!.indexOf(name)];
      assert.equal(cell('helperName'), 'Doe, Jane "JD"');
      assert.equal(cell('sharerName'), '\'=HYPERLINK("http://evil.example","Click")');
      assert.equal(cell('deviceName'), '\'@SUM(A1:A9)');
      assert.equal(cell('refusalRule'), '\'-1+1');
      assert.equal(cell('reportOnlyRules'), 'Block +cmd (require-mfa)', 'defused only at the start of a cell');
      assert.equal(cell('endReason'), 'line one\nline two');
      assert.equal(cell('warnings'), 'noncompliant: OS 10.0.19045 is older than 10.0.22631, Firewall off; unenrolled');
      assert.equal(cell('outcome'), 'refused');
      assert.equal(cell('createdAt'), '2026-03-01T10:00:00.000Z');
      assert.equal(cell('joinedAt'), '2026-03-01T10:00:30.000Z');
    });

    it('an empty selection is just the header', async () => {
      assert.equal(parseCsv((await log.exportCsv('contoso', {}))).length, 1);
    });
  });

  describe('session reports: a device\'s recent sessions', () => {
    let log: ReportStore;
    useReportLog(backend, (opened) => ({ log } = opened));

    it('answers a device\'s records newest first, within its tenant, whatever the id\'s case', async () => {
      for (let i = 0; i < 5; i++) {
        await log.append(report({ sessionId: `s${i}`, createdAt: `2026-04-0${i + 1}T10:00:00.000Z`, device: { id: i % 2 ? 'Dev-A' : 'dev-b', name: 'X' } }));
      }
      await log.append(report({ tenantId: 'fabrikam', sessionId: 'f', createdAt: '2026-04-09T10:00:00.000Z', device: { id: 'Dev-A', name: 'X' } }));
      assert.deepEqual((await log.recentForDevice('contoso', 'Dev-A', 10)).map((r) => r.sessionId), ['s3', 's1']);
      assert.deepEqual((await log.recentForDevice('contoso', 'dev-b', 2)).map((r) => r.sessionId), ['s4', 's2']);
    });
  });
});

forEachReportBackend((backend) => {
  describe('session reports: searching by helper finds a session handed over to them', () => {
    let place: ReportPlace;
    let log: ReportStore;
    before(async () => {
      place = await backend.fresh();
      log = await place.open();
      const colleague = (upn: string, handedOverAt: string | null) => ({
        userId: upn, upn, name: upn, invitedBy: { userId: 'u-helper', name: 'Hanna Lindqvist' }, invitedAt: '2026-03-01T10:05:00.000Z',
        state: 'allowed' as const, answeredAt: '2026-03-01T10:05:10.000Z', consent: 'allowed' as const, consentAt: '2026-03-01T10:05:20.000Z',
        leftAt: handedOverAt ? null : '2026-03-01T10:20:00.000Z', handedOverAt,
      });
      await log.append(report({ sessionId: 'handed', colleagues: [colleague('Second.Line@Contoso.example', '2026-03-01T10:10:00.000Z')] }));
      await log.append(report({ sessionId: 'helped', colleagues: [colleague('onlooker@contoso.example', null)] }));
      await log.append(report({ sessionId: 'alone' }));
      // Text the JSON parsers of the databases refuse in a body (PostgreSQL's jsonb has no \u0000): a record
      // with it must not fail a search that does not need to read it.
      await log.append(report({ sessionId: 'odd', sharer: { userId: 'u-odd', upn: 'odd@contoso.example', name: 'Nul\u0000 and \ud800 lone' } }));
      // …and a record that has to be read, with that text in it.
      await log.append(report({ sessionId: 'odd-handed', sharer: { userId: 'u-odd', upn: 'odd@contoso.example', name: 'Nul\u0000 and \ud800 lone' },
        colleagues: [colleague('third.line@contoso.example', '2026-03-01T10:10:00.000Z')] }));
      // A UPN beyond ASCII (SQLite's lower() changes ASCII letters only).
      await log.append(report({ sessionId: 'nordic', colleagues: [colleague('ÅSA.STRÖM@Contoso.example', '2026-03-01T10:10:00.000Z')] }));
      await log.append(report({ tenantId: 'fabrikam', sessionId: 'elsewhere', colleagues: [colleague('second.line@contoso.example', '2026-03-01T10:10:00.000Z')] }));
    });
    after(() => place.remove());

    const ids = async (helper: string) => (await log.list('contoso', { helper })).items.map((r) => r.sessionId).sort();

    it('matches the colleague it was handed over to (they were its helper from then on), not one who only helped', async () => {
      assert.deepEqual(await ids('second.line@'), ['handed']);
      assert.deepEqual(await ids('SECOND.LINE'), ['handed'], 'case-insensitive, as for the helper who started it');
      assert.deepEqual(await ids('onlooker'), [], 'an allowed colleague who never took over is not the helper');
      assert.deepEqual(await ids('helper@contoso'), ['alone', 'handed', 'helped', 'nordic', 'odd', 'odd-handed'], 'the helper who started each still finds it');
      const combined = await log.list('contoso', { helper: 'second.line', sharer: 'sharer@contoso', from: '2026-03-01', to: '2026-03-01', outcome: 'completed' });
      assert.deepEqual(combined.items.map((r) => r.sessionId), ['handed'], 'with the other filters beside it');
      const csv = await log.exportCsv('contoso', { helper: 'second.line' });
      assert.match(csv, /handed/);
      assert.doesNotMatch(csv, /helped|alone/, 'the export filters as the list does');
      assert.equal((await log.verify()).intact, true);
    });

    it('reads a record whose text a strict JSON parser refuses (\\u0000, a lone surrogate) instead of failing the search', async () => {
      assert.deepEqual(await ids('third.line'), ['odd-handed']);
      assert.deepEqual(await ids('contoso.example'), ['alone', 'handed', 'helped', 'nordic', 'odd', 'odd-handed'], 'every record, none refused');
    });

    it('lower-cases a handed-over UPN beyond ASCII, as it does the helper who started it', async () => {
      assert.deepEqual(await ids('åsa.ström@'), ['nordic']);
      assert.deepEqual(await ids('Åsa.Ström'), ['nordic']);
    });
  });
});

describe('session reports on SQLite: upgrades', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rh-reports-device-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('upgrades a version-1 file (the index and the reviews table are added) and its chain still verifies', async () => {
    const first = createReportLog({ dataDir: dir });
    await first.append(report({ sessionId: 'old', createdAt: '2026-01-01T10:00:00.000Z', device: { id: 'dev-old', name: 'OLD' } }));
    await first.close();
    const file = join(dir, 'reports.db');
    const db = new Database(file);
    db.exec('DROP INDEX reports_tenant_device; DROP TABLE report_reviews; DROP INDEX reports_tenant_sharer');
    db.pragma('user_version = 1');
    db.close();
    const reopened = createReportLog({ dataDir: dir });
    assert.deepEqual((await reopened.recentForDevice('contoso', 'dev-old', 5)).map((r) => r.sessionId), ['old']);
    assert.equal((await reopened.verify()).intact, true);
    await reopened.close();
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), 4);
    assert.ok(check.prepare("SELECT 1 FROM sqlite_master WHERE name = 'reports_tenant_device'").get());
    assert.ok(check.prepare("SELECT 1 FROM sqlite_master WHERE name = 'reports_tenant_sharer'").get());
    assert.ok(check.prepare("SELECT 1 FROM sqlite_master WHERE name = 'report_reviews'").get());
    check.close();
  });
});
