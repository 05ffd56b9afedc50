// The Electron window's decision for a link or a navigation (window.ts applies it; Electron itself
// cannot run here): the console's own page stays, the session link and any other https page go to
// the system browser — a plain click on <a href> as well as a new window — and nothing else goes anywhere.
import assert from 'node:assert/strict';
import { linkAction, pageUrl } from '#desktop/main/navigation-policy.js';

describe('the console window and its links (Electron)', () => {
  const indexFile = '/opt/Remote Help/resources/app/dist/console/index.html';
  const page = pageUrl(indexFile);
  const sessionLink = 'https://help.example.com/rh?passcode=ABCD2345';

  it('keeps our own page in the window, whatever its hash or query', () => {
    assert.equal(linkAction(`${page}#devices`, indexFile, 'navigate'), 'stay');
    assert.equal(linkAction(`${page}?x=1#admin/reports`, indexFile, 'navigate'), 'stay');
  });

  it('sends the session link to the system browser on a plain click, never into the console window', () => {
    assert.equal(linkAction(sessionLink, indexFile, 'navigate'), 'system-browser');
  });

  it('sends the session link to the system browser when it asks for a new window', () => {
    assert.equal(linkAction(sessionLink, indexFile, 'new-window'), 'system-browser');
  });

  it('does not open our own page in a second window', () => {
    assert.equal(linkAction(page, indexFile, 'new-window'), 'nothing');
  });

  it('goes nowhere with other files, plain http, credentials in the URL or something not a URL', () => {
    for (const url of ['file:///etc/passwd', 'http://help.example.com/rh?passcode=ABCD2345', 'https://user:pw@help.example.com/',
      'javascript:alert(1)', 'not a url', 'data:text/html,<p>hi']) {
      assert.equal(linkAction(url, indexFile, 'navigate'), 'nothing', url);
      assert.equal(linkAction(url, indexFile, 'new-window'), 'nothing', url);
    }
  });
});
