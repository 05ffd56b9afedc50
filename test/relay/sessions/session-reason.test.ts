// Why a session exists and where it was started from (issue 13, point 3): the helper's reason is
// checked at create, both trust screens get it, the sharer's also says where the session was started
// from — decided by the relay from what signed the helper in, never by the client — and the report
// keeps both, on both kept-data backends, beside older records that have neither.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { consoleClientId, relayScope, webClientId, type SessionReport } from '#protocol';
import { demoDevices, demoPassword, demoTenants } from '#relay/directory/index.js';
import type { ReportStore } from '#relay/reports/index.js';
import { appOfToken } from '#relay/socket/started-from.js';
import { report } from '../../fixtures/reports.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { forEachReportBackend, type ReportPlace } from '../../support/report-backends.js';
import { connected, demo, next, rawRequest, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { walkSignIn, webSignIn } from '../../support/sign-in.js';

const contoso = demoTenants.contoso.id;
const laptop = demoDevices.find((d) => d.name === 'CONTOSO-LT-0142')!;

describe('the reason for a session and where it was started from', function () {
  let relay: TestRelay;
  let helper: ClientSocket;
  let sharer: ClientSocket;

  before(async () => {
    relay = await startTestRelay();
    [helper, sharer] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer)]);
  });
  after(async () => relay?.stop());

  const reportOf = async (sessionId: string): Promise<SessionReport | undefined> =>
    (await relay.relay.reports.list(contoso, { limit: 500 })).items.find((r) => r.sessionId === sessionId);

  /** The helper creates with `req`, the sharer joins and denies: what each trust screen got, and the report. */
  async function throughDenial(by: ClientSocket, req: { deviceId?: string; reason?: string }) {
    const created = valueOf(await request(by, 'session:create', req));
    const helperTrust = next(by, 'session:trust', (t) => t.sessionId === created.sessionId);
    const sharerTrust = valueOf(await request(sharer, 'session:join', { code: created.code }));
    const seenByHelper = await helperTrust;
    valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: false }));
    return { sharerTrust, helperTrust: seenByHelper, report: await reportOf(created.sessionId) };
  }

  it('from the console for a device: both trust screens show the reason, the sharer the console and the device, the report keeps both', async () => {
    const { sharerTrust, helperTrust, report: kept } = await throughDenial(helper, { deviceId: laptop.id, reason: '  INC-4711: printer on floor 3 «مرحبا»  ' });
    const origin = { app: 'console', deviceName: 'CONTOSO-LT-0142' };
    assert.equal(sharerTrust.reason, 'INC-4711: printer on floor 3 «مرحبا»', 'trimmed, otherwise as typed');
    assert.deepEqual(sharerTrust.origin, origin);
    assert.equal(helperTrust.reason, 'INC-4711: printer on floor 3 «مرحبا»');
    assert.equal(helperTrust.origin, undefined, 'the helper knows where he started it');
    assert.deepEqual([kept?.outcome, kept?.reason, kept?.origin], ['denied', 'INC-4711: printer on floor 3 «مرحبا»', origin]);
  });

  it('without a reason or a device: no reason shown or kept, the console without a device', async () => {
    const { sharerTrust, report: kept } = await throughDenial(helper, { reason: '   ' });
    assert.equal('reason' in sharerTrust, false);
    assert.deepEqual(sharerTrust.origin, { app: 'console' });
    assert.equal(kept && 'reason' in kept, false, 'an empty reason is none, not an empty string');
    assert.deepEqual(kept?.origin, { app: 'console' });
  });

  it('refuses a hostile reason with validation and creates nothing', async () => {
    const before = (await relay.relay.reports.list(contoso, { limit: 500 })).total;
    const hostile = [
      'x'.repeat(201),
      'INC-1\u0007',
      'line one\nline two',
      'INC-\u202E1234\u202C',        // RIGHT-TO-LEFT OVERRIDE: would show the ticket number backwards
      '\u2067INC-1234\u2069',         // RIGHT-TO-LEFT ISOLATE
      '\u0085INC-1',                  // a C1 control
    ];
    for (const reason of hostile) {
      const res = await rawRequest(helper, 'session:create', { reason });
      assert.equal(res.ok ? 'created' : res.error.code, 'validation', JSON.stringify(reason));
    }
    assert.equal((await relay.relay.reports.list(contoso, { limit: 500 })).total, before, 'no session, no refusal on the record');
    // At the limit, counted in characters: 200 of them in Japanese (600 bytes) or with an emoji pass.
    for (const reason of ['票'.repeat(200), `${'a'.repeat(198)}👍🏽`]) {
      const created = await request(helper, 'session:create', { reason });
      assert.equal(created.ok, true, `${[...reason].length} characters`);
      if (created.ok) valueOf(await request(helper, 'session:end', { sessionId: created.value.sessionId }));
    }
  });

  it('takes the origin from the sign-in, never from the request', async () => {
    // A console that says it is the web helper (or names its own origin) is refused, not believed.
    for (const forged of [{ origin: { app: 'web-helper' } }, { app: 'web-helper' }, { startedFrom: 'console', reason: 'x' }]) {
      const res = await rawRequest(helper, 'session:create', forged);
      assert.equal(res.ok ? 'created' : res.error.code, 'validation', JSON.stringify(forged));
    }
    // The web helper's cookie: the web helper, even for a device of the inventory.
    const cookie = await webSignIn(relay.url, demo.contosoHelper, demoPassword, relay.caPem);
    const web = await connected(relay.socket(undefined, { headers: { cookie, origin: relay.url } }));
    const fromWeb = await throughDenial(web, { deviceId: laptop.id, reason: 'INC-5' });
    assert.deepEqual(fromWeb.sharerTrust.origin, { app: 'web-helper', deviceName: 'CONTOSO-LT-0142' });
    assert.deepEqual(fromWeb.report?.origin, { app: 'web-helper', deviceName: 'CONTOSO-LT-0142' });
    // A valid token of the organization issued to another client than the console's (here the web
    // pages' own confidential client) is not taken for the console.
    const other = await connected(relay.socket({ token: await webClientToken(relay, demo.contosoHelper) }));
    const fromOther = await throughDenial(other, {});
    assert.deepEqual(fromOther.sharerTrust.origin, { app: 'other-app' });
  });
});

