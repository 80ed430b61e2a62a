// Browser tests of issue 16, the map investors read: the base map (basemap.de by default, here a
// stub on 127.0.0.1) with its layer switch and its fallback to our own layers. Each check runs at
// 1400 px (desktop) and 390 px (phone) and leaves screenshots in test-results/.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Bench, settle, shot, until} from './harness.mjs';
import {startStub} from './stubstyle.mjs';

const bench = new Bench();
let stub;

const viewports = {desktop: {width: 1400, height: 900}, phone: {width: 390, height: 844}};

async function open(base, url, viewport) {
	const p = await bench.page({viewport});
	await p.goto(base + url, {waitUntil: 'domcontentloaded'});
	return p;
}

/** clean asserts what must hold on every page: no error in the page or its console, no request off 127.0.0.1. */
function clean(p) {
	assert.deepEqual(p.errors, [], 'no page error');
	assert.deepEqual(p.consoleErrors, [], 'no console error');
	assert.deepEqual(p.external, [], 'no request left 127.0.0.1');
}

const mapState = (p) => p.evaluate(() => {
	const map = window.__landatlasMap;
	const layers = map.getStyle().layers.map((l) => l.id);
	const drawn = (ids) => map.queryRenderedFeatures({layers: ids.filter((id) => map.getLayer(id))}).length;
	return {
		basemapLayers: layers.filter((id) => id.startsWith('bm-')),
		regionFill: map.getLayoutProperty('region-fill', 'visibility') ?? 'visible',
		parcels: drawn(['parcels-fill', 'parcels-point']),
		infrastructure: drawn(['infrastructure-circle']),
		boundaries: drawn(['districts-line']),
		status: document.querySelector('#basemap-note')?.dataset.status ?? null,
		note: document.querySelector('#basemap-note')?.textContent ?? '',
	};
});

before(async () => {
	await bench.start();
	stub = await startStub();
	bench.allow(stub.base);
}, {timeout: 600_000});

after(async () => {
	await stub?.stop();
	await bench.stop();
}, {timeout: 120_000});

describe('base map', {timeout: 600_000}, () => {
	test('the config offers basemap.de by default and nothing when turned off', async () => {
		const off = await bench.api('/api/v1/config');
		assert.deepEqual(off.basemaps, [], 'LANDATLAS_BASEMAP_STYLE=off: no external base map');
		const p = await open(bench.base, '/', viewports.desktop);
		await settle(p);
		assert.equal(await p.$('#basemap-switch'), null, 'no switch without base maps');
		const s = await mapState(p);
		assert.ok(s.parcels > 0 && s.boundaries > 0, 'our own layers draw');
		clean(p);
		await p.context().close();
	});

	for (const [name, viewport] of Object.entries(viewports)) {
		test(`${name}: a base map that does not answer falls back to our own layers, quietly`, async () => {
			const base = await bench.serve({LANDATLAS_BASEMAP_STYLE: stub.hangingBasemap});
			const p = await open(base, '/', viewport);
			await settle(p, 40_000);
			const s = await mapState(p);
			assert.equal(s.status, 'fallback', 'the switch says the map fell back');
			assert.match(s.note, /basemap\.de nicht erreichbar/);
			assert.ok(await p.isVisible('#basemap-note'), 'the note shows while the switch is closed');
			assert.deepEqual(s.basemapLayers, [], 'nothing of the base map stays');
			assert.equal(s.regionFill, 'visible', 'our own base layer is drawn');
			assert.ok(s.parcels > 0, 'parcels drawn');
			assert.ok(s.boundaries > 0, 'boundaries drawn');
			assert.ok(s.infrastructure > 0, 'motorway junctions, stations, terminals drawn');
			assert.ok(stub.requests.some((u) => u.startsWith('/hang/colour.json')), 'the base map was asked for');
			assert.equal(await p.isVisible('#map-message'), false, 'no error message over the map');
			clean(p);
			await shot(p, `16-basemap-fallback-${name}`);
			await p.context().close();
		});

		test(`${name}: the layer switch draws map, grey, aerial and none`, async () => {
			const base = await bench.serve({LANDATLAS_BASEMAP_STYLE: stub.basemaps});
			const config = await (await fetch(`${base}/api/v1/config`)).json();
			assert.deepEqual(config.basemaps.map((b) => b.id), ['map', 'grey', 'aerial']);
			const p = await open(base, '/', viewport);
			await settle(p);
			let s = await mapState(p);
			assert.equal(s.status, 'external', 'the base map draws');
			assert.ok(s.basemapLayers.includes('bm-colour-raster'), `colour style under our layers: ${s.basemapLayers}`);
			assert.equal(s.regionFill, 'none', 'our own base layer gives way');
			assert.ok(s.parcels > 0, 'parcels drawn over the base map');
			assert.ok(stub.requests.some((u) => u.startsWith('/tiles/colour/')), 'colour tiles fetched');
			assert.ok(await p.evaluate(() => {
				const layers = window.__landatlasMap.getStyle().layers.map((l) => l.id);
				return layers.indexOf('bm-colour-raster') < layers.indexOf('parcels-fill');
			}), 'the base map lies under the parcels');
			await shot(p, `16-basemap-map-${name}`);

			const choose = async (choice, layer) => {
				if (!(await p.$eval('#basemap-switch details', (d) => d.open))) await p.click('#basemap-switch summary');
				await p.check(`#basemap-${choice}`);
				await until(p, (want) => {
					const note = document.querySelector('#basemap-note');
					const layers = window.__landatlasMap.getStyle().layers.map((l) => l.id);
					return note?.dataset.status === want.status && (!want.layer || layers.includes(want.layer));
				}, {status: choice === 'none' ? 'own' : 'external', layer}, 15_000, `base map ${choice}`);
				await settle(p);
				return mapState(p);
			};
			s = await choose('grey', 'bm-grey-raster');
			assert.ok(!s.basemapLayers.some((id) => id.includes('colour')), 'the colour map is gone');
			assert.ok(stub.requests.some((u) => u.startsWith('/tiles/grey/')), 'grey tiles fetched');
			await shot(p, `16-basemap-grey-${name}`);
			s = await choose('aerial', 'bm-aerial');
			assert.ok(stub.requests.some((u) => u.startsWith('/tiles/aerial/')), 'aerial tiles fetched');
			await shot(p, `16-basemap-aerial-${name}`);
			s = await choose('none');
			assert.deepEqual(s.basemapLayers, [], 'none: no base map');
			assert.equal(s.regionFill, 'visible', 'none: our own base layer');
			assert.ok(s.parcels > 0 && s.boundaries > 0, 'none: our layers draw');

			await choose('aerial', 'bm-aerial');
			await p.reload({waitUntil: 'domcontentloaded'});
			await settle(p);
			s = await mapState(p);
			assert.ok(s.basemapLayers.includes('bm-aerial'), 'the choice survives a reload');
			assert.equal(await p.$eval('#basemap-aerial', (el) => el.checked), true);
			clean(p);
			await p.context().close();
		});
	}
});
