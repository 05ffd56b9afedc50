// /enroll — enroll this browser as a device (composition root). A signed-in user reports the device's
// properties; the page makes a non-extractable device key, registers its public half with the relay, and
// keeps the key pair in IndexedDB, from where the sharer page proves it at join.
import { html, render, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { errorCodes, type Ack, type EnrollRequest, type EnrollResult, type ErrorCode } from '#protocol';
import { setUpLocalization } from '#ui/i18n/localization.js';
import { fetchSession, signInUrl, signOut } from './auth.js';
import { generateDeviceKeyPair, loadDeviceKey, publicKeyJwk, saveDeviceKey } from './device-key.js';
import { guessPlatform } from './device-properties.js';
import { enrollView, type EnrollState, type EnrollSubmit } from './enroll-view.js';
import { applyAccent } from '#ui/organization-accent.js';
import { headerOf, loadingView, pageHeader, serviceErrorView, signInView } from './page-views.js';

const isErrorCode = (c: unknown): c is ErrorCode => typeof c === 'string' && (errorCodes as readonly string[]).includes(c);

async function callRelay(path: string, body?: EnrollRequest): Promise<Ack<EnrollResult>> {
  try {
    const res = await fetch(path, {
      method: body ? 'POST' : 'GET',
      credentials: 'same-origin',
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), accept: 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await res.json()) as Ack<EnrollResult>;
    if (typeof answer?.ok !== 'boolean') throw new Error('malformed');
    return answer;
  } catch {
    return { ok: false, error: { code: 'relay-unreachable', message: 'no answer from the relay' } };
  }
}

async function start(main: HTMLElement): Promise<void> {
  await setUpLocalization(document, navigator.languages);
  const header = headerOf(main);
  let renderHeader = (): void => void render(pageHeader(), header);
  renderHeader();
  document.title = msg('Remote Help — enroll this device');
  let lastView: (() => TemplateResult) | undefined;
  const show = (view: TemplateResult | (() => TemplateResult)): void => {
    lastView = typeof view === 'function' ? view : undefined;
    render(typeof view === 'function' ? view() : view, main);
  };
  // The language picker changes the language in place: the title, the header and the view follow.
  addEventListener('lit-localize-status', (e) => {
    if (e.detail.status !== 'ready') return;
    document.title = msg('Remote Help — enroll this device');
    renderHeader();
    if (lastView) render(lastView(), main);
  });

  const load = async (): Promise<void> => {
    show(loadingView());
    const me = await fetchSession();
    if (!me) return show(() => serviceErrorView(() => void load(), undefined, msg('Enroll this device')));
    applyAccent(document.documentElement, me.look?.accentColor);
    if (!me.signedIn) return show(() => signInView(signInUrl(location), html`<h1>${msg('Enroll this device')}</h1>`));
    renderHeader = () => void render(pageHeader(me, () => void signOut().then(() => location.reload())), header);
    renderHeader();

    const enrolledId = (await loadDeviceKey())?.deviceId ?? null;
    // A re-visit: the device as the relay holds it now (approved since?), or gone (removed by an admin).
    const now = enrolledId ? await callRelay(`/api/devices/${encodeURIComponent(enrolledId)}/enrollment`) : undefined;
    const state: EnrollState = {
      props: now?.ok ? { platform: now.value.device.platform, osVersion: now.value.device.osVersion } : await guessPlatform(navigator),
      busy: false,
      enrolledId,
      current: now?.ok ? now.value.device : null,
      removed: now?.ok === false && now.error.code === 'not-found',
      result: null,
      error: null,
    };
    const view = (): void => show(() => enrollView(state, (s) => void enroll(s)));
    const enroll = async (input: EnrollSubmit): Promise<void> => {
      state.busy = true;
      state.error = null;
      state.result = null;
      state.props = { platform: input.properties.platform, osVersion: input.properties.osVersion };
      view();
      try {
        // The same browser enrolling again keeps its key, so the relay updates the same device.
        const existing = await loadDeviceKey();
        const keyPair = existing?.keyPair ?? (await generateDeviceKeyPair());
        const jwk = await publicKeyJwk(keyPair);
        const answer = await callRelay('/api/enroll', {
          name: input.name,
          publicKeyJwk: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
          properties: input.properties,
        });
        if (answer.ok) {
          const device = answer.value.device;
          await saveDeviceKey({ deviceId: device.id, keyPair, enrolledAt: existing?.enrolledAt ?? new Date().toISOString() });
          state.result = device;
          state.enrolledId = device.id;
          state.current = device;
          state.removed = false;
        } else {
          state.error = isErrorCode(answer.error.code) ? answer.error.code : 'internal';
          if (state.error === 'unauthenticated') return show(() => serviceErrorView(() => undefined, signInUrl(location), msg('Enroll this device')));
        }
      } catch {
        state.error = 'internal';
      } finally {
        state.busy = false;
      }
      view();
      // A taken name: back to the name, so another one can be typed at once.
      if (state.error === 'device-name-taken') main.querySelector<HTMLInputElement>('#name')?.select();
    };
    view();
  };
  await load();
}

const main = document.querySelector('main');
if (main) void start(main);
