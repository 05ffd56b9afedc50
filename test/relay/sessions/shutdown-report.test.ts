// A relay that stops with sessions still running records each of them as ended by the relay.
import assert from 'node:assert/strict';
import { demoDevices } from '#relay/directory/index.js';
import { createReportLog } from '#relay/reports/index.js';
import { demo, next, request, startTestRelay, valueOf, whyEnded } from '../../support/relay.js';

describe('relay shutdown', function () {
  this.timeout(60_000);

  it('records the live sessions as ended by the relay, and tells their members', async () => {
    const t = await startTestRelay();
    try {
      const helper = await t.connect(demo.contosoHelper);
      const sharer = await t.connect(demo.contosoSharer);
      const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0142')!;
      const sharing = valueOf(await request(helper, 'session:create', { deviceId: device.id }));
      valueOf(await request(sharer, 'session:join', { code: sharing.code }));
      valueOf(await request(sharer, 'session:consent', { sessionId: sharing.sessionId, allow: true }));
      const waiting = valueOf(await request(helper, 'session:create', {}));
      const told = next(sharer, 'session:ended', (e) => e.sessionId === sharing.sessionId);
      await t.relay.close();
      assert.deepEqual(whyEnded(await told), { sessionId: sharing.sessionId, by: 'relay', reason: 'ended' });

      const reports = createReportLog({ dataDir: t.dataDir });
      try {
        const items = (await reports.list(device.tenantId, {})).items;
        const byId = new Map(items.map((r) => [r.sessionId, r]));
        assert.deepEqual([byId.get(sharing.sessionId)?.outcome, byId.get(sharing.sessionId)?.endedBy], ['completed', 'relay']);
        assert.deepEqual([byId.get(waiting.sessionId)?.outcome, byId.get(waiting.sessionId)?.endedBy], ['cancelled', 'relay']);
        assert.equal((await reports.verify()).intact, true);
      } finally {
        await reports.close();
      }
    } finally {
      await t.stop();
    }
  });
});
