// Composition root of the console renderer: localization, the desktop API client, the app element,
// and the guard that keeps the window on its page when a link to another site is clicked.
import { setUpLocalization } from '#ui/i18n/localization.js';
import { createDesktopClient } from './api-client.js';
import { keepExternalLinksOut } from './external-links.js';
import './app/console-app.js';

keepExternalLinksOut(window);
void setUpLocalization(document, navigator.languages).then(() => {
  const app = document.createElement('rh-console-app');
  app.client = createDesktopClient(window);
  document.body.append(app);
});
