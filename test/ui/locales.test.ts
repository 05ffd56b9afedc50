// Locale selection and direction: new locales plug in without touching components.
import assert from 'node:assert/strict';
import { directionOf, pickLocale } from '#ui/i18n/locales.js';

describe('locales', () => {
  it('writes Arabic, Hebrew and Persian right to left, the others left to right', () => {
    for (const l of ['ar', 'ar-SA', 'he', 'fa-IR']) assert.equal(directionOf(l), 'rtl', l);
    for (const l of ['en', 'sv-SE', 'ja', 'zh-Hans']) assert.equal(directionOf(l), 'ltr', l);
  });

  it('falls back to English, the source locale, for a language it does not have yet', () => {
    assert.equal(pickLocale(['sv-SE', 'ja']), 'en');
    assert.equal(pickLocale(['en-GB']), 'en');
    assert.equal(pickLocale([]), 'en');
  });
});
