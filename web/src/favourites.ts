// The reader's favourites (Merkliste): parcels marked in this browser, kept in localStorage with
// their names (so the list draws without asking the server), shareable as a link (fav=1,2,3).
// No DOM here: the storage is passed in, so the rules are unit-tested in Node.

/** Favourite is one marked parcel. */
export interface Favourite {
	id: string;
	name: string;
}

/** StorageLike is the part of localStorage the favourites use. */
export interface StorageLike {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

const key = 'landatlas.favourites';
/** maxFavourites bounds the list (a shortlist, not a database). */
export const maxFavourites = 50;

/** Favourites reads and writes the list; every change is saved at once. */
export class Favourites {
	private items: Favourite[];
	private listeners = new Set<() => void>();

	constructor(private storage: StorageLike | null) {
		this.items = read(storage);
	}

	list(): Favourite[] {
		return [...this.items];
	}

	has(id: string): boolean {
		return this.items.some((f) => f.id === id);
	}

	/** toggle marks a parcel or removes its mark; it returns whether it is marked now. */
	toggle(f: Favourite): boolean {
		if (this.has(f.id)) this.remove(f.id);
		else this.add([f]);
		return this.has(f.id);
	}

	/** add marks parcels (new ones at the end; names of known ones are updated); it returns how many were new. */
	add(fs: Favourite[]): number {
		let added = 0;
		for (const f of fs) {
			if (!/^\d+$/.test(f.id)) continue;
			const known = this.items.find((x) => x.id === f.id);
			if (known) {
				if (f.name) known.name = f.name;
			} else if (this.items.length < maxFavourites) {
				this.items.push({id: f.id, name: f.name});
				added++;
			}
		}
		this.save();
		return added;
	}

	remove(id: string): void {
		this.items = this.items.filter((f) => f.id !== id);
		this.save();
	}

	/** onChange registers fn to run after each change. */
	onChange(fn: () => void): void {
		this.listeners.add(fn);
	}

	private save(): void {
		try {
			this.storage?.setItem(key, JSON.stringify(this.items));
		} catch {
			// storage full or off: the list holds for this page
		}
		for (const fn of this.listeners) fn();
	}
}

function read(storage: StorageLike | null): Favourite[] {
	try {
		const v = JSON.parse(storage?.getItem(key) ?? '[]');
		if (!Array.isArray(v)) return [];
		return v.filter((f) => f && typeof f.id === 'string' && /^\d+$/.test(f.id)).map((f) => ({id: f.id, name: String(f.name ?? '')})).slice(0, maxFavourites);
	} catch {
		return [];
	}
}

/** shareParams is the query of a link that hands the favourites to someone else. */
export function shareParams(fs: Favourite[]): string {
	return fs.length ? `fav=${fs.map((f) => f.id).join(',')}` : '';
}
