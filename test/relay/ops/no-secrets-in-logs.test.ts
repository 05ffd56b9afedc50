// The relay's log through a whole session, as an operator collects it from the process's stdout: the
// helper signs in as the console does (authorization code and PKCE verifier, tokens, a refresh), the
// sharer through the web pages (the provider's cookies, the OIDC state, the relay's cookie), the sharer
// opens the link with the code, joins, allows, both get TURN credentials, chat, the helper ends it, the
// sharer signs out, and a scraper reads /metrics with its token. No token, code, cookie, password,
// secret, security code (in any form a person types it) or chat text may appear in any line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { consoleClientId } from '#protocol';
import { demoPassword } from '#relay/directory/index.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { exited, listening, startRelayMain, type ListeningRelay } from '../../support/relay-process.js';
import { connected, demo, next, request, valueOf, type ClientSocket } from '../../support/relay.js';
import { signInForTokens, webSignInSeen } from '../../support/sign-in.js';
import { waitFor } from '../../support/wait.js';

describe('the relay\'s log of a whole session', function () {
  this.timeout(90_000);
  let dataDir: string;
  let relay: ListeningRelay | undefined;
  const sockets: ClientSocket[] = [];

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rh-ops-log-'));
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    if (relay && relay.child.exitCode === null) relay.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds no token, code, cookie, password, secret, security code or chat text', async () => {
    const turnSecret = `turn-shared-secret-${randomUUID()}`;
    const metricsToken = `metrics-token-${randomUUID()}`;
    relay = await listening(startRelayMain({
      RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web'), RH_LOG_LEVEL: 'debug',
      RH_TURN_SECRET: turnSecret, RH_TURN_URLS: 'turn:127.0.0.1:3478', RH_METRICS_TOKEN: metricsToken,
    }));
    const { url } = relay;
    await waitFor(() => /^Local CA certificate: /m.test(relay!.output()), 10_000, 'the relay named no CA');
    const ca = readFileSync(/^Local CA certificate: (.+)$/m.exec(relay.output())![1]!, 'utf8');
    const secrets: Record<string, string> = { password: demoPassword, turnSecret, metricsToken };

    // The helper: the console's sign-in, then a refresh as MSAL does it.
    const tokens = await signInForTokens(url, demo.contosoHelper, demoPassword, ca);
    Object.assign(secrets, {
      accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken ?? '',
      authorizationCode: tokens.authorizationCode, codeVerifier: tokens.codeVerifier,
    });
    const refreshed = await httpsRequest(`${url}/${tokens.tenantId}/v2.0/token`, ca, {
      form: { grant_type: 'refresh_token', refresh_token: tokens.refreshToken!, client_id: consoleClientId },
    });
    assert.equal(refreshed.status, 200, refreshed.body);
    const renewed = JSON.parse(refreshed.body) as { access_token: string; refresh_token?: string };
    Object.assign(secrets, { renewedAccessToken: renewed.access_token, renewedRefreshToken: renewed.refresh_token ?? '' });
    // The sharer: the web pages' sign-in, whose session lives behind a cookie.
    const web = await webSignInSeen(url, demo.contosoSharer, demoPassword, ca, '/rh');
    const { cookie } = web;
    secrets['cookie'] = cookie.slice(cookie.indexOf('=') + 1);
    Object.assign(secrets, { webAuthorizationCode: web.authorizationCode, webState: web.state });
    // The identity provider's own cookies (its session, the interaction) too; a value too short to be a
    // secret (a flag) would match by chance.
    for (const [name, value] of web.cookies) if (value.length >= 16) secrets[`cookie ${name}`] = value;
    assert.ok(web.cookies.length >= 2, `only ${web.cookies.length} cookies were seen`);

    const socket = (opts: { auth?: Record<string, unknown>; headers?: Record<string, string> }) => {
      const s: ClientSocket = io(url, { transports: ['websocket'], ca, reconnection: false, forceNew: true, autoConnect: false, ...opts.auth ? { auth: opts.auth } : {}, ...opts.headers ? { extraHeaders: opts.headers } : {} });
      sockets.push(s);
      return connected(s);
    };
    const helper = await socket({ auth: { token: renewed.access_token } });
    const sharer = await socket({ headers: { cookie, origin: url } });

    const created = valueOf(await request(helper, 'session:create', {}));
    const code = created.code;
    Object.assign(secrets, {
      code, codeLower: code.toLowerCase(), codeDashed: `${code.slice(0, 4)}-${code.slice(4)}`,
      codeDashedLower: `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase(), codeSpaced: `${code.slice(0, 4)} ${code.slice(4)}`,
    });
    // The sharer opens the link (the code in the URL's query), then types the code as people do.
    await httpsRequest(`${url}/rh?passcode=${code}`, ca, { headers: { cookie } });
    // A mistyped code first: a near miss is as secret as the code.
    const mistyped = `${code.slice(0, 7)}${code.endsWith('0') ? '1' : '0'}`;
    secrets['mistypedCode'] = mistyped;
    assert.equal((await request(sharer, 'session:join', { code: mistyped })).ok, false);
    const trusted = next(helper, 'session:trust');
    const joined = valueOf(await request(sharer, 'session:join', { code: secrets['codeDashedLower']! }));
    await trusted;
    valueOf(await request(sharer, 'session:consent', { sessionId: joined.sessionId, allow: true }));
    // Short-lived TURN credentials for each side (the TURN REST API scheme).
    for (const [who, s] of [['helper', helper], ['sharer', sharer]] as const) {
      const ice = valueOf(await request(s, 'session:ice', { sessionId: joined.sessionId }));
      const credential = ice.iceServers.find((server) => server.credential)?.credential;
      assert.ok(credential, `no TURN credential for the ${who}`);
      secrets[`${who} TURN credential`] = credential;
    }
    const chatText = `the printer password is on a yellow note ${randomUUID()}`;
    secrets['chat'] = chatText;
    secrets['reply'] = `thanks, do not write it down ${randomUUID()}`;
    const heard = next(helper, 'chat:message', (m) => m.text === chatText);
    valueOf(await request(sharer, 'chat:send', { sessionId: joined.sessionId, clientId: randomUUID(), text: chatText }));
    await heard;
    valueOf(await request(helper, 'chat:send', { sessionId: joined.sessionId, clientId: randomUUID(), text: secrets['reply']! }));
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    const signedOut = await httpsRequest(`${url}/auth/signout`, ca, { method: 'POST', headers: { cookie, origin: url }, body: '' });
    assert.equal(signedOut.status, 200, signedOut.body);
    const scraped = await httpsRequest(`${url}/metrics`, ca, { headers: { authorization: `Bearer ${metricsToken}` } });
    assert.equal(scraped.status, 200, scraped.body.slice(0, 200));

    relay.child.kill('SIGTERM');
    const { stderr } = await exited(relay.child);
    const log = relay.output() + stderr;
    // Every line the process wrote, its JSON log and anything else (a library's warning on stderr).
    const lines = log.split('\n');
    if (process.env['RH_TEST_SHOW_LOG']) console.log(lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('"msg":"session ended"') && l.includes(created.sessionId)), 'the session left no line: nothing was checked');
    for (const [what, secret] of Object.entries(secrets)) {
      if (secret === '') continue;
      const leaking = lines.find((l) => l.includes(secret));
      assert.equal(leaking, undefined, `the ${what} appears in the log`);
    }
  });
});
