// Browser tests of the demand side (issue 14) against the real server and demo data: an investor
// sends an enquiry from a parcel's fact sheet in German and in English; a planner sees it, runs the
// site search for it, shortlists three parcels from two districts and creates a proposal link; the
// link opened in a fresh browser without a token shows the three parcels and the combined exposé
// and nothing internal (page text and every response); a shortlisted parcel set internal shows as
// "nicht mehr verfügbar"; the enquiry is won; an editor of a third district does not see it.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {after, before, describe, test} from 'node:test';
import {Bench, settle, shot, until} from './harness.mjs';

const bench = new Bench();
let tokens;
const secret = 'GEHEIM-Bemerkung-W14';
const state = {}; // what the steps hand on: parcels, references, the link

async function open(url, opts) {
	const p = await bench.page(opts);
	await p.goto(bench.base + url, {waitUntil: 'domcontentloaded'});
	return p;
}

async function signIn(p, token) {
	await p.click('#signin');
	await p.fill('#signin-token', token);
	await p.click('#signin-dialog button[type=submit]');
	await until(p, () => document.getElementById('account') && !document.getElementById('signin-dialog').open, undefined, 20_000, 'the signed-in account');
}

/** sendEnquiry opens a parcel's fact sheet and sends the form; it returns the reference shown. */
async function sendEnquiry(p, {company, contact, email, minHa}) {
	await p.waitForSelector('#sheet[data-state=ready] #enquiry-open');
	await p.click('#enquiry-open');
	await p.waitForSelector('#enquiry-dialog[open] #enquiry-company');
	await p.fill('#enquiry-company', company);
	await p.fill('#enquiry-contact_name', contact);
	await p.fill('#enquiry-email', email);
	await p.selectOption('#enquiry-sector', 'logistics');
	await p.fill('#enquiry-min_net_ha', String(minHa));
	await p.fill('#enquiry-message', '<script>alert(1)</script> Halle mit <b>Rampe</b>');
	await p.check('#enquiry-consent');
	await p.click('#enquiry-submit');
	await p.waitForSelector('#enquiry-reference');
	return p.getAttribute('#enquiry-reference', 'data-reference');
}

before(async () => {
	await bench.start();
	// Two public parcels on offer in one district, with a remark that must never reach the public.
	const rows = await bench.psql(`
		SELECT id, district_ags FROM parcels WHERE publication = 'public' AND status = 'offered' AND ended_at IS NULL
		  AND district_ags = (SELECT district_ags FROM parcels WHERE publication = 'public' AND status = 'offered' AND ended_at IS NULL
		                      GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
		ORDER BY net_area_ha DESC LIMIT 2`);
	state.asked = rows.map((r) => r[0]);
	state.district = rows[0][1];
	await bench.psql(`UPDATE parcels SET remarks = '${secret}' WHERE ended_at IS NULL`);
	tokens = {planner: await bench.token('planner', 'Regionalplanung (Test W14)')};
}, {timeout: 600_000});

after(async () => {
	await bench.stop();
}, {timeout: 120_000});

