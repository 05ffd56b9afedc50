// Composition root of the console renderer: localization, the desktop API client, the app element.
import { setUpLocalization } from '#ui/i18n/localization.js';
import { createDesktopClient } from './api-client.js';
import './app/console-app.js';

void setUpLocalization(document, navigator.languages).then(() => {
  const app = document.createElement('rh-console-app');
  app.client = createDesktopClient(window);
  document.body.append(app);
});
