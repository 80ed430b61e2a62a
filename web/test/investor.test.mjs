// Browser tests of issue 16, the map investors read: the base map (basemap.de by default, here a
// stub on 127.0.0.1) with its layer switch and its fallback to our own layers. Each check runs at
// 1400 px (desktop) and 390 px (phone) and leaves screenshots in test-results/.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {after, before, describe, test} from 'node:test';
import {Bench, settle, shot, until} from './harness.mjs';
import {geocoded, startStub} from './stubstyle.mjs';

const bench = new Bench();
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
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

// The question of issue 7 and 16: at least 2 ha, building rights, within 10 km of a motorway junction.
const questionURL = '/?minha=2&plan=in_force,built_up_area&motorway=10';
const question = "status = 'offered' AND planning_status IN ('in_force', 'built_up_area') AND net_area_ha >= 2 AND dist_motorway_km <= 10";

const drawnSites = (p) => p.evaluate(() => {
	const map = window.__landatlasMap;
	return map.queryRenderedFeatures({layers: ['sites-point', 'sites-fill', 'sites-line']}).map((f) => f.properties.id ?? null);
});

const shownCount = (p) => p.$eval('#results-count [data-count]', (el) => Number(el.dataset.count));

describe('results that look like results', {timeout: 900_000}, () => {
	for (const [name, viewport] of Object.entries(viewports)) {
		test(`${name}: with a filter only sites holding a matching parcel are drawn; the legend says circles`, async () => {
			const p = await open(bench.base, '/', viewport);
			await settle(p);
			const before = await drawnSites(p);
			await p.goto(bench.base + questionURL, {waitUntil: 'domcontentloaded'});
			await settle(p);
			const answer = await bench.allItems('parcels', {filter: question, properties: 'site_id', skipGeometry: 'true'});
			const sites = new Set(answer.features.map((f) => f.properties.site_id).filter((id) => id !== null));
			const after = await drawnSites(p);
			assert.ok(after.length > 0, 'sites of the result are drawn');
			assert.ok(after.length < before.length, `fewer sites drawn with the filter (${after.length} < ${before.length})`);
			for (const id of after) assert.ok(sites.has(id), `drawn site ${id} holds a matching parcel`);
			const legend = await p.$eval('[data-legend=sites]', (li) => ({circle: !!li.querySelector('.key-site'), text: li.textContent}));
			assert.ok(legend.circle, 'the legend draws sites as circles');
			assert.match(legend.text, /Kreis nach Bruttofläche/);
			assert.match(legend.text, /nur Standorte mit passenden Flächen/);
			if (name === 'desktop') await p.evaluate(() => document.querySelector('.legend').open = true);
			await shot(p, `16-results-filtered-${name}`);
			clean(p);
			await p.context().close();
		});

		test(`${name}: one label per parcel`, async () => {
			const answer = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: question, sortby: '-net_area_ha', limit: 1});
			const [lng, lat] = answer.features[0].geometry.type === 'MultiPolygon' ? answer.features[0].geometry.coordinates[0][0][0] : answer.features[0].geometry.coordinates[0][0];
			const p = await open(bench.base, `/?map=15/${lat}/${lng}`, viewport);
			await settle(p);
			await until(p, () => window.__landatlasMap.queryRenderedFeatures({layers: ['parcels-label']}).length > 0, undefined, 15_000, 'parcel labels');
			const {labels, drawn, parcels} = await p.evaluate(async () => {
				const map = window.__landatlasMap;
				const ids = new Set(map.querySourceFeatures('parcels', {sourceLayer: 'parcels'}).filter((f) => f.geometry.type !== 'Point').map((f) => String(f.properties.id)));
				const data = await map.getSource('parcel-labels').getData();
				return {
					labels: data.features.map((f) => f.properties.key).sort(),
					drawn: map.queryRenderedFeatures({layers: ['parcels-label']}).map((f) => f.properties.key),
					parcels: [...ids].sort(),
				};
			});
			assert.ok(parcels.length > 0, 'parcels in view');
			assert.deepEqual(labels, parcels, 'one label for each parcel in the loaded tiles');
			assert.equal(new Set(drawn).size, drawn.length, `no parcel's label drawn twice: ${drawn}`);
			await shot(p, `16-results-labels-${name}`);
			clean(p);
			await p.context().close();
		});

		test(`${name}: "only parcels in the map view" gives the API's bbox count; CSV and the printable list follow`, async () => {
			const p = await bench.page({viewport, acceptDownloads: true});
			await p.goto(bench.base + '/?map=10/51.35/12.35' + questionURL.slice(1).replace('?', '&'), {waitUntil: 'domcontentloaded'});
			await settle(p);
			const all = await shownCount(p);
			if (name === 'phone') await p.click('#panel-toggle');
			await p.check('#results-inview');
			await settle(p);
			const bounds = await p.evaluate(() => window.__landatlasMap.getBounds().toArray().flat().map((v) => v.toFixed(6)).join(','));
			const inView = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: question, bbox: bounds, limit: 1});
			const shown = await shownCount(p);
			assert.equal(shown, inView.numberMatched, 'count = the API\'s bbox count');
			assert.ok(shown < all, `the view holds fewer (${shown} < ${all})`);
			assert.equal(new URL(p.url()).searchParams.get('inview'), '1', 'the link keeps it');
			await shot(p, `16-results-inview-${name}`);

			const [download] = await Promise.all([p.waitForEvent('download'), p.click('#export-csv')]);
			const text = readFileSync(await download.path(), 'utf8');
			assert.ok(text.startsWith('\uFEFF'), 'BOM for Excel');
			const lines = text.slice(1).split('\r\n').filter(Boolean);
			assert.equal(lines.length - 1, shown, 'one row per parcel in view');
			// The columns are the registry's export fields the public may see, as in every export.
			assert.match(lines[0], /^Flächen-ID;/);
			for (const col of ['Bezeichnung', 'Gemeinde', 'Kreis', 'Fläche netto (ha)', 'Preis ab (€/m²)', 'Zuletzt bestätigt', 'Steckbrief']) {
				assert.ok(lines[0].split(';').includes(col), `column ${col} in ${lines[0]}`);
			}
			assert.doesNotMatch(lines[0], /Eigentum|Bemerkungen|Veröffentlichung/, 'no internal field');
			assert.ok(lines.slice(1).some((l) => /;\d+,\d+;/.test(l)), 'decimal commas');
			assert.ok(download.suggestedFilename().endsWith('.csv'));

			await p.click('#export-print');
			await until(p, () => location.pathname === '/list/print' && document.getElementById('print-root').dataset.state === 'ready', undefined, 30_000, 'the printable list');
			const cards = await p.$$eval('.parcel-card', (els) => els.map((el) => ({id: el.dataset.id, sketch: !!el.querySelector('svg.sketch path')})));
			assert.equal(cards.length, Math.min(shown, 100), 'one card per parcel');
			assert.ok(cards.every((c) => c.sketch), 'each card has its sketch map');
			assert.match(await p.textContent('.parcel-list-print'), /Luftlinie/);
			await shot(p, `16-results-printlist-${name}`, {fullPage: true});
			clean(p);
			await p.context().close();
		});
	}
});