describe('demand side', {timeout: 900_000}, () => {
	test('an investor sends an enquiry from a fact sheet, in German and in English', async () => {
		const de = await open(`/parcel/${state.asked[0]}`);
		await settle(de);
		assert.equal((await de.textContent('#enquiry-open')).trim(), 'Anfrage senden');
		assert.ok(await de.$('#legal-footer a[href="/impressum"]'), 'the imprint is linked in the footer');
		assert.ok(await de.$('#legal-footer a[href="/datenschutz"]'), 'the privacy page is linked in the footer');
		state.reference = await sendEnquiry(de, {company: 'Muster Logistik GmbH', contact: 'Erika Muster', email: 'erika@muster.example', minHa: 2});
		assert.match(state.reference, /^LA-\d{4}-\d{5}$/);
		assert.match(await de.textContent('#enquiry-done'), /Vielen Dank für Ihre Anfrage/);
		await shot(de, 'w14-enquiry-sent-de');

		const en = await open(`/parcel/${state.asked[1]}?lang=en`, {locale: 'en-GB'});
		await settle(en);
		assert.equal((await en.textContent('#enquiry-open')).trim(), 'Send enquiry');
		const enRef = await sendEnquiry(en, {company: 'Example Ltd', contact: 'John Example', email: 'john@example.org', minHa: 5});
		state.enReference = enRef;
		assert.match(await en.textContent('#enquiry-done'), /Your reference number: LA-/);
		assert.notEqual(enRef, state.reference);
		await shot(en, 'w14-enquiry-sent-en');
		const stored = await bench.psql(`SELECT lang, districts::text, message FROM enquiries ORDER BY id`);
		assert.deepEqual(stored.map((r) => r[0]), ['de', 'en']);
		assert.deepEqual(stored.map((r) => r[1]), [`{${state.district}}`, `{${state.district}}`], 'routed to the district of the parcel');
		assert.match(stored[0][2], /^<script>/, 'the text is kept as typed');
		await de.context().close();
		await en.context().close();
	});

	test('a planner sees it, searches for it, shortlists three parcels from two districts and creates the link', async () => {
		const p = await open('/enquiries');
		state.plannerPage = p;
		await signIn(p, tokens.planner);
		const row = `#enq-list a[data-reference="${state.reference}"]`;
		await p.waitForSelector(row);
		await p.click(row);
		await p.waitForSelector(`#enq-reference[data-reference="${state.reference}"]`);
		assert.match(await p.textContent('#enq-personal'), /Erika Muster/);
		assert.match(await p.textContent('#enq-personal'), /<script>alert\(1\)<\/script>/, 'the investor\'s text shows as text');
		assert.equal(await p.$('#enq-personal script, #enq-personal b'), null, 'no HTML from the input');

		await p.click('#enq-search');
		await p.waitForSelector('#enq-search-results li[data-kind=parcel]');
		// Three public parcels of the search's first page, from two districts.
		const shown = await p.$$eval('#enq-search-results li[data-kind=parcel]', (lis) => lis.map((li) => li.dataset.id));
		const info = await bench.psql(`SELECT id, district_ags FROM parcels WHERE publication = 'public' AND id IN (${shown.join(',')})`);
		const byDistrict = new Map();
		for (const [id, d] of info) byDistrict.set(d, [...(byDistrict.get(d) ?? []), id]);
		const [first, second] = [...byDistrict.entries()].sort((a, b) => b[1].length - a[1].length);
		assert.ok(first && second && first[1].length >= 2, `the search shows public parcels of two districts: ${JSON.stringify([...byDistrict])}`);
		state.shortlist = [first[1][0], second[1][0], first[1][1]];
		state.shortlistDistricts = [first[0], second[0]];
		for (const id of state.shortlist) {
			await p.click(`#enq-search-results li[data-kind=parcel][data-id="${id}"] .shortlist-add`);
			await p.waitForSelector(`#enq-shortlist li[data-item="${id}"]`);
		}
		await p.fill(`#enq-shortlist li[data-item="${state.shortlist[0]}"] .shortlist-note`, 'Direkt an der Autobahn');
		await p.press(`#enq-shortlist li[data-item="${state.shortlist[0]}"] .shortlist-note`, 'Tab');
		await until(p, (id) => [...document.querySelectorAll('#enq-timeline li')].filter((li) => li.dataset.kind === 'shortlist.changed').length === 1, undefined, 20_000, 'the note saved');
		await p.click('#enq-proposal-create');
		await p.waitForSelector('#enq-proposal-url');
		state.link = await p.inputValue('#enq-proposal-url');
		assert.match(state.link, /\/angebot\/p[\w-]{40,}$/);
		const hashes = await bench.psql(`SELECT encode(token_hash, 'hex') FROM proposals`);
		assert.equal(hashes.length, 1);
		assert.ok(!hashes[0][0].includes(state.link.split('/').pop()), 'only a hash of the token is stored');
		await shot(p, 'w14-enquiry-planner');
	});

	test('the link opens without a token: three parcels, the exposé, nothing internal', async () => {
		const p = await bench.page({viewport: {width: 390, height: 844}});
		await p.goto(state.link, {waitUntil: 'load'});
		const items = await p.$$eval('#proposal-items > li', (lis) => lis.map((li) => li.dataset.available));
		assert.deepEqual(items, ['true', 'true', 'true']);
		const names = await bench.psql(`SELECT name FROM parcels WHERE id IN (${state.shortlist.join(',')})`);
		const text = await p.textContent('body');
		for (const [name] of names) assert.ok(text.includes(name), `the proposal names ${name}`);
		assert.ok(text.includes('Direkt an der Autobahn'), 'the planner\'s note is shown');
		assert.ok(await p.$('#proposal-map path.item'), 'the map outlines the parcels');
		assert.ok(await p.$('#region-contact'), 'the region\'s contact');
		assert.equal(await p.getAttribute('meta[name=robots]', 'content'), 'noindex, nofollow, noarchive');
		await shot(p, 'w14-proposal-phone', {fullPage: true});
		await p.click('#expose-link');
		await p.waitForSelector('#print');
		const expose = await p.textContent('body');
		for (const [name] of names) assert.ok(expose.includes(name), `the exposé holds ${name}`);
		assert.equal(await p.$$eval('#proposal-items dl', (d) => d.length), 3, 'each parcel\'s fact sheet');
		await shot(p, 'w14-proposal-expose', {fullPage: true});
		const pageText = text + expose;
		for (const never of [secret, 'Eigentum', 'Veröffentlichung', 'Bemerkungen', 'intern', 'Quelle']) {
			assert.ok(!pageText.includes(never), `the proposal shows "${never}"`);
		}
		for (const {url, body} of p.bodies) {
			const s = body.toString();
			for (const never of [secret, '"remarks"', '"ownership"', '"owner_willing"', '"publication"']) {
				assert.ok(!s.includes(never), `${url} carries ${never}`);
			}
		}
		assert.deepEqual(p.external, [], 'no request leaves the server');
		state.investor = p;
	});

	test('a shortlisted parcel set internal shows as no longer available; the enquiry is won', async () => {
		await bench.psql(`UPDATE parcels SET publication = 'internal' WHERE id = ${state.shortlist[1]}`);
		const p = state.investor;
		await p.goto(state.link, {waitUntil: 'load'});
		const items = await p.$$eval('#proposal-items > li', (lis) => lis.map((li) => li.dataset.available));
		assert.deepEqual(items, ['true', 'false', 'true']);
		assert.match(await p.textContent('#proposal-items > li[data-available=false]'), /nicht mehr verfügbar/);
		const hidden = (await bench.psql(`SELECT name FROM parcels WHERE id = ${state.shortlist[1]}`))[0][0];
		assert.ok(!(await p.textContent('body')).includes(hidden), 'nothing of the hidden parcel is shown');
		await shot(p, 'w14-proposal-unavailable', {fullPage: true});

		const planner = state.plannerPage;
		await planner.reload({waitUntil: 'domcontentloaded'});
		await planner.waitForSelector(`#enq-reference[data-reference="${state.reference}"]`);
		assert.equal(await planner.getAttribute('#enq-proposals li[data-proposal]', 'data-views'), '2', 'the views are shown on the enquiry');
		assert.equal(await planner.getAttribute(`#enq-shortlist li[data-item="${state.shortlist[1]}"]`, 'data-public'), 'false');
		await planner.selectOption('#enq-status-select', 'won');
		await planner.click('#enq-status-save');
		await planner.waitForSelector('#enq-status[data-status=won]');
		assert.match(await planner.textContent('#enq-status'), /gewonnen/);
		await planner.click('[data-tab=messages]');
		await planner.waitForSelector('#enq-messages li[data-kind=proposal_viewed]');
		assert.ok(await planner.$('#enq-messages li[data-kind=enquiry_new][data-sent=false]'), 'without SMTP the messages are kept in the list');
		await shot(planner, 'w14-enquiry-messages');

		// The study dashboard shows the demand from enquiries beside the trend forecast, where the
		// planner chooses it as the balance's demand input (the enquiry of today lies after the
		// take-up window of full years, so the section says none was recorded in it yet).
		await planner.click('[data-nav=study]');
		await planner.waitForSelector('#study-demand');
		await planner.selectOption('#study-demand', 'enquiries');
		await planner.waitForSelector('#enquiry-demand [data-enquiry-demand-ha]', {timeout: 60_000});
		assert.match(new URL(planner.url()).search, /demand=enquiries/);
		assert.match(await planner.textContent('#enquiry-demand'), /Trendprognose der Studie/);
		await planner.locator('#enquiry-demand').scrollIntoViewIfNeeded();
		await shot(planner, 'w14-study-enquiry-demand');
		await planner.click('#enquiry-demand-parcels');
		await planner.waitForSelector('#cql-chip');
		await settle(planner);
		const listed = await planner.$$eval('#results-root li[data-id]', (lis) => lis.map((li) => li.dataset.id).sort());
		assert.deepEqual(listed, [...state.asked].sort(), 'the parcels asked about open on the map');
	});

	test('an editor of a third district does not see the enquiry', async () => {
		const third = ['14713', '14729', '14730', '15002', '15082', '15084', '15087', '15088', '16077']
			.find((d) => d !== state.district && !state.shortlistDistricts.includes(d));
		const token = await bench.token('editor', 'Dritter Kreis (Test W14)', third);
		const p = await open('/enquiries');
		await signIn(p, token);
		await p.waitForSelector('#enq-empty, #enq-list');
		assert.equal(await p.$(`[data-reference="${state.reference}"]`), null);
		const id = (await bench.psql(`SELECT id FROM enquiries WHERE reference = '${state.reference}'`))[0][0];
		const res = await bench.send('GET', `/api/v1/enquiries/${id}`, token);
		assert.equal(res.status, 404);
		const byDistrict = await bench.token('editor', 'Gefragter Kreis (Test W14)', state.district);
		const own = await bench.send('GET', `/api/v1/enquiries/${id}`, byDistrict);
		assert.equal(own.status, 200, 'the editor of the routed district does');
	});

	test('an admin exports and erases one person\'s data on request', async () => {
		const admin = await bench.token('admin', 'Datenschutz (Test W14)');
		const p = await open('/enquiries', {acceptDownloads: true});
		await signIn(p, admin);
		await p.click('[data-tab=privacy]');
		await p.waitForSelector('#enq-privacy');
		await p.fill('#privacy-email', 'john@example.org');
		const [download] = await Promise.all([p.waitForEvent('download'), p.click('#privacy-export')]);
		const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
		assert.equal(exported.enquiries.length, 1, 'the English enquiry of John Example');
		assert.equal(exported.enquiries[0].personal.email, 'john@example.org', 'with the personal data');
		assert.equal(await p.getAttribute('#privacy-result [data-found]', 'data-found'), '1');
		await p.click('#privacy-erase');
		await until(p, () => /bestätigen/.test(document.getElementById('privacy-result').textContent), undefined, 10_000, 'the request to confirm first');
		await p.check('#privacy-sure');
		await p.click('#privacy-erase');
		await p.waitForSelector('#privacy-result [data-erased="1"]');
		const after = await bench.api('/api/v1/privacy/person', {email: 'john@example.org'}, admin);
		assert.equal(after.enquiries.length, 0, 'nothing is found under the address any more');
		const [[company, min]] = await bench.psql(`SELECT coalesce(company, ''), min_net_ha FROM enquiries WHERE reference = '${state.enReference}'`);
		assert.equal(company, '', 'the company is erased');
		assert.equal(Number(min), 5, 'the requirements stay for the statistics');
		await shot(p, 'w14-privacy-erased');
	});
});
