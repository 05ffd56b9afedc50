// How a report's interruptions read in the admin view's table: who was away when and why, and the
// sharer's pauses, in the order they began; an open end says the session ended that way.
import assert from 'node:assert/strict';
import { endedText, interruptionsText, policyText } from '#desktop/renderer/src/admin/report-text.js';
import type { SessionReport } from '#protocol';

const hhmmss = (iso: string) => iso.slice(11, 19);

describe('report text: interruptions', () => {
  it('lists gaps and pauses by start time, saying why and whether it came back', () => {
    const text = interruptionsText({
      gaps: [
        { role: 'sharer', from: '2026-03-01T10:01:00.000Z', to: '2026-03-01T10:01:20.000Z', reason: 'left' },
        { role: 'helper', from: '2026-03-01T10:05:00.000Z', to: null, reason: 'connection' },
      ],
      pauses: [{ from: '2026-03-01T10:02:00.000Z', to: '2026-03-01T10:03:00.000Z' }, { from: '2026-03-01T10:04:00.000Z', to: null }],
    }, hhmmss);
    assert.deepEqual(text, [
      'Sharer away 10:01:00 – 10:01:20 (page closed or reloaded)',
      'Sharing paused 10:02:00 – 10:03:00',
      'Sharing paused from 10:04:00 to the end',
      'Helper away from 10:05:00 (connection lost), did not come back',
    ]);
  });

  it('says nothing for a report without them (written before they were kept)', () => {
    assert.deepEqual(interruptionsText({}, hhmmss), []);
  });

  it('reads the new end reasons', () => {
    const r = (endReason: string) => ({ endedBy: 'sharer', endReason }) as SessionReport;
    assert.equal(endedText(r('left')), 'Sharer: left and did not come back');
    assert.equal(endedText(r('connection-lost')), 'Sharer: lost the connection and did not come back');
  });

  it('says why a session was refused in words, never the refusal code', () => {
    const refused = (code: string, step: 'create' | 'join' | null = null) =>
      ({ policy: { step, refusal: { code }, reportOnly: [] } }) as unknown as SessionReport;
    assert.deepEqual(policyText(refused('permission-missing')), ['Refused: no permission to help']);
    assert.deepEqual(policyText(refused('unenrolled-not-allowed', 'create')), ['Refused at create: help for unenrolled devices is turned off']);
    assert.deepEqual(policyText(refused('some-future-code')), ['Refused: another reason']);
  });

  it('shows the request id a refused person was given, to match what they quote', () => {
    const r = { policy: { step: 'join', refusal: { code: 'tenant-mismatch', requestId: 'Kq3v9XbT2mLp0aZc' }, reportOnly: [] } } as unknown as SessionReport;
    assert.deepEqual(policyText(r), ['Refused at join: the sharer is from another organization', 'Request ID: Kq3v9XbT2mLp0aZc']);
  });

  it('never shows an end reason it does not know as its code', () => {
    assert.equal(endedText({ endedBy: 'relay', endReason: 'some-future-reason' } as SessionReport), 'Remote Help service: ended for another reason');
  });
});
