import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseLocation, toURL} from '../../src/state.ts';

const at = (url: string) => {
	const u = new URL(url, 'http://x');
	return parseLocation({pathname: u.pathname, search: u.search}, 'de');
};

test('the map view, filters, "in view" and the language survive a link', () => {
	const s = at('/?map=10.00/51.35/12.35&minha=2&plan=in_force,built_up_area&motorway=10&inview=1&lang=en');
	assert.equal(s.inView, true);
	assert.equal(s.lang, 'en');
	assert.equal(s.filters.minHa, 2);
	assert.deepEqual(s.view, {center: [12.35, 51.35], zoom: 10});
	assert.equal(toURL(s), '/?map=10.00/51.3500/12.3500&plan=in_force,built_up_area&minha=2&motorway=10&inview=1&lang=en');
	assert.deepEqual(at(toURL(s)), s, 'reading the written link gives the same state');
});

test('the printable list keeps the selection; the comparison keeps its parcels, at most four', () => {
	const s = at('/list/print?minha=2&inview=1');
	assert.deepEqual(s.route, {name: 'list'});
	assert.equal(toURL(s), '/list/print?minha=2&inview=1');
	const c = at('/compare?ids=4,9,x,12,15,20');
	assert.deepEqual(c.route, {name: 'compare', ids: ['4', '9', '12', '15']});
	assert.equal(toURL(c), '/compare?ids=4,9,12,15');
});

test('shared favourites are read from fav= and bad ids are dropped', () => {
	assert.deepEqual(at('/?fav=3,abc,8').sharedFavourites, ['3', '8']);
	assert.deepEqual(at('/').sharedFavourites, []);
	assert.equal(at('/glossary?lang=en').route.name, 'glossary');
});

test('the study dashboard keeps its demand input in the link; anything else is the trend', () => {
	const s = at('/study?scope=15088&target=2040&demand=enquiries');
	assert.deepEqual(s.study, {scope: ['15088'], targetYear: 2040, demand: 'enquiries', figure: ''});
	assert.equal(toURL(s), '/study?scope=15088&target=2040&demand=enquiries');
	assert.equal(at('/study?demand=wishes').study.demand, 'trend');
	assert.equal(toURL(at('/study?demand=trend')), '/study');
});