describe('favourites and comparison', {timeout: 900_000}, () => {
	for (const [name, viewport] of Object.entries(viewports)) {
		test(`${name}: favourites survive a reload and a share link; the comparison shows the API's values`, async () => {
			const top = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: question, sortby: '-net_area_ha', limit: 3, properties: 'id,name', skipGeometry: 'true'});
			const picked = top.features.slice(0, 3).map((f) => ({id: String(f.properties.id ?? f.id), name: f.properties.name}));
			const p = await open(bench.base, `/parcel/${picked[0].id}`, viewport);
			for (const f of picked) {
				await p.goto(`${bench.base}/parcel/${f.id}`, {waitUntil: 'domcontentloaded'});
				await settle(p);
				await p.click('#fav-toggle');
				assert.equal(await p.getAttribute('#fav-toggle', 'aria-pressed'), 'true', `${f.name} marked`);
			}
			await p.goto(`${bench.base}/`, {waitUntil: 'domcontentloaded'});
			await settle(p);
			const listed = await p.$$eval('#favourites li[data-id]', (els) => els.map((el) => ({id: el.dataset.id, name: el.querySelector('.fav-name').textContent})));
			assert.deepEqual(listed, picked, 'the favourites survive a reload, in order, with names');
			const share = await p.inputValue('#fav-share');
			assert.match(share, /\/\?fav=\d+,\d+,\d+$/);

			// Someone else opens the link: a fresh browser with empty storage.
			const other = await bench.page({viewport});
			await other.goto(share, {waitUntil: 'domcontentloaded'});
			await settle(other);
			await until(other, () => document.querySelectorAll('#favourites li[data-id]').length === 3, undefined, 15_000, 'the shared favourites');
			assert.equal(await other.$eval('#favourites', (d) => d.open), true, 'the panel opens');
			assert.deepEqual(await other.$$eval('#favourites li[data-id]', (els) => els.map((el) => el.dataset.id)), picked.map((f) => f.id));
			assert.equal(new URL(other.url()).searchParams.has('fav'), false, 'fav= leaves the address once kept');
			clean(other);
			await other.context().close();

			if (name === 'phone') await p.click('#panel-toggle');
			await p.click('#favourites summary').catch(() => {});
			if (!(await p.$eval('#favourites', (d) => d.open))) await p.click('#favourites summary');
			await p.click('#fav-compare');
			await until(p, () => location.pathname === '/compare' && document.getElementById('print-root').dataset.state === 'ready', undefined, 30_000, 'the comparison');
			assert.deepEqual(new URL(p.url()).searchParams.get('ids').split(','), picked.map((f) => f.id));
			const fmt = (v, d) => new Intl.NumberFormat('de-DE', {minimumFractionDigits: d, maximumFractionDigits: d}).format(v);
			for (const f of picked) {
				const api = (await bench.api(`/ogcapi/collections/parcels/items/${f.id}`, {f: 'json'})).properties;
				const cell = (field) => p.$eval(`tr[data-field=${field}] td[data-id="${f.id}"]`, (td) => td.textContent);
				assert.equal(await cell('net_area_ha'), `${fmt(api.net_area_ha, api.net_area_ha < 1 ? 2 : 1)} ha`);
				if (api.dist_motorway_km !== null) assert.equal(await cell('dist_motorway_km'), `${fmt(api.dist_motorway_km, 1)} km`);
				assert.ok((await cell('use_type')).includes(`(${api.use_type})`), 'use type');
				assert.equal(await cell('hydrogen'), api.hydrogen ? 'ja' : 'nein');
			}
			for (const field of ['planning_status', 'availability', 'price', 'power_mw', 'rail_siding', 'dist_rail_terminal_km', 'constraints']) {
				assert.ok(await p.$(`tr[data-field=${field}]`), `row ${field}`);
			}
			assert.match(await p.textContent('.compare'), /Luftlinie/);
			assert.equal(await p.isEnabled('#compare-print'), true);
			await shot(p, `16-compare-${name}`, {fullPage: true});
			clean(p);
			await p.context().close();
		});
	}
});

