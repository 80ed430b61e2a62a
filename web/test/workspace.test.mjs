// Browser tests of the signed-in workspace (issue 8) against the real server and demo data, with
// accounts made by `landatlas token create`: sign-in and the marking of internal parcels, the study
// dashboard against the study API, a site search with a preset against the API's ranking, a district
// upload from a broken Shapefile to its fixed version, published and traced in the parcel history,
// an editor refused in another district, and the map's time slider.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {Bench, settle, shot, until} from './harness.mjs';

const run = promisify(execFile);
const bench = new Bench();
const pages = [];
const tmp = mkdtempSync(join(tmpdir(), 'landatlas-w8-'));
let tokens; // planner, editor (Saalekreis), admin

const fmt = (locale, v, digits) => new Intl.NumberFormat(locale, {minimumFractionDigits: digits, maximumFractionDigits: digits}).format(v);
const haText = (v) => `${fmt('de-DE', v, Math.abs(v) < 1 && v !== 0 ? 2 : 1)} ha`;
const int = (v) => new Intl.NumberFormat('de-DE').format(v);

async function open(url, opts) {
	const p = await bench.page(opts);
	pages.push(p);
	await p.goto(bench.base + url, {waitUntil: 'domcontentloaded'});
	return p;
}

async function signIn(p, token) {
	await p.click('#signin');
	await p.fill('#signin-token', token);
	await p.click('#signin-dialog button[type=submit]');
	await until(p, () => document.getElementById('account') && !document.getElementById('signin-dialog').open, undefined, 20_000, 'the signed-in account');
}

/** renderedIn lists the ids of parcels drawn in the given layers. */
async function renderedIn(p, layers) {
	return p.evaluate((layers) => {
		const map = window.__landatlasMap;
		if (!layers.every((l) => map.getLayer(l))) return [];
		return [...new Set(map.queryRenderedFeatures({layers}).filter((f) => (f.properties.count ?? 1) <= 1).map((f) => String(f.properties.id ?? f.id)))];
	}, layers);
}

/** sourceData is what a GeoJSON source of the map was last given. */
async function sourceData(p, id) {
	return p.evaluate((id) => window.__landatlasMap.getSource(id).serialize().data, id);
}

/** square is a closed ring of a square of side 2·s metres around (x, y). */
const square = (x, y, s) => [[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s], [x - s, y - s]];
/** bowtie is a self-intersecting ring: the "square" with two corners swapped. */
const bowtie = (x, y, s) => [[x - s, y - s], [x + s, y + s], [x + s, y - s], [x - s, y + s], [x - s, y - s]];

/**
 * shapefile writes features (coordinates in EPSG:25832) as a Shapefile with a .prj, the way a
 * district's GIS exports it, and returns the paths of its parts.
 */
async function shapefile(name, features) {
	const geojson = join(tmp, `${name}.geojson`);
	writeFileSync(geojson, JSON.stringify({type: 'FeatureCollection', features}));
	const shp = join(tmp, `${name}.shp`);
	await run('ogr2ogr', ['-f', 'ESRI Shapefile', '-s_srs', 'EPSG:25832', '-t_srs', 'EPSG:25832', '-lco', 'ENCODING=UTF-8', shp, geojson], {timeout: 60_000});
	return ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => join(tmp, `${name}.${e}`));
}

/**
 * parcelFeature is a parcel of the fixture with a district GIS's column names; GEB_TYP (the type of
 * use) needs the mapping. verfuegbar is "verfuegbarkeit" cut to 10 characters, as a Shapefile cuts it.
 */
function parcelFeature(i, ring) {
	return {
		type: 'Feature', geometry: {type: 'Polygon', coordinates: [ring]},
		properties: {kennung: `W8-${i}`, name: `Testfläche W8 ${i}`, GEB_TYP: 'GE', planrecht: 'in_force', verfuegbar: 'now', status: 'offered', potenzial: 'reserve_bplan'},
	};
}

/** freePoint is a municipality's point in a district with no parcel near it, in EPSG:25832. */
async function freePoint(district, clearance) {
	const rows = await bench.psql(`
		SELECT ST_X(x.p), ST_Y(x.p) FROM municipalities m CROSS JOIN LATERAL (SELECT ST_PointOnSurface(m.geom) AS p) x
		WHERE m.district_ags = '${district}' AND NOT EXISTS (SELECT 1 FROM parcels q WHERE ST_DWithin(q.geom, x.p, ${clearance}))
		  AND ST_Within(ST_Buffer(x.p, ${clearance}), (SELECT geom FROM districts WHERE ags = '${district}'))
		ORDER BY m.ags LIMIT 1`);
	assert.equal(rows.length, 1, `a free spot in district ${district}`);
	return rows[0].map(Number);
}

before(async () => {
	await bench.start();
	tokens = {
		planner: await bench.token('planner', 'Planung Region (Test)'),
		editor: await bench.token('editor', 'Saalekreis GIS (Test)', '15088'),
		admin: await bench.token('admin', 'Administration (Test)'),
	};
}, {timeout: 600_000});