describe('telling the console\'s token from another client\'s', () => {
  const unsigned = (claims: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  it('reads azp, client_id or appid, and knows no console where the tenant names none', () => {
    assert.equal(appOfToken(unsigned({ azp: consoleClientId }), consoleClientId), 'console');
    assert.equal(appOfToken(unsigned({ client_id: consoleClientId }), consoleClientId), 'console');
    assert.equal(appOfToken(unsigned({ appid: 'console-app' }), 'console-app'), 'console');
    assert.equal(appOfToken(unsigned({ azp: webClientId }), consoleClientId), 'other-app');
    assert.equal(appOfToken(unsigned({}), consoleClientId), 'other-app');
    assert.equal(appOfToken(unsigned({ azp: consoleClientId }), undefined), 'other-app');
  });
});

forEachReportBackend((backend) => {
  describe('a report keeps the reason and the origin', () => {
    let place: ReportPlace;
    let log: ReportStore;
    before(async () => {
      place = await backend.fresh();
      log = await place.open();
    });
    after(() => place.remove());

    it('beside an older record without them: the chain verifies, both list, the CSV has both columns', async () => {
      await log.append(report({ sessionId: 'old' }));
      await log.append(report({ sessionId: 'new', reason: '=HYPERLINK("x"), INC-9', origin: { app: 'console', deviceName: 'LAPTOP-0001' } }));
      assert.equal((await log.verify()).intact, true);
      const byId = new Map((await log.list('contoso', {})).items.map((r) => [r.sessionId, r]));
      assert.deepEqual([byId.get('old')?.reason, byId.get('old')?.origin], [undefined, undefined]);
      assert.deepEqual([byId.get('new')?.reason, byId.get('new')?.origin], ['=HYPERLINK("x"), INC-9', { app: 'console', deviceName: 'LAPTOP-0001' }]);
      const [header, ...rows] = (await log.exportCsv('contoso', {})).split('\r\n');
      const columns = header!.split(',');
      assert.ok(columns.includes('reason') && columns.includes('startedFrom'));
      const line = rows.find((r) => r.includes('new'))!;
      // Typed by a helper: quoted, and kept from running as a formula in a spreadsheet.
      assert.ok(line.includes(`"'=HYPERLINK(""x""), INC-9",console`), line);
    });
  });
});

/** A relay access token issued to the web pages' client (not the console's), through a real sign-in. */
async function webClientToken(relay: TestRelay, email: string): Promise<string> {
  const secrets = JSON.parse(await readFile(join(relay.dataDir, 'identity', 'secrets.json'), 'utf8')) as { webClientSecret: string };
  const redirectUri = `${relay.url}/auth/callback`;
  const params = new URLSearchParams({
    client_id: webClientId, response_type: 'code', response_mode: 'form_post', redirect_uri: redirectUri,
    scope: `openid profile ${relayScope}`, state: 's', nonce: 'n', login_hint: email,
  });
  const walked = await walkSignIn({ authorizeUrl: `${relay.url}/${contoso}/v2.0/auth?${params}`, email, password: demoPassword, ca: relay.caPem, redirectUri });
  if (!walked.ok) throw new Error(`sign-in failed: ${walked.error}`);
  const res = await httpsRequest(`${relay.url}/${contoso}/v2.0/token`, relay.caPem, {
    form: { grant_type: 'authorization_code', code: walked.code, redirect_uri: redirectUri, client_id: webClientId, client_secret: secrets.webClientSecret },
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}
