// The line a page shows while the relay is at capacity (`overloaded`) and the page waits to try again:
// a status above the page's view, not in it, so that what the person was doing stays where it was.
import { errorMessage } from '#ui/i18n/error-messages.js';

export interface BusyNotice {
  show(): void;
  hide(): void;
}

export function createBusyNotice(main: HTMLElement): BusyNotice {
  const line = document.createElement('p');
  line.setAttribute('role', 'status');
  line.className = 'rh-busy-notice';
  line.hidden = true;
  main.before(line);
  const text = (): void => {
    line.textContent = errorMessage('overloaded');
  };
  // In the language the picker switches to, while it shows.
  addEventListener('lit-localize-status', (e) => {
    if (e.detail.status === 'ready' && !line.hidden) text();
  });
  return {
    show() {
      text();
      line.hidden = false;
    },
    hide() {
      line.hidden = true;
    },
  };
}
