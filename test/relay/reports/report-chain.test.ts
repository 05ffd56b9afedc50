import assert from 'node:assert/strict';
import {
  canonicalJson, contentText, genesisHash, headerHash, reportHash, sha256Hex, type ReportStore,
} from '#relay/reports/index.js';
import { dropGuards, renumber, report, useReportLog } from '../../fixtures/reports.js';
import { forEachReportBackend, type ReportPlace } from '../../support/report-backends.js';

describe('session reports: the hash chain', () => {
  it('serializes canonically: sorted keys, no whitespace, undefined left out, same text whatever the key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x"y'], c: undefined, d: { z: 1, y: 'é' } }), '{"a":[true,null,"x\\"y"],"b":1,"d":{"y":"é","z":1}}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
    assert.throws(() => canonicalJson({ n: Number.NaN }));
    const h = { seq: 7, id: 'i', tenantId: 't', createdAt: '2026-01-01T00:00:00.000Z', prevHash: genesisHash, contentHash: 'c' };
    assert.equal(headerHash(h), sha256Hex(canonicalJson(h)));
  });

  forEachReportBackend((backend) => {
    let place: ReportPlace;
    let log: ReportStore;
    useReportLog(backend, (opened) => ({ place, log } = opened));

    const appendSome = async (n: number) => {
      for (let i = 1; i <= n; i++) {
        await log.append(report({ sessionId: `s${i}`, createdAt: new Date(Date.UTC(2026, 2, 1, 10, i)).toISOString() }));
      }
    };

    it('numbers records from 1, links each to the one before, and hashes what it stores', async () => {
      const a = await log.append(report({ sessionId: 'a' }));
      const b = await log.append(report({ sessionId: 'b', outcome: 'denied', consent: 'denied' }));
      assert.equal(a.seq, 1);
      assert.equal(b.seq, 2);
      assert.equal(a.prevHash, genesisHash);
      assert.equal(b.prevHash, a.hash);
      assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(a.id, b.id);
      // Anyone holding a report can recompute its hash from the documented definition.
      const { hash, ...rest } = b;
      assert.equal(reportHash(rest), hash);
      const { seq, id, prevHash, ...content } = rest;
      assert.equal(hash, sha256Hex(canonicalJson({ seq, id, tenantId: content.tenantId, createdAt: content.createdAt, prevHash,
        contentHash: sha256Hex(contentText(content)) })));
      assert.deepEqual(await log.verify(), {
        intact: true, checked: 2, firstBadSeq: null, problem: null, removed: [], headHash: b.hash,
        message: 'Report chain intact: 2 records',
      });
    });

    it('an empty log verifies as intact with nothing checked', async () => {
      assert.deepEqual(await log.verify(), {
        intact: true, checked: 0, firstBadSeq: null, problem: null, removed: [], headHash: genesisHash, message: 'Report chain intact: 0 records',
      });
    });

    it('keeps the chain across a restart of the relay', async () => {
      await appendSome(3);
      await log.close();
      log = await place.open();
      const next = await log.append(report());
      assert.equal(next.seq, 4);
      assert.equal((await log.verify()).intact, true);
      assert.equal((await log.verify()).checked, 4);
    });

    it('two relay processes on one store extend one chain, never fork it', async () => {
      const other = await place.open();
      for (let i = 0; i < 10; i++) await (i % 2 ? other : log).append(report({ sessionId: `s${i}` }));
      await other.close();
      assert.deepEqual((await log.list('contoso', { limit: 500 })).items.map((r) => r.seq).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.equal((await log.verify()).intact, true);
    });

    it('stores only the report fields: chat text or screen data handed to it is dropped', async () => {
      await log.append({ ...report(), chat: [{ text: 'my password is hunter2' }], screenshot: 'data:image/png;base64,AAAA' } as never);
      const raw = await place.raw();
      const cols = await raw.columns('reports');
      assert.ok(!cols.some((c) => /chat|message|text|screen|frame/.test(c)), `unexpected column in ${cols.join(', ')}`);
      const { body } = (await raw.get<{ body: string }>('SELECT body FROM reports'))!;
      await raw.close();
      assert.doesNotMatch(body, /hunter2|screenshot|chat/);
      if (place.fileText) {
        await log.close();
        assert.doesNotMatch(await place.fileText(), /hunter2/);
        log = await place.open();
      }
    });

    describe('refuses changes through plain SQL (triggers)', () => {
      it('an UPDATE fails loudly', async () => {
        await appendSome(2);
        const raw = await place.raw();
        await assert.rejects(raw.run("UPDATE reports SET outcome = 'completed' WHERE seq = 1"), /append-only/);
        await assert.rejects(raw.run("UPDATE reports SET body = replace(body, 'helper@', 'other@')"), /append-only/);
        await raw.close();
        assert.equal((await log.verify()).intact, true);
      });

      it('a DELETE fails loudly', async () => {
        await appendSome(2);
        const raw = await place.raw();
        await assert.rejects(raw.run('DELETE FROM reports WHERE seq = 2'), /never deleted/);
        await raw.close();
        assert.equal((await log.verify()).checked, 2);
      });

      it('an INSERT that does not extend the chain fails loudly', async () => {
        await appendSome(2);
        const raw = await place.raw();
        const row = (await raw.get<Record<string, unknown>>('SELECT * FROM reports WHERE seq = 2'))!;
        const insert = (seq: number, id: string) => raw.run(`INSERT INTO reports (seq, id, tenant_id, created_at, prev_hash, content_hash, hash, body)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, seq, id, row.tenant_id, row.created_at, row.prev_hash, row.content_hash, row.hash, row.body);
        await assert.rejects(insert(5, 'x1'), /extend the chain/);
        await assert.rejects(insert(3, 'x2'), /extend the chain/); // links to 1, not to 2
        await raw.close();
      });

      it('even inside a (forged) retention run, only blanking a record of that tenant is let through', async () => {
        await appendSome(2);
        const raw = await place.raw();
        await raw.run("INSERT INTO retention_runs (tenant_id, before, at, count) VALUES ('contoso', '2030-01-01', '2026-01-01', 1)");
        await raw.run('INSERT INTO retention_in_progress (run_id) VALUES (1)');
        await assert.rejects(raw.run("UPDATE reports SET helper_upn = 'x' WHERE seq = 1"), /append-only/);
        await assert.rejects(raw.run("UPDATE reports SET body = NULL, helper_upn = NULL, sharer_upn = NULL, device_id = NULL, device_name = NULL, outcome = NULL, removed_by = 1, hash = 'x' WHERE seq = 1"), /append-only/);
        await raw.close();
      });
    });

    describe('verify names the first altered record', () => {
      beforeEach(() => appendSome(10));
      /** Raw access with the guards dropped, as an attacker with write access would. */
      const tamper = async (work: (raw: Awaited<ReturnType<ReportPlace['raw']>>) => Promise<void>) => {
        const raw = await place.raw();
        await dropGuards(raw);
        try {
          await work(raw);
        } finally {
          await raw.close();
        }
      };

      it('an EDITED record: content changed behind the triggers\' back', async () => {
        await tamper((raw) => raw.run("UPDATE reports SET body = replace(body, 'sharer@contoso.example', 'nobody@contoso.example'), sharer_upn = 'nobody@contoso.example' WHERE seq IN (4, 7)"));
        const v = await log.verify();
        assert.equal(v.intact, false);
        assert.equal(v.firstBadSeq, 4);
        assert.equal(v.problem, 'record 4 was edited: its hash does not match its content');
        assert.equal(v.message, 'Report chain BROKEN at record 4: record 4 was edited: its hash does not match its content');
      });

      it('an EDITED record whose hashes the attacker recomputed: its successor still remembers the old hash', async () => {
        await tamper(async (raw) => {
          const row = (await raw.get<{ id: string; tenant_id: string; created_at: string; prev_hash: string; body: string }>('SELECT * FROM reports WHERE seq = 6'))!;
          const body = row.body.replace('"completed"', '"denied"');
          const contentHash = sha256Hex(body);
          const hash = headerHash({ seq: 6, id: row.id, tenantId: row.tenant_id, createdAt: row.created_at, prevHash: row.prev_hash, contentHash });
          await raw.run("UPDATE reports SET body = ?, outcome = 'denied', content_hash = ?, hash = ? WHERE seq = 6", body, contentHash, hash);
        });
        const v = await log.verify();
        assert.equal(v.firstBadSeq, 6);
        assert.match(v.problem!, /^record 6 was altered: record 7 links to a different hash for it/);
      });

      it('an EDITED search column only (hiding a record from a filter) is caught too', async () => {
        await tamper((raw) => raw.run("UPDATE reports SET helper_upn = 'someone-else@contoso.example' WHERE seq = 3"));
        const v = await log.verify();
        assert.deepEqual([v.firstBadSeq, v.problem], [3, 'record 3 was edited: its search columns do not match its content']);
      });

      it('a DELETED record: a gap in the sequence', async () => {
        await tamper((raw) => raw.run('DELETE FROM reports WHERE seq = 5'));
        const v = await log.verify();
        assert.equal(v.firstBadSeq, 5);
        assert.equal(v.problem, 'record 5 was deleted: the chain jumps from record 4 to record 6');
        assert.equal(v.checked, 5);
      });

      it('a DELETED record with the rest renumbered to hide the gap', async () => {
        await tamper(async (raw) => {
          await raw.run('DELETE FROM reports WHERE seq = 5');
          await renumber(raw, 6, -1);
        });
        const v = await log.verify();
        assert.equal(v.firstBadSeq, 5);
        assert.match(v.problem!, /^record 5 was deleted: the record now numbered 5 was numbered 6/);
      });

      it('an INSERTED record, correctly hashed, with the rest renumbered to make room', async () => {
        await tamper(async (raw) => {
          const before = (await raw.get<{ hash: string }>('SELECT hash FROM reports WHERE seq = 4'))!;
          await renumber(raw, 5, +1);
          const forged = report({ sessionId: 'forged', helper: { userId: 'x', upn: 'alibi@contoso.example', name: 'Alibi' } });
          const body = contentText(forged);
          const contentHash = sha256Hex(body);
          const id = '00000000-0000-4000-8000-000000000000';
          const hash = headerHash({ seq: 5, id, tenantId: forged.tenantId, createdAt: forged.createdAt, prevHash: before.hash, contentHash });
          await raw.run(`INSERT INTO reports (seq, id, tenant_id, created_at, prev_hash, content_hash, hash, body, helper_upn, sharer_upn, device_id, device_name, outcome)
            VALUES (5, ?, ?, ?, ?, ?, ?, ?, 'alibi@contoso.example', 'sharer@contoso.example', 'dev-1', 'laptop-0001', 'completed')`,
          id, forged.tenantId, forged.createdAt, before.hash, contentHash, hash, body);
        });
        const v = await log.verify();
        assert.equal(v.firstBadSeq, 5);
        assert.equal(v.problem, 'record 5 was inserted: the record now numbered 6 was numbered 5 and links to record 4');
      });

      it('an INSERTED record at the end with a made-up hash', async () => {
        await tamper(async (raw) => {
          const last = (await raw.get<Record<string, unknown>>('SELECT * FROM reports WHERE seq = 10'))!;
          await raw.run(`INSERT INTO reports (seq, id, tenant_id, created_at, prev_hash, content_hash, hash, body, helper_upn, sharer_upn, device_id, device_name, outcome)
            VALUES (11, 'forged', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, last.tenant_id, last.created_at, last.hash, last.content_hash, last.hash, last.body,
          last.helper_upn, last.sharer_upn, last.device_id, last.device_name, last.outcome);
        });
        const v = await log.verify();
        assert.equal(v.firstBadSeq, 11);
        assert.match(v.problem!, /^record 11 was edited: its hash does not match its content/);
      });

      it('a record blanked outside of retention (a fake tombstone)', async () => {
        await tamper((raw) => raw.run('UPDATE reports SET body = NULL, helper_upn = NULL, sharer_upn = NULL, device_id = NULL, device_name = NULL, outcome = NULL WHERE seq = 8'));
        const v = await log.verify();
        assert.equal(v.firstBadSeq, 8);
        assert.match(v.problem!, /^record 8 was blanked outside of retention/);
      });
    });
  });
});
