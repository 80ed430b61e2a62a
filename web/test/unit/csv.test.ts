import assert from 'node:assert/strict';
import {test} from 'node:test';
import {bom, csvCell, csvDialects, toCSV} from '../../src/csv.ts';

const de = csvDialects.de;
const en = csvDialects.en;

test('German Excel: semicolons, decimal comma, BOM, CRLF', () => {
	const out = toCSV(['Name', 'Fläche netto (ha)'], [['Gewerbepark Süd', 12.5], ['Am Hafen', 0.75]], de);
	assert.ok(out.startsWith(bom), 'starts with the BOM');
	assert.equal(out.slice(1), 'Name;Fläche netto (ha)\r\nGewerbepark Süd;12,5\r\nAm Hafen;0,75\r\n');
});

test('English: commas and decimal points', () => {
	assert.equal(toCSV(['a', 'b'], [[1234.5, true]], en).slice(1), 'a,b\r\n1234.5,yes\r\n');
});

test('quotes separators, quotes and line breaks', () => {
	assert.equal(csvCell('a;b', de), '"a;b"');
	assert.equal(csvCell('a,b', de), 'a,b');
	assert.equal(csvCell('a,b', en), '"a,b"');
	assert.equal(csvCell('say "hi"', de), '"say ""hi"""');
	assert.equal(csvCell('two\nlines', de), '"two\nlines"');
});

test('empty values, booleans, no formula injection', () => {
	assert.equal(csvCell(null, de), '');
	assert.equal(csvCell(undefined, de), '');
	assert.equal(csvCell(Number.NaN, de), '');
	assert.equal(csvCell(false, de), 'nein');
	assert.equal(csvCell('=HYPERLINK("x")', de), `"'=HYPERLINK(""x"")"`);
	assert.equal(csvCell(-3.25, de), '-3,25', 'negative numbers stay numbers');
	assert.equal(csvCell(0.1 + 0.2, de), '0,3', 'no float noise');
});
