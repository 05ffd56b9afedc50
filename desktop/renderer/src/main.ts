// Composition root of the console renderer: localization, the desktop API client, the app element,
// and the guard that keeps the window on its page when a link to another site is clicked. Under
// Electron the console follows the operating system's languages (main sends them in the status); in
// the console host, the browser's. Main is told the language, at start and at every change, so the
// relay's messages it fetches (the admin view's refusals) come in it too.
import { pickLocale } from '#protocol/locales.js';
import { setUpLocalization } from '#ui/i18n/localization.js';
import { createDesktopClient } from './api-client.js';
import { keepExternalLinksOut } from './external-links.js';
import './app/console-app.js';

keepExternalLinksOut(window);

async function start(): Promise<void> {
  const client = createDesktopClient(window);
  const status = await client.getStatus();
  const system = status.ok ? status.value.systemLanguages : undefined;
  const localization = await setUpLocalization(document, system?.length ? system : navigator.languages);
  // Before the app: its first admin call already carries the language.
  await client.setLocale({ locale: pickLocale([localization.getLocale()]) });
  window.addEventListener('lit-localize-status', (e) => {
    if (e.detail.status === 'ready') void client.setLocale({ locale: pickLocale([e.detail.readyLocale]) });
  });
  const app = document.createElement('rh-console-app');
  // What the skip link points at (its click moves focus into the app's main region).
  app.id = 'console';
  app.client = client;
  document.body.append(app);
}

void start();
