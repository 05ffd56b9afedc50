// How a report's interruptions read in the admin view's table: who was away when and why, and the
// sharer's pauses, in the order they began; an open end says the session ended that way.
import assert from 'node:assert/strict';
import { colleaguesText, endedText, interruptionsText, policyText } from '#desktop/renderer/src/admin/report-text.js';
import type { ReportColleague, SessionReport } from '#protocol';

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

describe('report text: colleagues', () => {
  const t = (hhmm: string) => `2026-03-01T10:${hhmm}:00.000Z`;
  const hhmm = (iso: string) => iso.slice(11, 16);
  /** Without the bidi isolates around names, to read as the administrator sees it. */
  const plain = (lines: string[]) => lines.map((l) => l.replace(/[\u2068\u2069]/g, ''));
  const colleague = (upn: string, extra: Partial<ReportColleague>): ReportColleague => ({
    userId: upn, upn, name: upn, invitedBy: { userId: 'h', name: 'Hanna Lindqvist' }, invitedAt: t('01'),
    state: 'invited', answeredAt: null, consent: null, consentAt: null, leftAt: null, handedOverAt: null, ...extra,
  });

  it('says of each colleague, in order, who invited them when and what became of them, with its times', () => {
    const text = plain(colleaguesText({
      colleagues: [
        colleague('declined@contoso.example', { state: 'declined', answeredAt: t('02') }),
        colleague('denied@contoso.example', { state: 'denied', answeredAt: t('03'), consent: 'denied', consentAt: t('04'), leftAt: t('04') }),
        colleague('withdrawn@contoso.example', { state: 'withdrawn' }),
        colleague('disabled@contoso.example', { state: 'withdrawn', closedBecause: 'account-disabled' }),
        colleague('removed@contoso.example', { state: 'withdrawn', answeredAt: t('05'), consent: 'allowed', consentAt: t('06'), leftAt: t('07') }),
        colleague('left@contoso.example', { state: 'left', answeredAt: t('08'), consent: 'allowed', consentAt: t('09'), leftAt: t('10') }),
        colleague('new.helper@contoso.example', {
          state: 'handed-over', answeredAt: t('11'), consent: 'allowed', consentAt: t('12'), handedOverAt: t('13'), invitedBy: { userId: 'h', name: 'Hanna Lindqvist' },
        }),
        colleague('stayed@contoso.example', { state: 'allowed', answeredAt: t('14'), consent: 'allowed', consentAt: t('15'), leftAt: t('20'), invitedBy: { userId: 'n', name: 'Nils New' } }),
      ],
    }, hhmm));
    assert.deepEqual(text, [
      'declined@contoso.example, invited by Hanna Lindqvist at 10:01: declined 10:02',
      'denied@contoso.example, invited by Hanna Lindqvist at 10:01: denied by the sharer 10:04',
      'withdrawn@contoso.example, invited by Hanna Lindqvist at 10:01: invitation withdrawn by the helper',
      'disabled@contoso.example, invited by Hanna Lindqvist at 10:01: invitation closed: account disabled',
      'removed@contoso.example, invited by Hanna Lindqvist at 10:01: allowed 10:06, removed by the helper 10:07',
      'left@contoso.example, invited by Hanna Lindqvist at 10:01: allowed 10:09, left 10:10',
      'new.helper@contoso.example, invited by Hanna Lindqvist at 10:01: allowed 10:12, handed over to them 10:13',
      'stayed@contoso.example, invited by Nils New at 10:01: allowed 10:15 – 10:20, until the session ended',
    ]);
  });

  it('says nothing for a session without colleagues, and names a colleague\'s absence as theirs', () => {
    assert.deepEqual(colleaguesText({}, hhmm), []);
    assert.deepEqual(interruptionsText({ gaps: [{ role: 'colleague', from: t('02'), to: t('03'), reason: 'connection' }] }, hhmm),
      ['Colleague away 10:02 – 10:03 (connection lost)']);
  });
});
