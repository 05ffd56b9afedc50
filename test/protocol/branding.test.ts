// The text colour on an organization's accent (WCAG 2.x contrast), and the look a page shows of a tenant.
import assert from 'node:assert/strict';
import { contrastRatio, onAccentColor, organizationLookOf, relativeLuminance } from '#protocol';

describe('organization branding (protocol)', () => {
  it('computes WCAG relative luminance and contrast ratios of known colours', () => {
    assert.equal(relativeLuminance('#000000'), 0);
    assert.equal(relativeLuminance('#ffffff'), 1);
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#ffffff', '#000000'), 21);
    assert.equal(contrastRatio('#777777', '#777777'), 1);
    // Reference values (WebAIM contrast checker).
    assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
    assert.equal(contrastRatio('#0b57d0', '#ffffff').toFixed(2), '6.39');
  });

  it('puts white on a dark accent and near-black on a light one, whichever contrasts more', () => {
    const cases: [string, string][] = [
      ['#0b57d0', '#ffffff'], // the product's own accent
      ['#000000', '#ffffff'],
      ['#b3261e', '#ffffff'],
      ['#0b3d91', '#ffffff'],
      ['#ffffff', '#1b1c20'],
      ['#ffd700', '#1b1c20'],
      ['#8ab4f8', '#1b1c20'],
      ['#00ff00', '#1b1c20'],
      ['#FF8800', '#1b1c20'],
      ['#808080', '#1b1c20'],
    ];
    for (const [accent, text] of cases) {
      assert.equal(onAccentColor(accent), text, accent);
      const other = text === '#ffffff' ? '#1b1c20' : '#ffffff';
      assert.ok(contrastRatio(accent, text) >= contrastRatio(accent, other), accent);
    }
  });

  it('shows the branding\'s name, else the tenant\'s, with logo and accent', () => {
    assert.deepEqual(organizationLookOf({ name: 'Contoso' }), { name: 'Contoso', logo: '', accentColor: '' });
    assert.deepEqual(organizationLookOf({ name: 'Contoso', settings: { branding: { organizationName: '  ', logo: '', accentColor: '#123456' } } }),
      { name: 'Contoso', logo: '', accentColor: '#123456' });
    assert.deepEqual(organizationLookOf({ name: 'Contoso', settings: { branding: { organizationName: 'Contoso Health', logo: 'data:image/png;base64,AA==', accentColor: '' } } }),
      { name: 'Contoso Health', logo: 'data:image/png;base64,AA==', accentColor: '' });
  });
});
