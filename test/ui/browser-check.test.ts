// Which browsers /rh lets through to sign-in (sharer-web/src/browser-check.ts).
import assert from 'node:assert/strict';
import { checkBrowser } from '#sharer-web/browser-check.js';

const ua = {
  chrome: (v: string) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`,
  edge: (v: string) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36 Edg/${v}`,
  firefox: (v: string) => `Mozilla/5.0 (X11; Linux x86_64; rv:${v}) Gecko/20100101 Firefox/${v}`,
  safari: (v: string) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`,
};

describe('browser check for the sharer page', () => {
  it('lets the supported versions through', () => {
    for (const agent of [ua.chrome('109.0.0.0'), ua.chrome('156.0.8078.79'), ua.edge('109.0.1518.78'), ua.firefox('122.0'), ua.safari('16.4.1'), ua.safari('17.2')]) {
      assert.deepEqual(checkBrowser(agent, true), { supported: true }, agent);
    }
  });

  it('refuses older versions and says which', () => {
    assert.deepEqual(checkBrowser(ua.chrome('108.0.0.0'), true), { supported: false, reason: 'too-old', browser: 'Chrome', version: '108.0.0.0', minimum: '109' });
    assert.equal(checkBrowser(ua.edge('108.0.1462.54'), true).supported, false);
    assert.equal(checkBrowser(ua.firefox('121.0'), true).supported, false);
    assert.equal(checkBrowser(ua.safari('16.4'), true).supported, false);
    assert.equal(checkBrowser(ua.safari('15.6.1'), true).supported, false);
  });

  it('refuses a browser without getDisplayMedia, whatever its version (phones)', () => {
    assert.deepEqual(checkBrowser(ua.chrome('156.0.0.0'), false), { supported: false, reason: 'no-screen-sharing' });
  });
});
