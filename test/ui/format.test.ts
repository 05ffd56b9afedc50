// The one formatter of dates, times, durations and numbers (ui/src/i18n/format.ts), in each language
// the pages speak: a Swede sees 14:05, a Japanese reader 2026/11/30 14:05, nobody "2:05 PM" but English.
import assert from 'node:assert/strict';
import { formatCount, formatDateTime, formatDuration, formatTimeOfDay } from '#ui/i18n/format.js';

// 14:05 in the machine's time zone, whatever it is: the formatter shows local time.
const at = new Date(2026, 10, 30, 14, 5).toISOString();

describe('the formatter of dates, times, durations and numbers', () => {
  it('shows a time of day as each language writes it', () => {
    assert.equal(formatTimeOfDay(at, 'sv'), '14:05');
    assert.equal(formatTimeOfDay(at, 'ja'), '14:05');
    assert.equal(formatTimeOfDay(at, 'en'), '2:05 PM');
    assert.match(formatTimeOfDay(at, 'ar'), /[٠-٩0-9]{1,2}:[٠-٩0-9]{2}/);
  });

  it('shows a date and time as each language writes it', () => {
    assert.equal(formatDateTime(at, 'ja'), '2026/11/30 14:05');
    assert.match(formatDateTime(at, 'sv'), /^30 nov\. 2026 14:05$/);
    assert.match(formatDateTime(at, 'en'), /^Nov 30, 2026,? 2:05\sPM$/);
    assert.match(formatDateTime(at, 'zh-Hans'), /^2026年11月30日 14:05$/);
    assert.equal(formatDateTime('', 'sv'), '');
    assert.equal(formatDateTime('not a date', 'sv'), 'not a date');
  });

  it('groups numbers and names durations in the language', () => {
    assert.equal(formatCount(100000, 'en'), '100,000');
    assert.equal(formatCount(100000, 'sv').replace(/\s/g, ' '), '100 000');
    assert.equal(formatDuration(725_000, 'en'), '12 min 5 sec');
    assert.equal(formatDuration(3_900_000, 'en'), '1 hr 5 min');
    assert.equal(formatDuration(40_000, 'en'), '40 sec');
    assert.equal(formatDuration(0, 'en'), '0 sec');
    assert.match(formatDuration(725_000, 'ja'), /12.*分.*5.*秒/);
  });
});
