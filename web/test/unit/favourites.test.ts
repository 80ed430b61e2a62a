import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Favourites, maxFavourites, shareParams} from '../../src/favourites.ts';

class MemoryStorage {
	data = new Map<string, string>();
	getItem(k: string) {
		return this.data.get(k) ?? null;
	}
	setItem(k: string, v: string) {
		this.data.set(k, v);
	}
}

test('favourites survive a new page (same storage)', () => {
	const s = new MemoryStorage();
	const a = new Favourites(s);
	assert.equal(a.toggle({id: '12', name: 'Fläche 12'}), true);
	a.toggle({id: '7', name: 'Fläche 7'});
	const b = new Favourites(s);
	assert.deepEqual(b.list(), [{id: '12', name: 'Fläche 12'}, {id: '7', name: 'Fläche 7'}]);
	assert.equal(b.toggle({id: '12', name: ''}), false, 'toggling again removes');
	assert.deepEqual(new Favourites(s).list().map((f) => f.id), ['7']);
});

test('a shared link adds only new, well-formed ids', () => {
	const f = new Favourites(new MemoryStorage());
	f.add([{id: '1', name: 'A'}]);
	assert.equal(f.add([{id: '1', name: 'A2'}, {id: '2', name: ''}, {id: 'x;drop', name: 'bad'}]), 1);
	assert.deepEqual(f.list(), [{id: '1', name: 'A2'}, {id: '2', name: ''}]);
	assert.equal(shareParams(f.list()), 'fav=1,2');
	assert.equal(shareParams([]), '');
});

test('broken or foreign storage content gives an empty list, and the list is bounded', () => {
	const s = new MemoryStorage();
	s.setItem('landatlas.favourites', '{not json');
	assert.deepEqual(new Favourites(s).list(), []);
	s.setItem('landatlas.favourites', JSON.stringify([{id: 3}, {id: '4', name: 'ok'}]));
	assert.deepEqual(new Favourites(s).list(), [{id: '4', name: 'ok'}]);
	const f = new Favourites(new MemoryStorage());
	f.add(Array.from({length: maxFavourites + 5}, (_, i) => ({id: String(i + 1), name: ''})));
	assert.equal(f.list().length, maxFavourites);
	assert.deepEqual(new Favourites(null).list(), [], 'no storage: still works');
});
