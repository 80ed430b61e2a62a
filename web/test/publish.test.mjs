// Browser test of safe publishing (issue 12), the steps of the point 1 as a Saalekreis
// editor takes them: a replace that would end the district's parcels is checked and cancelled; the
// next file does not start in replace; chosen on purpose, publishing it needs the danger
// confirmation with the typed number; "Rückgängig machen" in the upload history brings the district
// back, row for row.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Bench, settle, shot, until} from './harness.mjs';

const bench = new Bench();
const pages = [];
const tmp = mkdtempSync(join(tmpdir(), 'landatlas-w12-'));
let editorToken;

/**
 * districtRows is every parcel row of a district: each column as JSON, the geometry as WKB. The
 * columns naming who made a state and since when are left out: a revert is a new state, made by
 * whoever reverted it, now (the history records it so).
 */
async function districtRows(ags) {
	const rows = await bench.psql(`
		SELECT id, (to_jsonb(p) - '{valid_from,changed_by,upload_id,geom}'::text[])::text, encode(ST_AsBinary(geom), 'hex')
		FROM parcels p WHERE district_ags = '${ags}' ORDER BY id`);
	return new Map(rows.map(([id, cols, wkb]) => [id, `${cols} ${wkb}`]));
}

/** parcelsFile writes a GeoJSON file of squares of 160 m in Saalekreis, with its column names. */
async function parcelsFile(name, prefix, x, y, n) {
	const features = [];
	for (let i = 0; i < n; i++) {
		const [[g]] = await bench.psql(`SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(${x + 300 * i - 80}, ${y - 80}, ${x + 300 * i + 80}, ${y + 80}, 25832), 4326), 7)`);
		features.push({type: 'Feature', geometry: JSON.parse(g), properties: {
			kennung: `${prefix}-${i + 1}`, name: `Testfläche ${prefix} ${i + 1}`, nutzungsart: 'GE', planungsrecht: 'rechtskräftig',
			verfuegbarkeit: 'sofort', status: 'angeboten', potenzialart: 'Baulücke', oeffentlich: 'ja'}});
	}
	const path = join(tmp, name);
	writeFileSync(path, JSON.stringify({type: 'FeatureCollection', features}));
	return path;
}

before(async () => {
	await bench.start();
	editorToken = await bench.token('editor', 'Saalekreis GIS (Test)', '15088');
}, {timeout: 600_000});

after(async () => {
	await bench.stop();
	rmSync(tmp, {recursive: true, force: true});
}, {timeout: 120_000});

