// The accent colour's text: white or near-black by WCAG contrast.
import assert from 'node:assert/strict';
import { contrastRatio, onAccentColor, relativeLuminance } from '#protocol/contrast.js';

describe('onAccentColor: text on an organization\'s accent colour', () => {
  it('gives white on dark and saturated accents', () => {
    for (const hex of ['#0b57d0', '#000000', '#7a1fa2', '#b3261e', '#146c2e']) assert.equal(onAccentColor(hex), '#ffffff', hex);
  });

  it('gives near-black (#1b1c20) on light accents', () => {
    for (const hex of ['#ffffff', '#ffeb3b', '#8ab4f8', '#7dd79a', '#FFB95C']) assert.equal(onAccentColor(hex), '#1b1c20', hex);
  });

  it('picks the higher of the two contrasts (at least 4:1 even on the worst mid-grey, where neither reaches 4.5:1)', () => {
    for (let v = 0; v < 256; v += 5) {
      const hex = `#${v.toString(16).padStart(2, '0').repeat(3)}`;
      const on = onAccentColor(hex);
      const other = on === '#ffffff' ? '#1b1c20' : '#ffffff';
      assert.ok(contrastRatio(hex, on) >= contrastRatio(hex, other), hex);
      assert.ok(contrastRatio(hex, on) >= 4, `${hex}: ${contrastRatio(hex, on)}`);
    }
  });

  it('computes WCAG luminance and ratios', () => {
    assert.equal(relativeLuminance('#ffffff'), 1);
    assert.equal(relativeLuminance('#000000'), 0);
    assert.equal(Math.round(contrastRatio('#ffffff', '#000000')), 21);
    assert.throws(() => onAccentColor('blue'));
  });
});
