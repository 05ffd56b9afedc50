// The organization's branding in the console: which logo files the admin view accepts (and what it says
// about the others), the look saved branding gives the header, and the accent set on the page's root.
import assert from 'node:assert/strict';
import { logoProblem, logoStatus, maxLogoBytes } from '#desktop/renderer/src/admin/logo-file.js';
import { lookOfAccount, lookOfBranding } from '#desktop/renderer/src/app/organization-look.js';
import { applyAccent } from '#ui/organization-accent.js';
import type { Account } from '#protocol';

describe('branding in the console', () => {
  it('accepts a PNG, JPEG, WebP or SVG logo of at most 64 KB, and says why it refuses the others', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml']) assert.equal(logoProblem({ type, size: 1000 }), undefined, type);
    assert.equal(logoProblem({ type: 'image/gif', size: 1000 }), 'The logo must be a PNG, JPEG, WebP or SVG image.');
    assert.equal(logoProblem({ type: '', size: 10 }), 'The logo must be a PNG, JPEG, WebP or SVG image.');
    assert.equal(logoProblem({ type: 'image/png', size: maxLogoBytes }), undefined);
    assert.match(logoProblem({ type: 'image/png', size: maxLogoBytes + 1 }) ?? '', /^The logo is too large \(65 KB\)\. Use an image of at most 64 KB\.$/);
  });

  it('says beside "Choose logo…" which file was picked, else whether a logo is set', () => {
    assert.equal(logoStatus('acme.svg', 'data:image/svg+xml;base64,AA=='), 'acme.svg');
    assert.equal(logoStatus(undefined, 'data:image/svg+xml;base64,AA=='), 'Current logo');
    assert.equal(logoStatus(undefined, ''), 'No logo');
  });

  it('shows the branding name, or the tenant name when the branding has none', () => {
    assert.deepEqual(lookOfBranding({ organizationName: ' Contoso Care ', logo: 'data:image/png;base64,AA==', accentColor: '#7a1fa2' }, 'Contoso'),
      { name: 'Contoso Care', logo: 'data:image/png;base64,AA==', accentColor: '#7a1fa2' });
    assert.equal(lookOfBranding({ organizationName: '', logo: '', accentColor: '' }, 'Contoso').name, 'Contoso');
    const account = { upn: 'a@contoso.example', name: 'A', tenantId: 't', tenantName: 'Contoso', roles: [], profile: null } satisfies Account;
    assert.deepEqual(lookOfAccount(account), { name: 'Contoso', logo: '', accentColor: '' });
  });

  it('sets the accent and the text colour that reads best on it on the root, and removes them for none', () => {
    const props = new Map<string, string>();
    const root = { style: { setProperty: (k: string, v: string) => void props.set(k, v), removeProperty: (k: string) => void props.delete(k) } } as unknown as HTMLElement;
    applyAccent(root, '#7a1fa2');
    assert.deepEqual(Object.fromEntries(props), { '--rh-color-accent': '#7a1fa2', '--rh-color-on-accent': '#ffffff' });
    applyAccent(root, '#ffeb3b');
    assert.equal(props.get('--rh-color-on-accent'), '#1b1c20');
    applyAccent(root, 'red');
    assert.equal(props.size, 0);
  });
});