describe('safe publishing', {timeout: 600_000}, () => {
	test('replace is chosen per file, many endings need the typed number, and undo restores the district', async () => {
		const [[x, y]] = (await bench.psql(`
			SELECT ST_X(x.p), ST_Y(x.p) FROM municipalities m CROSS JOIN LATERAL (SELECT ST_PointOnSurface(m.geom) AS p) x
			WHERE m.district_ags = '15088' AND NOT EXISTS (SELECT 1 FROM parcels q WHERE ST_DWithin(q.geom, x.p, 1500))
			  AND ST_Within(ST_Buffer(x.p, 1500), (SELECT geom FROM districts WHERE ags = '15088'))
			ORDER BY m.ags LIMIT 1`)).map((r) => r.map(Number));
		const first = await parcelsFile('erste.geojson', 'W12A', x - 600, y, 3);
		const second = await parcelsFile('zweite.geojson', 'W12B', x - 600, y + 400, 3);
		const beforeRows = await districtRows('15088');
		const [[current]] = await bench.psql("SELECT count(*) FROM parcels WHERE district_ags = '15088' AND ended_at IS NULL");
		assert.ok(Number(current) > 10, `Saalekreis has more than 10 current parcels (${current})`);

		const p = await bench.page();
		pages.push(p);
		await p.goto(`${bench.base}/upload`, {waitUntil: 'domcontentloaded'});
		await p.click('#signin');
		await p.fill('#signin-token', editorToken);
		await p.click('#signin-dialog button[type=submit]');
		await until(p, () => document.getElementById('upload-form'), undefined, 20_000, 'the upload form');

		// The first file, as the full data set: the preview says every current parcel would end.
		await p.setInputFiles('#upload-file', first);
		await until(p, () => document.getElementById('dropzone')?.textContent.includes('erste.geojson'), undefined, 10_000, 'the chosen file');
		assert.equal(await p.isChecked('input[name=mode][value=upsert]'), true, 'a new file starts as "only these parcels"');
		await p.check('input[name=mode][value=replace]');
		await p.click('#upload-send');
		await until(p, () => document.getElementById('upload-view')?.dataset.status === 'ready', undefined, 60_000, 'the check of the first file');
		await settle(p);
		assert.equal(await p.getAttribute('#change-counts', 'data-ended'), current, 'every current parcel would end');
		await p.click('#upload-publish');
		await until(p, () => document.getElementById('danger-dialog')?.open, undefined, 5000, 'the danger confirmation');
		assert.match(await p.textContent('#danger-title'), new RegExp(`${Number(current).toLocaleString('de-DE')} Flächen werden beendet`));
		assert.ok((await p.$$('#danger-examples li[data-external-id]')).length > 0, 'examples of the parcels it ends');
		assert.equal(await p.isDisabled('#danger-confirm'), true, 'nothing to click before the number is typed');
		await p.fill('#danger-count', String(Number(current) - 1));
		assert.equal(await p.isDisabled('#danger-confirm'), true, 'a wrong number does not unlock it');
		await shot(p, '30-danger-confirmation');
		await p.click('#danger-cancel');
		assert.equal((await bench.api(`/api/v1/uploads/${await p.getAttribute('#upload-view', 'data-upload')}`, {}, editorToken)).status, 'ready', 'nothing was published');

		// Another file: replace is not preselected.
		await p.click('#upload-new');
		await until(p, () => document.getElementById('upload-form'), undefined, 10_000, 'the form for the next file');
		await p.setInputFiles('#upload-file', second);
		await until(p, () => document.getElementById('dropzone')?.textContent.includes('zweite.geojson'), undefined, 10_000, 'the second file');
		assert.equal(await p.isChecked('input[name=mode][value=replace]'), false, 'replace is not preselected for the second file');
		assert.equal(await p.isChecked('input[name=mode][value=upsert]'), true);

		// Chosen on purpose, the replace needs the typed number; the server checks it too.
		await p.check('input[name=mode][value=replace]');
		await p.click('#upload-send');
		await until(p, () => document.getElementById('upload-view')?.dataset.status === 'ready', undefined, 60_000, 'the check of the second file');
		await settle(p);
		const uploadId = await p.getAttribute('#upload-view', 'data-upload');
		const refused = await bench.send('POST', `/api/v1/uploads/${uploadId}/apply`, editorToken);
		assert.equal(refused.status, 409, 'the API refuses the apply without confirm_ended');
		assert.match(refused.json.detail, new RegExp(`confirm_ended=${current}`));
		await p.click('#upload-publish');
		await until(p, () => document.getElementById('danger-dialog')?.open, undefined, 5000, 'the danger confirmation');
		await p.fill('#danger-count', current);
		await p.click('#danger-confirm');
		await until(p, () => document.getElementById('upload-applied'), undefined, 60_000, 'the publication');
		const [[left]] = await bench.psql("SELECT count(*) FROM parcels WHERE district_ags = '15088' AND ended_at IS NULL");
		assert.equal(left, '3', 'the district holds only the file\'s parcels');
		await until(p, (id) => document.querySelector(`#upload-history tr[data-upload="${id}"] [data-revert]`), uploadId, 20_000, 'the undo action in the history');
		assert.equal(await p.getAttribute(`#upload-history tr[data-upload="${uploadId}"] [data-counts]`, 'data-counts'), `3/0/${current}`, 'the history counts new / changed / ended');
		await shot(p, '31-published-replace');

		// Undo, with a preview of what it changes.
		await p.click(`#upload-history tr[data-upload="${uploadId}"] [data-revert]`);
		await until(p, () => document.getElementById('revert-text'), undefined, 20_000, 'the preview of the undo');
		assert.equal(await p.getAttribute('#revert-text', 'data-new'), current, 'every ended parcel is re-opened');
		assert.equal(await p.getAttribute('#revert-text', 'data-ended'), '3', 'the file\'s parcels are ended');
		await shot(p, '32-revert-preview');
		await p.click('#revert-confirm');
		await until(p, () => /rückgängig gemacht/.test(document.getElementById('upload-view')?.textContent ?? ''), undefined, 60_000, 'the undo');
		await settle(p);
		await shot(p, '33-reverted');

		const afterRows = await districtRows('15088');
		for (const [id, row] of beforeRows) assert.equal(afterRows.get(id), row, `parcel ${id} is as it was before the upload`);
		const added = [...afterRows.keys()].filter((id) => !beforeRows.has(id));
		assert.equal(added.length, 3, 'the upload\'s own parcels stay as ended records');
		const [[open]] = await bench.psql(`SELECT count(*) FROM parcels WHERE id IN (${added.join(',')}) AND ended_at IS NULL`);
		assert.equal(open, '0', 'and are ended');
		const [[revertId, by]] = await bench.psql(`SELECT id, changed_by FROM uploads WHERE reverts = ${uploadId}`);
		const [[restoredId]] = await bench.psql(`SELECT min(id) FROM parcels WHERE upload_id = ${revertId} AND ended_at IS NULL`);
		assert.ok(beforeRows.has(restoredId), 'a parcel of before the upload carries the revert');
		const history = await bench.api(`/api/v1/parcels/${restoredId}/history`, {}, editorToken);
		const last = history.versions.at(-1);
		assert.equal(String(last.upload_id), revertId, 'the history records the revert');
		assert.equal(last.changed_by, by);
		assert.equal(by, 'Saalekreis GIS (Test)');
	});

	test('an editor confirms parcels as current, the least recently confirmed listed first', async () => {
		const p = pages[0];
		await p.click('#upload-new');
		await until(p, () => document.querySelector('#confirm-list tr[data-parcel]'), undefined, 20_000, 'the list of parcels to confirm');
		const dates = await p.$$eval('#confirm-list tr[data-parcel]', (els) => els.map((el) => el.dataset.lastConfirmed));
		assert.deepEqual(dates, [...dates].sort((a, b) => (a || '0000').localeCompare(b || '0000')), 'the least recently confirmed first');
		const id = await p.getAttribute('#confirm-list tr[data-parcel]', 'data-parcel');
		const [[beforeRow]] = await bench.psql(`SELECT (to_jsonb(p) - '{valid_from,changed_by,upload_id,last_confirmed}'::text[])::text FROM parcels p WHERE id = ${id}`);
		await p.check(`#confirm-list input[data-confirm="${id}"]`);
		await p.click('#confirm-selected');
		await until(p, () => document.getElementById('confirm-done'), undefined, 20_000, 'the confirmation');
		assert.match(await p.textContent('#confirm-done'), /1 Flächen als aktuell bestätigt/);
		const [[afterRow, confirmed]] = await bench.psql(`SELECT (to_jsonb(p) - '{valid_from,changed_by,upload_id,last_confirmed}'::text[])::text, last_confirmed = current_date FROM parcels p WHERE id = ${id}`);
		assert.equal(afterRow, beforeRow, 'nothing but last_confirmed changed');
		assert.equal(confirmed, 't', 'confirmed today');
		await shot(p, '34-confirm-current');
	});

	test('the district\'s contact stands behind every parcel without one', async () => {
		const p = pages[0];
		await until(p, () => document.getElementById('contact-form'), undefined, 20_000, 'the contact form');
		await p.fill('#contact-email', 'keine Adresse');
		await p.click('#contact-save');
		await until(p, () => document.getElementById('contact-email-error'), undefined, 10_000, 'the field problem');
		await p.fill('#contact-office', 'Amt für Wirtschaftsförderung');
		await p.fill('#contact-name', 'Anna Beispiel');
		await p.fill('#contact-email', 'wirtschaft@saalekreis.example');
		await p.fill('#contact-phone', '+49 3461 40-1234');
		await p.fill('#contact-web', 'https://www.saalekreis.example/wirtschaft');
		await p.click('#contact-save');
		await until(p, () => document.getElementById('contact-saved'), undefined, 10_000, 'the saved contact');
		assert.equal((await bench.api('/api/v1/districts/15088/contact')).email, 'wirtschaft@saalekreis.example', 'the public reads it');

		let [[id] = []] = await bench.psql(`SELECT min(id) FROM parcels WHERE district_ags = '15088' AND ended_at IS NULL AND publication = 'public'
			AND contact_name IS NULL AND contact_email IS NULL AND contact_phone IS NULL`);
		if (!id) {
			[[id]] = await bench.psql(`UPDATE parcels SET contact_name = NULL, contact_email = NULL, contact_phone = NULL
				WHERE id = (SELECT min(id) FROM parcels WHERE district_ags = '15088' AND ended_at IS NULL AND publication = 'public') RETURNING id`);
		}
		const investor = await bench.page();
		pages.push(investor);
		await investor.goto(`${bench.base}/parcel/${id}`, {waitUntil: 'domcontentloaded'});
		await until(investor, () => document.getElementById('sheet')?.dataset.state === 'ready', undefined, 20_000, 'the fact sheet');
		assert.ok(await investor.$('#sheet [data-contact=district]'), 'the fact sheet says the district is the contact');
		assert.equal((await investor.textContent('#sheet [data-field=contact_email]')).trim(), 'wirtschaft@saalekreis.example');
		assert.equal((await investor.textContent('#sheet [data-field=contact_office]')).trim(), 'Amt für Wirtschaftsförderung');
		await shot(investor, '35-factsheet-district-contact');
		await investor.goto(`${bench.base}/parcel/${id}/print`, {waitUntil: 'domcontentloaded'});
		await until(investor, () => document.querySelector('[data-field=contact_email]'), undefined, 20_000, 'the exposé');
		assert.equal((await investor.textContent('[data-field=contact_email]')).trim(), 'wirtschaft@saalekreis.example', 'the exposé names it too');
	});

	test('the mapping gives a missing field a default and maps the district\'s own values, saved for the district', async () => {
		const p = pages[0];
		await p.goto(`${bench.base}/upload`, {waitUntil: 'domcontentloaded'});
		await until(p, () => document.getElementById('upload-form'), undefined, 20_000, 'the upload form');
		const [[x, y]] = (await bench.psql(`
			SELECT ST_X(x.p), ST_Y(x.p) FROM municipalities m CROSS JOIN LATERAL (SELECT ST_PointOnSurface(m.geom) AS p) x
			WHERE m.district_ags = '15088' AND NOT EXISTS (SELECT 1 FROM parcels q WHERE ST_DWithin(q.geom, x.p, 800))
			  AND ST_Within(ST_Buffer(x.p, 800), (SELECT geom FROM districts WHERE ags = '15088'))
			ORDER BY m.ags DESC LIMIT 1`)).map((r) => r.map(Number));
		const path = await parcelsFile('ohne-potenzial.geojson', 'W12M', x, y, 1);
		const doc = JSON.parse(readFileSync(path, 'utf8'));
		for (const f of doc.features) {
			delete f.properties.potenzialart;
			f.properties.nutzungsart = 'Industrie';
		}
		writeFileSync(path, JSON.stringify(doc));
		await p.setInputFiles('#upload-file', path);
		await until(p, () => /Potenzialart/.test(document.getElementById('mapping-missing')?.textContent ?? ''), undefined, 10_000, 'the missing field named');
		await p.selectOption('#default-potential_kind', 'brownfield');
		assert.equal(await p.$('#mapping-missing'), null, 'the default covers the missing field');
		await p.selectOption('#mapping-values select[data-field="use_type"][data-value="Industrie"]', 'GI');
		await shot(p, '36-mapping-defaults-values');
		await p.click('#upload-send');
		await until(p, () => ['ready', 'invalid', 'failed'].includes(document.getElementById('upload-view')?.dataset.status), undefined, 60_000, 'the check');
		await settle(p);
		assert.equal(await p.getAttribute('#upload-view', 'data-status'), 'ready', await p.textContent('#upload-view'));
		const mapping = await bench.api('/api/v1/districts/15088/mapping', {}, editorToken);
		assert.equal(mapping.defaults?.potential_kind, 'brownfield', 'the default is saved for the district');
		assert.equal(mapping.values?.use_type?.Industrie, 'GI', 'the value mapping is saved for the district');
		await p.click('#upload-publish');
		await until(p, () => document.getElementById('publish-dialog')?.open, undefined, 5000, 'the confirmation');
		await p.click('#publish-confirm');
		await until(p, () => document.getElementById('upload-applied'), undefined, 60_000, 'the publication');
		const [[use, kind]] = await bench.psql("SELECT use_type, potential_kind FROM parcels WHERE external_id = 'W12M-1'");
		assert.deepEqual([use, kind], ['GI', 'brownfield'], 'published with the mapped value and the default');
	});

	test('an editor draws a new parcel, publishes it, edits it, ends it and undoes the ending', async () => {
		const p = pages[0];
		const [[x, y]] = (await bench.psql(`
			SELECT ST_X(x.p), ST_Y(x.p) FROM municipalities m CROSS JOIN LATERAL (SELECT ST_PointOnSurface(m.geom) AS p) x
			WHERE m.district_ags = '15088' AND NOT EXISTS (SELECT 1 FROM parcels q WHERE ST_DWithin(q.geom, x.p, 800))
			  AND ST_Within(ST_Buffer(x.p, 800), (SELECT geom FROM districts WHERE ags = '15088'))
			ORDER BY m.ags LIMIT 1 OFFSET 1`)).map((r) => r.map(Number));
		const corners = (await bench.psql(`SELECT ST_X(q), ST_Y(q) FROM (SELECT (ST_DumpPoints(ST_Transform(ST_MakeEnvelope(${x - 100}, ${y - 100}, ${x + 100}, ${y + 100}, 25832), 4326))).geom AS q) d`))
			.map((r) => r.map(Number)).slice(0, 4);
		const [[lng, lat]] = (await bench.psql(`SELECT ST_X(q), ST_Y(q) FROM (SELECT ST_Transform(ST_SetSRID(ST_Point(${x}, ${y}), 25832), 4326) q) d`)).map((r) => r.map(Number));
		await p.goto(`${bench.base}/edit?map=16/${lat}/${lng}`, {waitUntil: 'domcontentloaded'});
		await until(p, () => document.getElementById('edit-form') && window.__landatlasDraw?.getMode() === 'polygon', undefined, 30_000, 'the drawing tool');
		await until(p, () => !window.__landatlasMap.isMoving(), undefined, 10_000, 'the map to stop');
		const box = await p.locator('#map canvas').boundingBox();
		const pixels = await p.evaluate((pts) => pts.map(([a, b]) => window.__landatlasMap.project([a, b])).map((q) => [q.x, q.y]), corners);
		for (const [px, py] of [...pixels, pixels[0]]) {
			await p.mouse.move(box.x + px, box.y + py);
			await p.mouse.click(box.x + px, box.y + py);
		}
		await until(p, () => /gezeichnet/.test(document.getElementById('edit-outline')?.textContent ?? ''), undefined, 10_000, 'the drawn outline');
		await p.fill('#edit-external_id', 'W12E-1');
		await p.fill('#edit-name', 'Gezeichnete Testfläche');
		await p.selectOption('#edit-use_type', 'GE');
		await p.selectOption('#edit-planning_status', 'in_force');
		await p.selectOption('#edit-availability', 'now');
		await p.selectOption('#edit-status', 'offered');
		await p.selectOption('#edit-potential_kind', 'infill_gap');
		await p.selectOption('#edit-publication', 'public');
		await shot(p, '37-draw-new-parcel');
		await p.click('#edit-check');
		await until(p, () => document.getElementById('upload-view')?.dataset.status === 'ready', undefined, 60_000, 'the check of the drawn parcel');
		assert.equal(await p.getAttribute('#change-counts', 'data-new'), '1', 'the preview shows one new parcel');
		await p.click('#upload-publish');
		await until(p, () => document.getElementById('publish-dialog')?.open, undefined, 5000, 'the confirmation');
		await p.click('#publish-confirm');
		await until(p, () => document.getElementById('upload-applied'), undefined, 60_000, 'the publication');
		const found = await bench.api('/ogcapi/collections/parcels/items', {f: 'json', filter: "external_id = 'W12E-1'", properties: 'id,gross_area_ha'});
		assert.equal(found.numberMatched, 1, 'the drawn parcel is on the public map');
		const id = String(found.features[0].id);
		assert.ok(Math.abs(found.features[0].properties.gross_area_ha - 4) < 0.2, `about 4 ha as drawn (${found.features[0].properties.gross_area_ha})`);

		// Edit it from its fact sheet.
		await p.goto(`${bench.base}/parcel/${id}`, {waitUntil: 'domcontentloaded'});
		await until(p, () => document.getElementById('sheet')?.dataset.state === 'ready' && document.getElementById('sheet-edit'), undefined, 20_000, 'the fact sheet with its edit button');
		await p.click('#sheet-edit');
		await until(p, () => document.getElementById('edit-name'), undefined, 20_000, 'the form of the parcel');
		assert.equal(await p.inputValue('#edit-name'), 'Gezeichnete Testfläche');
		await p.fill('#edit-name', 'Umbenannte Testfläche');
		await p.click('#edit-check');
		await until(p, () => document.getElementById('upload-view')?.dataset.status === 'ready', undefined, 60_000, 'the check of the edit');
		assert.equal(await p.getAttribute('#change-counts', 'data-changed'), '1');
		assert.ok(await p.$('#upload-preview li[data-field="name"]'), 'the preview shows the changed name');
		await p.click('#upload-publish');
		await until(p, () => document.getElementById('publish-dialog')?.open, undefined, 5000, 'the confirmation');
		await p.click('#publish-confirm');
		await until(p, () => document.getElementById('upload-applied'), undefined, 60_000, 'the published edit');
		assert.deepEqual((await bench.psql(`SELECT name FROM parcels WHERE id = ${id}`))[0], ['Umbenannte Testfläche']);

		// End it as sold, then undo the ending.
		await p.goto(`${bench.base}/edit/${id}`, {waitUntil: 'domcontentloaded'});
		await until(p, () => document.getElementById('end-parcel'), undefined, 20_000, 'the end box');
		await p.selectOption('#end-reason', 'sold');
		await p.click('#end-parcel');
		await until(p, () => document.getElementById('end-dialog')?.open, undefined, 5000, 'the end confirmation');
		await p.click('#end-confirm');
		await until(p, () => document.getElementById('upload-applied'), undefined, 30_000, 'the ending');
		assert.deepEqual((await bench.psql(`SELECT status, ended_at IS NOT NULL FROM parcels WHERE id = ${id}`))[0], ['sold', 't'], 'ended as sold');
		await p.click('#upload-revert');
		await until(p, () => document.getElementById('revert-confirm') && !document.getElementById('revert-confirm').disabled, undefined, 20_000, 'the undo preview');
		await p.click('#revert-confirm');
		await until(p, () => /rückgängig gemacht/.test(document.getElementById('upload-view')?.textContent ?? ''), undefined, 30_000, 'the undone ending');
		assert.deepEqual((await bench.psql(`SELECT status, ended_at IS NULL, name FROM parcels WHERE id = ${id}`))[0], ['offered', 't', 'Umbenannte Testfläche'], 'current again as before the ending');
		await shot(p, '38-ending-undone');
	});

	test('no script errors and no requests off the machine', () => {
		for (const p of pages) {
			assert.deepEqual(p.errors, [], 'no script errors');
			assert.deepEqual(p.external, [], 'no request left the machine');
		}
	});
});
