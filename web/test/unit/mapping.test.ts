// What the upload form reads of a file before it is sent. Which field a column fills is not
// guessed here: the server answers that (POST /api/v1/uploads/guess-mapping), by the upload's rule.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sniff} from '../../src/work/mapping.ts';

test('GeoJSON: the columns of its features and some values of each, in WGS84 by definition', async () => {
	const doc = {type: 'FeatureCollection', features: [
		{type: 'Feature', properties: {kennung: 'A-1', verfuegbar: 'sofort', flaeche: 2.5}, geometry: null},
		{type: 'Feature', properties: {kennung: 'A-2', verfuegbar: 'sofort', bemerkung: {nested: true}}, geometry: null},
	]};
	const s = await sniff(new File([JSON.stringify(doc)], 'flaechen.geojson'));
	assert.equal(s.format, 'GeoJSON');
	assert.deepEqual(s.columns, ['kennung', 'verfuegbar', 'flaeche', 'bemerkung']);
	assert.equal(s.hasCRS, true);
	assert.deepEqual(s.values?.verfuegbar, ['sofort'], 'each value once');
	assert.equal(s.values?.bemerkung, undefined, 'objects are no values to map');
});

test('CSV from German Excel: BOM, semicolons, quoted names; no CRS in the file', async () => {
	const csv = '\ufeff"Kennung";"verfuegbar";Fläche_Netto\r\nA-1;sofort;1,5\r\nA-2;kurzfristig;2\r\n';
	const s = await sniff(new File([csv], 'flaechen.csv'));
	assert.deepEqual(s, {format: 'CSV', columns: ['Kennung', 'verfuegbar', 'Fläche_Netto'], hasCRS: false,
		values: {Kennung: ['A-1', 'A-2'], verfuegbar: ['sofort', 'kurzfristig'], Fläche_Netto: ['1,5', '2']}});
});

test('a broken file or a format the browser cannot read leaves the columns to the server', async () => {
	assert.deepEqual(await sniff(new File(['{"type": "FeatureCollection", '], 'kaputt.geojson')), {format: 'GEOJSON', columns: null, hasCRS: null});
	assert.deepEqual(await sniff(new File([new Uint8Array(16)], 'daten.gpkg')), {format: 'GeoPackage', columns: null, hasCRS: true});
	assert.deepEqual(await sniff(new File(['0\nSECTION'], 'plan.dxf')), {format: 'DXF', columns: null, hasCRS: false});
});