describe('search', {timeout: 600_000}, () => {
	const type = async (p, text) => {
		await p.fill('#search', '');
		await p.fill('#search', text);
		await until(p, () => !document.getElementById('search-options').hidden, undefined, 10_000, 'search options');
		await until(p, (want) => document.getElementById('search').value === want, text, 2000, 'typed');
	};
	for (const [name, viewport] of Object.entries(viewports)) {
		test(`${name}: the box finds municipalities by AGS and says what it can find without a geocoder`, async () => {
			const p = await open(bench.base, '/', viewport);
			await settle(p);
			assert.match(await p.getAttribute('#search', 'placeholder'), /AGS/);
			await type(p, '14713');
			await until(p, () => document.querySelector('#search-options [data-kind=place]'), undefined, 10_000, 'a place');
			const first = await p.$eval('#search-options [data-kind=place]', (li) => ({id: li.dataset.id, text: li.textContent}));
			assert.equal(first.id, '14713000');
			assert.match(first.text, /Leipzig/);
			await type(p, 'zzqqxx');
			await until(p, () => document.querySelector('#search-options .search-hint'), undefined, 10_000, 'the hint');
			assert.match(await p.textContent('#search-options .search-hint'), /Gemeindeschlüsseln \(AGS/);
			assert.match(await p.textContent('#search-options .search-hint'), /Geocoder/);
			await shot(p, `16-search-hint-${name}`);
			clean(p);
			await p.context().close();
		});

		test(`${name}: with a geocoder the box finds a postcode through the server`, async () => {
			const base = await bench.serve({LANDATLAS_GEOCODER_URL: stub.geocoder});
			const p = await open(base, '/', viewport);
			await settle(p);
			assert.match(await p.getAttribute('#search', 'placeholder'), /PLZ/);
			const before = stub.requests.filter((u) => u.startsWith('/geocode')).length;
			await type(p, '04109');
			await until(p, () => document.querySelector('#search-options [data-kind=address]'), undefined, 10_000, 'an address');
			assert.equal(await p.textContent('#search-options [data-kind=address]'), geocoded.properties.text);
			assert.ok(stub.requests.filter((u) => u.startsWith('/geocode')).length > before, 'the server asked the geocoder');
			await p.press('#search', 'Enter');
			await until(p, (pt) => {
				const c = window.__landatlasMap.getCenter();
				return Math.abs(c.lng - pt[0]) < 0.01 && Math.abs(c.lat - pt[1]) < 0.01 && !window.__landatlasMap.isMoving();
			}, geocoded.geometry.coordinates, 15_000, 'the map at the address');
			await shot(p, `16-search-geocoder-${name}`);
			clean(p);
			await p.context().close();
		});
	}
});

describe('fact sheet, glossary and exposé', {timeout: 900_000}, () => {
	let parcel; // the largest answer to the question, given an English description
	let other; // one without

	before(async () => {
		const top = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: question, sortby: '-net_area_ha', limit: 2, properties: 'id,name,contact_email', skipGeometry: 'true'});
		[parcel, other] = top.features.map((f) => ({id: String(f.properties.id ?? f.id), ...f.properties}));
		await bench.psql(`UPDATE parcels SET description_en = 'A large serviced plot next to the motorway (synthetic demo data).' WHERE id = ${Number(parcel.id)}`);
		const check = await bench.api(`/ogcapi/collections/parcels/items/${parcel.id}`, {f: 'json'});
		assert.match(check.properties.description_en, /serviced plot/, 'the API serves description_en');
	});

	for (const [name, viewport] of Object.entries(viewports)) {
		test(`${name}: each fact once, grouped; terms explained on keyboard focus; English description or "only in German"`, async () => {
			const p = await open(bench.base, `/parcel/${parcel.id}`, viewport);
			await settle(p);
			const groups = await p.$$eval('#sheet .sheet-section[data-group]', (els) => els.map((el) => el.dataset.group));
			assert.deepEqual(groups.filter((g) => g !== 'description'), ['location', 'area', 'market', 'utilities', 'constraints', 'contact', 'record']);
			for (const field of ['net_area_ha', 'gross_area_ha', 'use_type', 'planning_status', 'availability', 'status', 'price', 'municipality_name']) {
				assert.equal(await p.$$eval(`#sheet .sheet-section[data-group] [data-field="${field}"]`, (els) => els.length), 1, `${field} once`);
			}
			const props = (await bench.api(`/ogcapi/collections/parcels/items/${parcel.id}`, {f: 'json'})).properties;
			if (props.expose_url) assert.ok(await p.$('#sheet [data-field=expose_url] a'), 'the provider\'s exposé is linked');
			else assert.equal(await p.$('#sheet [data-field=expose_url]'), null, 'no empty exposé row next to "Exposé drucken"');
			assert.doesNotMatch(await p.textContent('#sheet'), /Exposé\s*keine Angabe/);
			assert.match(await p.textContent('#sheet [data-group=location]'), /Luftlinie/);
			assert.match(await p.textContent('#filters-root'), /Luftlinie/, 'the filter says straight line too');

			// Keyboard: Tab through the page to the first glossary term of the sheet; its explanation shows.
			await p.focus('#sheet h2');
			let focused = null;
			for (let i = 0; i < 40 && !focused; i++) {
				await p.keyboard.press('Tab');
				focused = await p.evaluate(() => document.activeElement?.classList.contains('term') ? document.activeElement.dataset.term : null);
			}
			assert.ok(focused, 'a glossary term is reachable with Tab');
			const tip = await p.evaluate(() => {
				const el = document.activeElement;
				const tip = document.getElementById(el.getAttribute('aria-describedby'));
				return {text: tip.textContent, shown: getComputedStyle(tip).display !== 'none'};
			});
			assert.ok(tip.shown && tip.text.length > 20, `the explanation shows on focus: ${tip.text}`);
			await shot(p, `16-factsheet-term-${name}`);

			await p.goto(`${bench.base}/parcel/${parcel.id}?lang=en`, {waitUntil: 'domcontentloaded'});
			await settle(p);
			assert.match(await p.textContent('#sheet [data-field=description]'), /serviced plot/, 'English description');
			assert.equal(await p.getAttribute('#sheet [data-field=description]', 'lang'), 'en');
			await p.goto(`${bench.base}/parcel/${other.id}?lang=en`, {waitUntil: 'domcontentloaded'});
			await settle(p);
			assert.equal((await p.textContent('#sheet [data-field=description-language]')).trim(), 'only in German');
			assert.equal(await p.getAttribute('#sheet [data-field=description]', 'lang'), 'de');
			await shot(p, `16-factsheet-en-${name}`);
			clean(p);
			await p.context().close();
		});

		test(`${name}: the glossary page explains BauNVO, GRZ/GFZ/BMZ, Potenzialart and Lärmkontingent in German and English`, async () => {
			const ready = (pg) => until(pg, () => document.getElementById('print-root').dataset.state === 'ready', undefined, 20_000, 'the glossary');
			const p = await open(bench.base, '/glossary', viewport);
			await ready(p);
			const de = await p.textContent('.glossary');
			for (const w of ['BauNVO', 'GRZ', 'GFZ', 'BMZ', 'Potenzialart', 'Lärmkontingent', 'GI – Industriegebiet']) assert.ok(de.includes(w), `glossary names ${w}`);
			await p.goto(`${bench.base}/glossary?lang=en`, {waitUntil: 'domcontentloaded'});
			await ready(p);
			const en = await p.textContent('.glossary');
			for (const w of ['site coverage ratio', 'Noise contingent', 'Kind of potential', 'industrial area']) assert.ok(en.includes(w), `English glossary names ${w}`);
			await shot(p, `16-glossary-${name}`, {fullPage: true});
			clean(p);
			await p.context().close();
		});

		test(`${name}: the exposé has a locator map, scale bar, north arrow, sender, date, Stand and a QR code`, async () => {
			const p = await open(bench.base, `/parcel/${parcel.id}/print`, viewport);
			await until(p, () => document.getElementById('print-root').dataset.state === 'ready', undefined, 60_000, 'the exposé');
			assert.ok(await p.$('#print-root img.print-map'), 'detail map drawn');
			assert.ok(await p.$('svg.locator circle.locator-point'), 'locator map with the parcel');
			assert.equal(await p.$$eval('svg.locator path', (els) => els.length), 9, 'the nine districts');
			assert.match(await p.textContent('.map-scale'), /\d+ (m|km)/, 'scale bar');
			assert.ok(await p.$('.map-north'), 'north arrow');
			const today = new Date().toISOString().slice(0, 10).split('-').reverse().join('.');
			assert.equal(await p.textContent('[data-field=expose-date]'), `Erstellt am ${today}`);
			assert.match(await p.textContent('[data-field=expose-stand]'), /^Stand der Angaben: (\d{2}\.\d{2}\.\d{4}|keine Angabe)$/);
			assert.match(await p.textContent('[data-field=sender]'), /Metropolregion Mitteldeutschland/);
			assert.ok(await p.$('.expose-qr svg path'), 'QR code');
			if (parcel.contact_email) assert.ok(await p.$$eval('a.email', (els) => els.every((a) => a.querySelector('wbr'))), 'e-mail addresses break only at @ and dots');
			await p.emulateMedia({media: 'print'});
			await shot(p, `16-expose-${name}`, {fullPage: true});
			clean(p);
			await p.context().close();
		});
	}
});

