// The text colour on an organization's accent: white or the dark text colour, whichever reads better.
import assert from 'node:assert/strict';
import { contrastRatio, darkOnAccent, lightOnAccent, onAccentColor, parseHexColor } from '#protocol/contrast.js';

describe('onAccentColor', () => {
  it('puts white on dark and saturated accents', () => {
    for (const accent of ['#0b57d0', '#000000', '#b3261e', '#146c2e', '#5b2a86', '#0B57D0']) assert.equal(onAccentColor(accent), lightOnAccent, accent);
  });

  it('puts the dark text colour on light accents', () => {
    for (const accent of ['#ffffff', '#ffd600', '#8ab4f8', '#7dd79a', '#fc0', '#ff9800']) assert.equal(onAccentColor(accent), darkOnAccent, accent);
  });

  it('always picks the one with the higher WCAG contrast', () => {
    for (let i = 0; i < 200; i++) {
      const accent = `#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(-6)}`;
      const chosen = onAccentColor(accent);
      const other = chosen === lightOnAccent ? darkOnAccent : lightOnAccent;
      assert.ok(contrastRatio(accent, chosen) >= contrastRatio(accent, other), accent);
    }
  });

  it('computes WCAG ratios: 21:1 for black on white, 1:1 for a colour on itself', () => {
    assert.equal(contrastRatio('#000', '#fff').toFixed(2), '21.00');
    assert.equal(contrastRatio('#0b57d0', '#0b57d0'), 1);
    // #0b57d0 on white is the tokens' accent: above 4.5:1.
    assert.ok(contrastRatio('#0b57d0', '#ffffff') > 4.5);
  });

  it('takes #rgb and #rrggbb only; anything else gets white and is no colour', () => {
    assert.deepEqual(parseHexColor('#FfF'), [255, 255, 255]);
    for (const bad of ['', 'red', '#12', '#12345g', 'rgb(0,0,0)', '#1234567', 'url(x)']) {
      assert.equal(parseHexColor(bad), null, bad);
      assert.equal(onAccentColor(bad), lightOnAccent, bad);
    }
  });
});
