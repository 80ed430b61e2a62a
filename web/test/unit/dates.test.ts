import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatDate, parseDate} from '../../src/dates.ts';

test('formatDate writes dd.mm.yyyy in German and dd/mm/yyyy in English', () => {
	assert.equal(formatDate('2026-03-07', 'de'), '07.03.2026');
	assert.equal(formatDate('2026-03-07', 'en'), '07/03/2026');
	assert.equal(formatDate('2026-03-07T10:00:00Z', 'de'), '07.03.2026');
	assert.equal(formatDate('', 'de'), '');
	assert.equal(formatDate(null, 'de'), '');
});

test('parseDate reads what people type and refuses what is no date', () => {
	assert.equal(parseDate('7.3.2026', 'de'), '2026-03-07');
	assert.equal(parseDate(' 07.03.2026 ', 'de'), '2026-03-07');
	assert.equal(parseDate('2026-03-07', 'de'), '2026-03-07');
	assert.equal(parseDate('07/03/2026', 'en'), '2026-03-07');
	assert.equal(parseDate('29.02.2024', 'de'), '2024-02-29', 'leap day');
	assert.equal(parseDate('29.02.2025', 'de'), null, 'no leap day in 2025');
	assert.equal(parseDate('31.04.2026', 'de'), null);
	assert.equal(parseDate('13/13/2026', 'en'), null);
	assert.equal(parseDate('03/07/2026', 'de'), null, 'German takes dots');
	assert.equal(parseDate('morgen', 'de'), null);
	assert.equal(parseDate('', 'de'), null);
});