/** axe runs axe-core (WCAG 2 A and AA) in the page and returns the serious and critical violations. */
async function axe(p) {
	await p.addScriptTag({path: axePath});
	const violations = await p.evaluate(async () => {
		const r = await window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
		return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
	});
	return violations;
}

/** boxes reads the screen rectangles of the visible elements among selectors. */
const boxes = (p, selectors) => p.evaluate((sels) => Object.fromEntries(sels.flatMap((s) => {
	const el = document.querySelector(s);
	if (!el || el.closest('[hidden]') || getComputedStyle(el).display === 'none') return [];
	const r = el.getBoundingClientRect();
	return r.width && r.height ? [[s, {l: r.left, t: r.top, r: r.right, b: r.bottom}]] : [];
})), selectors);

const overlap = (a, b) => a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;

describe('calm layout and accessibility', {timeout: 900_000}, () => {
	for (const width of [1280, 1400, 1920, 360, 390, 430]) {
		test(`${width} px: nothing overlaps on the map; the public sees no time slider; the attribution is folded`, async () => {
			const p = await open(bench.base, questionURL, {width, height: width < 600 ? 800 : 900});
			await settle(p);
			const overlays = ['.legend', '.maplibregl-ctrl-top-right', '.maplibregl-ctrl-bottom-right', '.maplibregl-ctrl-bottom-left', '#timebar-root .timebar', '.topbar', width >= 768 ? '#sidebar' : null].filter(Boolean);
			const b = await boxes(p, overlays);
			for (let i = 0; i < overlays.length; i++) {
				for (let j = i + 1; j < overlays.length; j++) {
					const [x, y] = [overlays[i], overlays[j]];
					if (b[x] && b[y]) assert.ok(!overlap(b[x], b[y]), `${x} and ${y} overlap at ${width} px: ${JSON.stringify([b[x], b[y]])}`);
				}
			}
			assert.equal(b['#timebar-root .timebar'], undefined, 'no time slider for the public');
			assert.equal(await p.$eval('.maplibregl-ctrl-attrib', (el) => el.hasAttribute('open') || el.classList.contains('maplibregl-compact-show')), false, 'attribution folded');
			const top = await boxes(p, ['.topbar']);
			assert.ok(top['.topbar'].b - top['.topbar'].t < (width < 600 ? 130 : 70), `the header stays low (${top['.topbar'].b - top['.topbar'].t} px)`);
			if (width >= 768) {
				const s = await boxes(p, ['#sidebar', '#results-sort']);
				assert.ok(s['#results-sort'].r <= s['#sidebar'].r + 1, 'the sort select stays in the sidebar');
			}
			await shot(p, `16-layout-${width}`);
			clean(p);
			await p.context().close();
		});
	}

	for (const [name, viewport] of Object.entries(viewports)) {
		test(`${name}: dates read dd.mm.yyyy in German, inputs included; a wrong date is refused with a message`, async () => {
			const p = await open(bench.base, '/?availby=2027-06-30', viewport);
			await settle(p);
			if (name === 'phone') await p.click('#panel-toggle');
			assert.equal(await p.inputValue('#f-availby'), '30.06.2027');
			await p.fill('#f-availby', '31.02.2027');
			await p.locator('#f-availby').press('Tab');
			assert.equal(await p.getAttribute('#f-availby', 'aria-invalid'), 'true');
			assert.match(await p.textContent('#f-availby-msg'), /TT\.MM\.JJJJ/);
			await p.fill('#f-availby', '1.7.2027');
			await p.locator('#f-availby').press('Tab');
			await until(p, () => new URL(location.href).searchParams.get('availby') === '2027-07-01', undefined, 10_000, 'the filter to take the date');
			assert.equal(await p.inputValue('#f-availby'), '01.07.2027');
			clean(p);
			await p.context().close();
		});

		test(`${name}: axe-core finds no serious violations on the map, fact sheet, exposé and comparison`, async () => {
			const top = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: question, sortby: '-net_area_ha', limit: 2, properties: 'id', skipGeometry: 'true'});
			const ids = top.features.map((f) => String(f.properties.id ?? f.id));
			const pages = [
				['map', questionURL, () => settle(p)],
				['factsheet', `/parcel/${ids[0]}`, () => settle(p)],
				['expose', `/parcel/${ids[0]}/print`, () => until(p, () => document.getElementById('print-root').dataset.state === 'ready', undefined, 60_000, 'the exposé')],
				['compare', `/compare?ids=${ids.join(',')}`, () => until(p, () => document.getElementById('print-root').dataset.state === 'ready', undefined, 60_000, 'the comparison')],
			];
			const p = await bench.page({viewport});
			const found = [];
			for (const [what, url, ready] of pages) {
				await p.goto(bench.base + url, {waitUntil: 'domcontentloaded'});
				await ready();
				for (const v of await axe(p)) found.push(`${what}: ${v}`);
				await shot(p, `16-axe-${what}-${name}`);
			}
			assert.deepEqual(found, [], 'no serious or critical WCAG A/AA violations');
			clean(p);
			await p.context().close();
		});
	}
});
