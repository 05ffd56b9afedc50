// Locale selection and direction: new locales plug in without touching components.
import assert from 'node:assert/strict';
import { directionOf, pickLocale } from '#ui/i18n/locales.js';

describe('locales', () => {
  it('writes Arabic, Hebrew and Persian right to left, the others left to right', () => {
    for (const l of ['ar', 'ar-SA', 'he', 'fa-IR']) assert.equal(directionOf(l), 'rtl', l);
    for (const l of ['en', 'sv-SE', 'ja', 'zh-Hans']) assert.equal(directionOf(l), 'ltr', l);
  });

  it('picks the first of the person\'s languages it has, by exact tag or by language', () => {
    assert.equal(pickLocale(['sv-SE', 'ja']), 'sv');
    assert.equal(pickLocale(['ja-JP']), 'ja');
    assert.equal(pickLocale(['zh-CN']), 'zh-Hans');
    assert.equal(pickLocale(['zh-Hans-SG']), 'zh-Hans');
    assert.equal(pickLocale(['ar-EG', 'en']), 'ar');
    assert.equal(pickLocale(['fi', 'sv']), 'sv');
  });

  it('falls back to English, the source locale, for languages it does not have', () => {
    assert.equal(pickLocale(['en-GB']), 'en');
    assert.equal(pickLocale(['fi-FI', 'de']), 'en');
    // Traditional Chinese readers are not given the simplified catalogue.
    assert.equal(pickLocale(['zh-TW']), 'en');
    assert.equal(pickLocale(['zh-Hant-HK', 'ja']), 'ja');
    assert.equal(pickLocale([]), 'en');
  });
});