after(async () => {
	await bench.stop();
	rmSync(tmp, {recursive: true, force: true});
}, {timeout: 120_000});

describe('signed-in workspace', {timeout: 900_000}, () => {
	let planner; // the planner's page, signed in
	let editor; // the Saalekreis editor's page, signed in

	test('sign-in shows the account and marks internal parcels', async () => {
		// An internal parcel with public neighbours, so the map around it draws something either way.
		const [id, lng, lat] = (await bench.psql(`
			SELECT p.id, ST_X(ST_Transform(ST_PointOnSurface(p.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(p.geom), 4326)) FROM parcels p
			WHERE p.publication = 'internal' AND p.ended_at IS NULL
			  AND EXISTS (SELECT 1 FROM parcels q WHERE q.publication = 'public' AND q.ended_at IS NULL AND ST_DWithin(q.geom, p.geom, 300))
			ORDER BY p.net_area_ha DESC LIMIT 1`))[0];
		planner = await open(`/?status=&map=15/${lat}/${lng}`);
		await until(planner, () => window.__landatlasMap?.getLayer('parcels-fill') && window.__landatlasMap.queryRenderedFeatures({layers: ['parcels-fill']}).length > 0, undefined, 60_000, 'parcels to be drawn');
		await settle(planner);
		const before = await renderedIn(planner, ['parcels-fill']);
		assert.ok(before.length > 0, 'public parcels drawn around it');
		assert.ok(!before.includes(id), 'the internal parcel is not drawn before signing in');
		assert.deepEqual(await renderedIn(planner, ['parcels-internal']), [], 'nothing is marked internal');
		await shot(planner, '10-before-signin');

		// A wrong token is refused with a message; the right one signs in.
		await planner.click('#signin');
		await planner.fill('#signin-token', 'la_wrong-token');
		await planner.click('#signin-dialog button[type=submit]');
		await until(planner, () => /unbekannt/.test(document.getElementById('signin-error')?.textContent ?? ''), undefined, 10_000, 'the refusal');
		await planner.fill('#signin-token', tokens.planner);
		await planner.click('#signin-dialog button[type=submit]');
		await until(planner, () => document.getElementById('account'), undefined, 20_000, 'the account');
		assert.equal(await planner.getAttribute('#account', 'data-role'), 'planner');
		assert.match(await planner.textContent('#account'), /Planung Region \(Test\)/);
		const stored = await planner.evaluate(() => ({session: sessionStorage.getItem('landatlas.session'), local: JSON.stringify(localStorage)}));
		assert.ok(stored.session.includes(tokens.planner), 'the token is kept in sessionStorage');
		assert.ok(!stored.local.includes(tokens.planner), 'and not in localStorage');

		await until(planner, (id) => {
			const map = window.__landatlasMap;
			return map.queryRenderedFeatures({layers: ['parcels-internal']}).some((f) => String(f.properties.id) === id);
		}, id, 30_000, 'the internal parcel to be drawn hatched');
		await settle(planner);
		assert.ok((await renderedIn(planner, ['parcels-fill'])).includes(id), 'the internal parcel is drawn after signing in');
		for (const f of await planner.evaluate(() => window.__landatlasMap.queryRenderedFeatures({layers: ['parcels-internal']}).map((f) => f.properties.publication))) {
			assert.equal(f, 'internal', 'only internal parcels are hatched');
		}
		const all = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', limit: 1}, tokens.planner);
		const allPublic = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', limit: 1});
		assert.ok(all.numberMatched > allPublic.numberMatched, 'signed in, there are more parcels than the public sees');
		assert.equal(Number(await planner.getAttribute('#results-count [data-count]', 'data-count')), all.numberMatched, 'the count includes internal parcels');
		await shot(planner, '11-signed-in-internal');

		// The fact sheet marks it internal and shows the internal fields and the history.
		const item = await bench.api(`/ogcapi/collections/parcels/items/${id}`, {f: 'json'}, tokens.planner);
		await planner.evaluate((id) => window.__landatlas.go({name: 'parcel', id}), id);
		await until(planner, () => document.getElementById('sheet').dataset.state === 'ready' && document.querySelector('#sheet [data-section=history]'), undefined, 20_000, 'the fact sheet');
		assert.equal(await planner.textContent('#sheet [data-badge=internal]'), 'intern');
		const owners = {municipal: 'kommunal', land: 'Land', federal: 'Bund', development_company: 'Entwicklungsgesellschaft', private: 'privat', mixed: 'gemischt', unknown: 'unbekannt'};
		assert.equal((await planner.textContent('#sheet [data-field=ownership]')).trim(), owners[item.properties.ownership] ?? 'keine Angabe');
		assert.equal((await planner.textContent('#sheet [data-field=publication]')).trim(), 'intern');
		const history = await bench.api(`/api/v1/parcels/${id}/history`, {}, tokens.planner);
		assert.equal(await planner.$$eval('#sheet [data-section=history] li[data-version]', (els) => els.length), history.versions.length, 'every version is listed');
		await shot(planner, '12-factsheet-internal-history');
	});

	test('the study dashboard shows the API\'s figures and their parcels', async () => {
		await planner.evaluate(() => window.__landatlas.go({name: 'study'}));
		await until(planner, () => document.getElementById('study')?.dataset.state === 'ready', undefined, 60_000, 'the dashboard');
		await settle(planner, 60_000);
		const supply = (await bench.api('/api/v1/study/supply', {group_by: 'district'}, tokens.planner)).supply;
		assert.equal(supply.groups.length, 9, 'nine districts');
		for (const g of supply.groups) {
			const row = `#supply-district tr[data-key="district:${g.key.district}"]`;
			assert.equal(Number(await planner.getAttribute(row, 'data-parcels')), g.parcels, `parcels of ${g.key.district}`);
			assert.equal(Number(await planner.getAttribute(row, 'data-net-ha')), g.net_ha, `net area of ${g.key.district}`);
			const cells = await planner.$$eval(`${row} td`, (els) => els.map((el) => el.textContent.trim()));
			assert.equal(cells[0], int(g.parcels));
			assert.equal(cells[1], haText(g.net_ha), 'net area as shown');
			assert.equal(cells[2], haText(g.reserve.net_ha), 'reserve as shown');
		}
		const byUse = (await bench.api('/api/v1/study/supply', {group_by: 'use_type'}, tokens.planner)).supply;
		for (const g of byUse.groups) {
			assert.equal(Number(await planner.getAttribute(`#supply-use_type tr[data-key="use_type:${g.key.use_type}"]`, 'data-net-ha')), g.net_ha, `use type ${g.key.use_type}`);
		}
		const takeUp = (await bench.api('/api/v1/study/take-up', {}, tokens.planner)).take_up;
		for (const d of takeUp.districts) {
			const row = `#take-up tr[data-district="${d.district_ags}"]`;
			assert.equal(Number(await planner.getAttribute(row, 'data-mean-ha')), d.mean_net_ha_per_year, `take-up of ${d.district_ags}`);
			assert.equal(await planner.getAttribute(row, 'data-reach'), d.reach_years === null ? '' : String(d.reach_years), `reach of ${d.district_ags}`);
		}
		const balance = (await bench.api('/api/v1/study/balance', {target_year: 2038}, tokens.planner)).balance;
		for (const d of balance.districts) {
			assert.equal(Number(await planner.getAttribute(`#balance tr[data-district="${d.district_ags}"]`, 'data-balance-ha')), d.trend_balance_ha, `balance of ${d.district_ags}`);
		}

		// A figure shows its parcels on the map: the API's parcels behind it.
		const saale = supply.groups.find((g) => g.key.district === '15088');
		await planner.click('#supply-district tr[data-key="district:15088"] .figure-link');
		await until(planner, () => document.getElementById('figure-status')?.dataset.state === 'ready', undefined, 30_000, 'the figure on the map');
		assert.ok((await planner.textContent('#figure-status')).includes(`${int(saale.parcels)} Flächen`), 'the figure line names the count');
		const drawn = await sourceData(planner, 'work');
		assert.equal(drawn.features.length, saale.parcels, 'every parcel of the figure is drawn');
		assert.ok(drawn.features.every((f) => f.properties.district_ags === '15088'), 'only Saalekreis');
		assert.ok(new URL(planner.url()).searchParams.get('fig') === 'district:15088', 'the link holds the figure');
		await shot(planner, '13-study-dashboard');

		// The same figures as of the end of last year, saved as a run, with its printable report.
		const lastYear = `${new Date().getFullYear() - 1}-12-31`;
		await planner.fill('#study-asof', lastYear);
		await planner.locator('#study-asof').dispatchEvent('change');
		await until(planner, (d) => new URL(location.href).searchParams.get('asof') === d && document.getElementById('study')?.dataset.state === 'ready', lastYear, 60_000, 'the dashboard as of last year');
		await settle(planner, 60_000);
		const past = (await bench.api('/api/v1/study/supply', {group_by: 'district', as_of: lastYear}, tokens.planner)).supply;
		for (const g of past.groups) {
			assert.equal(Number(await planner.getAttribute(`#supply-district tr[data-key="district:${g.key.district}"]`, 'data-net-ha')), g.net_ha, `net area of ${g.key.district} as of ${lastYear}`);
		}
		await planner.fill('#run-title', 'Potenzialstudie Region (Test)');
		await planner.click('#run-save');
		await until(planner, () => /^\/study\/run\/\d+$/.test(location.pathname) && document.getElementById('study')?.dataset.state === 'ready', undefined, 90_000, 'the saved run');
		const runId = new URL(planner.url()).pathname.split('/').pop();
		const runDoc = await bench.api(`/api/v1/study/runs/${runId}`, {}, tokens.planner);
		assert.equal(runDoc.title, 'Potenzialstudie Region (Test)');
		assert.equal(runDoc.params.as_of, lastYear);
		assert.ok(await planner.$(`#runs a[data-run="${runId}"]`), 'the run is listed with its link');
		assert.ok(await planner.$('[data-export$="/export.gpkg"]'), 'GeoPackage export offered');
		assert.ok(await planner.$('[data-export$="/tables/supply.csv"]'), 'CSV export offered');
		await shot(planner, '14-study-run');
		const [report] = await Promise.all([planner.waitForEvent('popup', {timeout: 30_000}), planner.click('#open-report')]);
		await report.waitForFunction(() => document.body && document.body.innerText.includes('Potenzialstudie Region (Test)'), null, {timeout: 30_000});
		await report.emulateMedia({media: 'print'});
		await shot(report, '15-study-report', {fullPage: true});
		await report.close();
	});

	test('a site search with a preset ranks as the API does', async () => {
		await planner.evaluate(() => window.__landatlas.go({name: 'search'}));
		await until(planner, () => document.getElementById('ss-preset'), undefined, 30_000, 'the search form');
		await planner.selectOption('#ss-preset', 'logistics');
		await until(planner, () => document.getElementById('ss-preset-info'), undefined, 5000, 'the preset');
		await planner.click('#search-run');
		await until(planner, () => document.getElementById('search-results')?.dataset.state === 'ready', undefined, 60_000, 'the ranking');
		await settle(planner, 60_000);
		const answer = (await bench.api('/api/v1/study/search', {preset: 'logistics', limit: 20}, tokens.planner)).search;
		assert.ok(answer.parcels.items.length > 1, 'the demo data answers the preset');
		const listed = await planner.$$eval('#search-list > li', (els) => els.map((el) => el.dataset.id));
		assert.deepEqual(listed, answer.parcels.items.map((o) => String(o.id)), 'the same ids in the same order');
		const explanations = await planner.$$eval('#search-list > li .explanation', (els) => els.map((el) => el.textContent));
		assert.deepEqual(explanations, answer.parcels.items.map((o) => o.explanation.de), 'each score explained in the API\'s words');
		const markers = await sourceData(planner, 'work-markers');
		const ranks = markers.features.filter((f) => f.properties.kind === 'result').map((f) => f.properties.label);
		assert.deepEqual(ranks, answer.parcels.items.map((o) => o.rank), 'numbered markers on the map');
		if (answer.large_sites?.items.length) {
			assert.equal(await planner.$$eval('#site-list > li', (els) => els.length), answer.large_sites.items.length, 'large sites listed');
			const areas = await sourceData(planner, 'work');
			assert.equal(areas.features.filter((f) => f.properties.kind === 'site').length, answer.large_sites.items.length, 'merged outlines drawn');
			const members = answer.large_sites.items.reduce((n, o) => n + o.member_ids.length, 0);
			assert.equal(areas.features.filter((f) => f.properties.kind === 'member').length, members, 'with their member parcels');
		}
		assert.equal(new URL(planner.url()).searchParams.get('preset'), 'logistics', 'the link holds the preset');
		await shot(planner, '16-site-search');
	});

	test('an upload with a broken parcel shows the report; the fixed file previews, publishes and shows in the history', async () => {
		const [x, y] = await freePoint('15088', 1500);
		const rings = [square(x - 400, y, 100), bowtie(x, y, 100), square(x + 400, y, 100)];
		const broken = await shapefile('broken', rings.map((r, i) => parcelFeature(i + 1, r)));
		const fixed = await shapefile('fixed', [square(x - 400, y, 100), square(x, y, 100), square(x + 400, y, 100)].map((r, i) => parcelFeature(i + 1, r)));

		editor = await open('/upload');
		await signIn(editor, tokens.editor);
		await until(editor, () => document.getElementById('upload-form'), undefined, 20_000, 'the upload form');
		assert.equal(await editor.getAttribute('#account', 'data-district'), '15088');
		assert.deepEqual(await editor.$$eval('#upload-district option', (els) => els.map((el) => el.value)), ['15088'], 'the editor is offered only its district');

		// The loose parts of the Shapefile, dropped together, without its .prj: the browser reads the
		// columns, sees that the file names no CRS and offers Saalekreis' usual one.
		await editor.setInputFiles('#upload-file', broken.filter((f) => !f.endsWith('.prj')));
		await until(editor, () => document.querySelector('select[data-column="GEB_TYP"]'), undefined, 10_000, 'the columns of the file');
		assert.equal(await editor.inputValue('#upload-crs'), 'EPSG:25832', 'the CRS is asked for, with the district\'s usual one');
		assert.match(await editor.textContent('#upload-crs-hint'), /nennt kein Koordinatensystem/);
		assert.ok(await editor.$('#mapping-missing'), 'a required field without a column is named before uploading');
		// The form shows the server's guess (issue 11): the cut name verfuegbar fills availability, as on upload.
		await until(editor, () => document.querySelector('select[data-column="verfuegbar"] option[value=""]')?.textContent === 'automatisch: Verfügbarkeit',
			undefined, 10_000, 'the guess for verfuegbar');
		await editor.selectOption('select[data-column="GEB_TYP"]', 'use_type');
		await editor.selectOption('#upload-publication', 'public');
		await until(editor, () => document.getElementById('mapping-missing') === null, undefined, 10_000, 'every required field to have a column');
		await shot(editor, '17-upload-form');
		await editor.click('#upload-send');
		await until(editor, () => ['invalid', 'ready', 'failed'].includes(document.getElementById('upload-view')?.dataset.status), undefined, 60_000, 'the check');
		await settle(editor);
		assert.equal(await editor.getAttribute('#upload-view', 'data-status'), 'invalid');
		const brokenId = await editor.getAttribute('#upload-view', 'data-upload');
		const brokenDoc = await bench.api(`/api/v1/uploads/${brokenId}`, {}, tokens.editor);
		assert.deepEqual(brokenDoc.report.issues.filter((i) => i.severity === 'error').map((i) => [i.rule, i.feature]), [['geometry.invalid', 2]], 'one error: the bowtie');
		assert.equal(brokenDoc.report.crs.srid, 25832, 'read in the CRS chosen in the form');
		assert.equal(brokenDoc.report.columns.find((c) => c.column === 'verfuegbar')?.field, 'availability', 'the upload reads verfuegbar as the form said');
		assert.equal(Number(await editor.getAttribute('#report-summary', 'data-errors')), brokenDoc.report.errors);
		assert.ok(await editor.$('details[data-rule="geometry.invalid"] li[data-feature="2"]'), 'the problem is listed under its rule');
		assert.equal(await editor.$('#upload-publish[disabled]') !== null, true, 'publishing is not offered');
		const mapping = await bench.api('/api/v1/districts/15088/mapping', {}, tokens.editor);
		assert.equal(mapping.columns?.GEB_TYP, 'use_type', 'the column mapping is remembered for the district');
		assert.equal(mapping.defaults?.publication, 'public');
		await editor.click('details[data-rule="geometry.invalid"] li[data-feature="2"] .locate');
		const selected = await sourceData(editor, 'selection');
		assert.equal(selected.features.length, 1, 'the broken parcel is outlined on the map');
		const center = await editor.evaluate(() => window.__landatlasMap.getCenter());
		const [bx, by] = (await bench.psql(`SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_Point(${x}, ${y}), 25832), 4326) AS p) q`))[0].map(Number);
		await until(editor, () => !window.__landatlasMap.isMoving(), undefined, 10_000, 'the map to stop');
		const after = await editor.evaluate(() => window.__landatlasMap.getCenter());
		assert.ok(Math.abs(after.lng - bx) < 0.01 && Math.abs(after.lat - by) < 0.01, `the map shows the problem (${after.lng},${after.lat} vs ${bx},${by}; was ${center.lng},${center.lat})`);
		await shot(editor, '18-upload-report');

		// The corrected file: the preview shows three new parcels, then one confirmation publishes.
		await editor.click('#upload-fixed');
		await until(editor, () => document.getElementById('upload-form'), undefined, 10_000, 'the form again');
		await editor.setInputFiles('#upload-file', fixed);
		// The form keeps the last file until the new one is read: wait for the new one, then send.
		await until(editor, () => document.querySelector('#dropzone strong')?.textContent === 'fixed.zip'
			&& document.querySelector('select[data-column="GEB_TYP"]')?.value === 'use_type', undefined, 10_000, 'the fixed file with the remembered mapping');
		await editor.click('#upload-send');
		await until(editor, () => ['invalid', 'ready', 'failed'].includes(document.getElementById('upload-view')?.dataset.status), undefined, 60_000, 'the check of the fixed file');
		await settle(editor);
		assert.equal(await editor.getAttribute('#upload-view', 'data-status'), 'ready', await editor.textContent('#upload-view'));
		const uploadId = await editor.getAttribute('#upload-view', 'data-upload');
		assert.equal(await editor.getAttribute('#change-counts', 'data-new'), '3');
		const changes = await sourceData(editor, 'work');
		assert.deepEqual(changes.features.map((f) => f.properties.kind), ['new', 'new', 'new'], 'the new parcels on the map in their colour');
		await shot(editor, '19-upload-preview');
		await editor.click('#upload-publish');
		await until(editor, () => document.getElementById('publish-dialog')?.open, undefined, 5000, 'the confirmation');
		assert.match(await editor.textContent('#publish-text'), /3 Flächen neu/);
		await editor.click('#publish-confirm');
		await until(editor, () => document.getElementById('upload-applied'), undefined, 60_000, 'the publication');
		assert.ok(await editor.$(`#upload-history tr[data-upload="${uploadId}"][data-status="applied"]`), 'the district\'s upload history lists it');
		await shot(editor, '20-upload-published');

		// The map shows the new parcel, and its history names the upload.
		const found = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: "external_id = 'W8-2'", properties: 'id'});
		assert.equal(found.numberMatched, 1, 'the published parcel is public');
		const newId = String(found.features[0].id);
		await editor.goto(`${bench.base}/parcel/${newId}`, {waitUntil: 'domcontentloaded'});
		await until(editor, () => document.getElementById('sheet')?.dataset.state === 'ready' && document.querySelector('#sheet [data-section=history]'), undefined, 20_000, 'the new parcel\'s fact sheet');
		assert.ok(await editor.$('#account'), 'still signed in after a reload of the tab');
		await until(editor, (id) => window.__landatlasMap.getLayer('parcels-fill') && window.__landatlasMap.queryRenderedFeatures({layers: ['parcels-fill']}).some((f) => String(f.properties.id) === id), newId, 30_000, 'the new parcel on the map');
		const link = await editor.$(`#sheet [data-section=history] li[data-upload="${uploadId}"] a[data-upload="${uploadId}"]`);
		assert.ok(link, 'the history names the upload');
		assert.match(await editor.textContent(`#sheet [data-section=history] li[data-upload="${uploadId}"]`), /Saalekreis GIS \(Test\)/, 'and who published it');
		await shot(editor, '21-parcel-history');
	});

	test('an editor cannot publish into another district', async () => {
		const [x, y] = await freePoint('14713', 600);
		const ring = await bench.psql(`SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(${x - 80}, ${y - 80}, ${x + 80}, ${y + 80}, 25832), 4326), 7)`);
		const feature = {...parcelFeature(9, []), geometry: JSON.parse(ring[0][0])};
		feature.properties = {...feature.properties, kennung: 'W8-LEIPZIG', nutzungsart: 'GE'};
		delete feature.properties.GEB_TYP;
		const form = new FormData();
		form.set('district', '14713');
		form.set('mode', 'upsert');
		form.set('file', new Blob([JSON.stringify({type: 'FeatureCollection', features: [feature]})], {type: 'application/geo+json'}), 'leipzig.geojson');
		const created = await bench.send('POST', '/api/v1/uploads', tokens.admin, form);
		assert.equal(created.status, 202, created.text);
		const id = created.json.id;
		for (let i = 0; i < 100; i++) {
			const u = await bench.api(`/api/v1/uploads/${id}`, {}, tokens.admin);
			if (!['received', 'reading', 'checking'].includes(u.status)) {
				assert.equal(u.status, 'ready', JSON.stringify(u.report?.issues));
				break;
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		const refused = await bench.send('POST', '/api/v1/uploads', tokens.editor, (() => {
			const f = new FormData();
			f.set('district', '14713');
			f.set('file', new Blob(['{}']), 'x.geojson');
			return f;
		})());
		assert.equal(refused.status, 403, 'the API refuses an upload into another district');

		await editor.goto(`${bench.base}/upload/${id}`, {waitUntil: 'domcontentloaded'});
		await until(editor, () => document.getElementById('upload-view')?.dataset.status === 'ready', undefined, 30_000, 'the other district\'s upload');
		assert.match(await editor.textContent('#upload-foreign'), /Leipzig/, 'the page says the upload belongs to another district');
		await editor.click('#upload-publish');
		await editor.click('#publish-confirm');
		await until(editor, () => document.getElementById('upload-error'), undefined, 20_000, 'the refusal');
		const message = await editor.textContent('#upload-error');
		assert.match(message, /Saalekreis \(15088\) only, not Leipzig \(14713\)/, `the server's reason is shown: ${message}`);
		assert.equal((await bench.api(`/api/v1/uploads/${id}`, {}, tokens.admin)).status, 'ready', 'nothing was published');
		await shot(editor, '22-editor-refused');
	});

	test('the time slider shows the supply of a past date', async () => {
		const date = '2019-06-30';
		await planner.goto(`${bench.base}/?asof=${date}`, {waitUntil: 'domcontentloaded'});
		await until(planner, () => document.querySelector('.timebar-note[data-state=ready]'), undefined, 60_000, 'the past state');
		await settle(planner, 60_000);
		const then = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', limit: 1, filter: "status = 'offered'", datetime: `${date}T23:59:59.999+02:00`}, tokens.planner);
		const now = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', limit: 1, filter: "status = 'offered'"}, tokens.planner);
		assert.notEqual(then.numberMatched, now.numberMatched, 'the supply then differs from today');
		assert.equal(Number(await planner.getAttribute('#results-count [data-count]', 'data-count')), then.numberMatched, 'the count of that date');
		const past = await sourceData(planner, 'past');
		assert.equal(past.features.length, then.numberMatched, 'the map draws the parcels of that date');
		assert.equal(await planner.evaluate(() => window.__landatlasMap.getLayoutProperty('parcels-fill', 'visibility')), 'none', 'instead of today\'s tiles');
		assert.equal(await planner.inputValue('#asof-date'), date.split('-').reverse().join('.'), 'the date field writes dd.mm.yyyy');
		await shot(planner, '23-time-slider');
		await planner.click('#asof-today');
		await until(planner, () => !new URL(location.href).searchParams.has('asof') && window.__landatlasMap.getLayoutProperty('parcels-fill', 'visibility') === 'visible', undefined, 20_000, 'back to today');
		await settle(planner);
		assert.equal(Number(await planner.getAttribute('#results-count [data-count]', 'data-count')), now.numberMatched, 'today again');
	});

	test('a revoked token signs out with a message', async () => {
		const token = await bench.token('planner', 'Revoked (Test)');
		const p = await open('/');
		await settle(p);
		await signIn(p, token);
		const [[id]] = await bench.psql("SELECT id FROM accounts WHERE label = 'Revoked (Test)'");
		await bench.revoke(id);
		await p.evaluate(() => window.__landatlas.go({name: 'study'}));
		await until(p, () => document.getElementById('signin-dialog')?.open && /gilt nicht mehr/.test(document.getElementById('signin-error')?.textContent ?? ''), undefined, 30_000, 'the sign-in dialog saying why');
		assert.equal(await p.evaluate(() => sessionStorage.getItem('landatlas.session')), null, 'the token is forgotten');
		assert.equal(await p.$('#account'), null, 'signed out');
		await shot(p, '24-revoked');
	});

	test('a campaign: the admin opens it, Saalekreis replies by upload, Nordsachsen confirms all, the coordinator closes it', async () => {
		const berlin = (d) => new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Berlin'}).format(d);
		const admin = await open('/campaigns');
		await signIn(admin, tokens.admin);
		await until(admin, () => document.getElementById('campaign-form'), undefined, 20_000, 'the form to open a campaign');
		await admin.fill('#campaign-name', 'Monitoring Test');
		await admin.fill('#campaign-ref', berlin(new Date()));
		await admin.fill('#campaign-deadline', berlin(new Date(Date.now() + 30 * 86_400_000)));
		await admin.click('#campaign-open');
		await until(admin, () => document.querySelector('#campaign[data-status=open]') && document.getElementById('campaigns').dataset.state === 'ready', undefined, 30_000, 'the open campaign');
		const id = await admin.getAttribute('#campaign', 'data-campaign');
		const opened = await bench.api(`/api/v1/campaigns/${id}`, {}, tokens.admin);
		assert.ok(opened.progress.total.parcels > 0 && opened.progress.total.open === opened.progress.total.parcels, 'at opening every parcel is open');

		// Saalekreis sends its file again, one parcel renamed: that one is changed, the two it carried unchanged are confirmed.
		const rows = await bench.psql("SELECT external_id, ST_AsGeoJSON(geom) FROM parcels WHERE external_id LIKE 'W8-%' AND ended_at IS NULL ORDER BY external_id");
		assert.equal(rows.length, 3, 'the parcels of the earlier upload');
		const again = await shapefile('campaign', rows.map(([ext, g], i) => {
			const f = parcelFeature(i + 1, []);
			return {...f, geometry: JSON.parse(g), properties: {...f.properties, name: i === 0 ? 'Testfläche W8 1 (Kampagne)' : f.properties.name}};
		}));
		await editor.goto(`${bench.base}/upload`, {waitUntil: 'domcontentloaded'});
		await until(editor, () => document.getElementById('upload-form'), undefined, 20_000, 'the upload form');
		await editor.setInputFiles('#upload-file', again);
		await until(editor, () => document.querySelector('select[data-column="GEB_TYP"]')?.value === 'use_type', undefined, 10_000, 'the remembered mapping');
		await editor.click('#upload-send');
		await until(editor, () => ['invalid', 'ready', 'failed'].includes(document.getElementById('upload-view')?.dataset.status), undefined, 60_000, 'the check');
		await settle(editor);
		assert.equal(await editor.getAttribute('#upload-view', 'data-status'), 'ready', await editor.textContent('#upload-view'));
		assert.equal(await editor.getAttribute('#change-counts', 'data-changed'), '1', 'one parcel changed');
		await editor.click('#upload-publish');
		await until(editor, () => document.getElementById('publish-dialog')?.open, undefined, 5000, 'the confirmation');
		await editor.click('#publish-confirm');
		await until(editor, () => document.getElementById('upload-applied'), undefined, 60_000, 'the publication');

		// Nordsachsen's editor confirms all its parcels as current.
		const nordsachsen = await open('/campaigns');
		await signIn(nordsachsen, await bench.token('editor', 'Nordsachsen GIS (Test)', '14730'));
		await until(nordsachsen, () => document.getElementById('campaign-task') && document.getElementById('campaigns').dataset.state === 'ready', undefined, 30_000, 'the district\'s task');
		assert.ok(Number(await nordsachsen.getAttribute('#campaign-task', 'data-open')) > 0, 'parcels to confirm');
		assert.ok(await nordsachsen.$('#campaign-open-parcels li[data-parcel]'), 'the open parcels are listed');
		await shot(nordsachsen, '25-campaign-task');
		await nordsachsen.click('#campaign-confirm-all');
		await until(nordsachsen, () => document.getElementById('campaign-task')?.dataset.open === '0' && document.getElementById('campaigns').dataset.state === 'ready', undefined, 30_000, 'every parcel confirmed');

		// The coordinator sees the progress, as the API counts it, and closes with districts still open.
		await planner.evaluate(() => window.__landatlas.go({name: 'campaigns'}));
		await until(planner, () => document.querySelector('#campaign-progress tr[data-district="14730"]') && document.getElementById('campaigns').dataset.state === 'ready', undefined, 30_000, 'the progress');
		const progress = await bench.api(`/api/v1/campaigns/${id}`, {}, tokens.planner);
		for (const d of progress.progress.districts.filter((x) => x.parcels > 0)) {
			const row = `#campaign-progress tr[data-district="${d.district_ags}"]`;
			assert.deepEqual(await planner.$eval(row, (el) => [el.dataset.confirmed, el.dataset.changed, el.dataset.open].map(Number)), [d.confirmed, d.changed, d.open], `progress of ${d.name}`);
		}
		const saalekreis = progress.progress.districts.find((d) => d.district_ags === '15088');
		assert.ok(saalekreis.changed >= 1 && saalekreis.confirmed >= 2, `Saalekreis: ${JSON.stringify(saalekreis)}`);
		assert.equal(progress.progress.districts.find((d) => d.district_ags === '14730').open, 0, 'Nordsachsen is done');
		const stillOpen = progress.progress.districts.filter((d) => d.open > 0).map((d) => d.name);
		assert.ok(stillOpen.includes('Halle (Saale)'), 'Halle stays open');
		assert.ok(await planner.$('#campaign-reminders-csv'), 'reminders for the open districts');
		await shot(planner, '26-campaign-progress');
		await planner.click('#campaign-close');
		await until(planner, () => document.querySelector('#campaign[data-status=closed] #campaign-official'), undefined, 120_000, 'the official state');
		const runId = await planner.getAttribute('#campaign-official', 'data-run');
		const run = await bench.api(`/api/v1/study/runs/${runId}`, {}, tokens.planner);
		assert.equal(run.official?.campaign_id, Number(id), 'the run is the campaign\'s official state');
		const live = (await bench.api('/api/v1/study/supply', {group_by: 'district', as_of: run.as_of}, tokens.planner)).supply;
		assert.ok(Math.abs(live.total.reserve.net_ha - run.results.supply.total.reserve.net_ha) < 1e-6 && live.total.parcels === run.results.supply.total.parcels,
			`official reserve ${run.results.supply.total.reserve.net_ha} ha equals the study API's at ${run.as_of} (${live.total.reserve.net_ha} ha)`);
		await shot(planner, '27-campaign-closed');

		// A later sale moves the live figures, not the official state.
		await bench.psql("UPDATE parcels SET status = 'sold' WHERE id = (SELECT id FROM parcels WHERE ended_at IS NULL AND status = 'offered' ORDER BY net_area_ha DESC LIMIT 1)");
		const later = await bench.api(`/api/v1/study/runs/${runId}`, {}, tokens.planner);
		assert.equal(later.results.supply.total.reserve.net_ha, run.results.supply.total.reserve.net_ha, 'the official state stays');
		assert.ok(later.data_changed, 'and says the data moved on');
		const [report] = await Promise.all([planner.waitForEvent('popup', {timeout: 30_000}), planner.click('#campaign-report')]);
		await report.waitForFunction(() => document.body && document.body.innerText.includes('Amtlicher Stand zum Stichtag'), null, {timeout: 60_000});
		assert.match(await report.innerText('body'), /Bei Abschluss noch offen: .*Halle \(Saale\)/, 'the report names the districts still open');
		assert.match(new URL(report.url()).pathname, /^\/study\/run\/\d+\/report$/, 'the report has its own address');
		await shot(report, '28-campaign-report', {fullPage: true});
		await report.close();

		// The dashboard compares a year ago with today; the sale is among the changes, and a click shows its parcels.
		await planner.evaluate(() => window.__landatlas.go({name: 'study'}));
		await until(planner, () => document.getElementById('study')?.dataset.state === 'ready' && document.getElementById('monitor-form'), undefined, 90_000, 'the dashboard');
		await planner.click('#monitor-compare');
		await until(planner, () => document.getElementById('compare-table'), undefined, 120_000, 'the comparison');
		const to = await planner.inputValue('#monitor-to');
		const fromDate = await planner.inputValue('#monitor-from');
		const cmp = (await bench.api('/api/v1/study/compare', {from: fromDate, to}, tokens.planner)).compare;
		const reserve = cmp.units[0].indicators.find((i) => i.key === 'reserve_ha');
		assert.equal(Number(await planner.getAttribute('#compare-table tr[data-indicator="reserve_ha"]', 'data-change')), reserve.change, 'the change is the API\'s');
		const sold = cmp.changes.find((c) => c.kind === 'sold');
		assert.ok(sold.parcels >= 1, 'the sale is a change');
		await planner.click('#compare-changes li[data-kind="sold"] button');
		await until(planner, () => document.getElementById('figure-status')?.dataset.state === 'ready', undefined, 60_000, 'the sold parcels on the map');
		assert.match(await planner.textContent('#figure-status'), new RegExp(`${sold.parcels === 1 ? '1 Fläche' : `${int(sold.parcels)} Flächen`}`), 'as many parcels as the comparison names');
		await shot(planner, '29-compare');
	});

	test('no script errors and no requests off the machine', () => {
		for (const p of pages) {
			assert.deepEqual(p.errors, [], 'no script errors');
			assert.deepEqual(p.external, [], 'no request left the machine');
		}
	});
});

