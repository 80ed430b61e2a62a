// The field registry as the server serves it (GET /api/v1/catalog, internal/parcel): every parcel
// and site field with its labels, type, unit, code list and where it appears, and the code lists
// of everything else the app labels. The app takes its labels, code lists, filter check boxes and
// fact sheet rows from here; nothing of it is typed into the web app. The server answers each kind
// of reader (public or signed in) with its own registry, so it is loaded again on sign-in.
import type {Api} from './api.ts';
import {lang, t, type MessageKey} from './i18n.ts';

/** Code is one value of a code list with its labels. */
export interface Code {
	value: string;
	de: string;
	en: string;
}

/** CodeList is a named, ordered code list. */
export interface CodeList {
	name: string;
	codes: Code[];
}

/** Text is a text in both languages. */
export interface Text {
	de: string;
	en: string;
}

/** Field is one field of the registry (internal/parcel.Field). */
export interface Field {
	name: string;
	type: 'text' | 'code' | 'number' | 'integer' | 'boolean' | 'date' | 'timestamp';
	unit?: string;
	digits?: number;
	label: Text;
	description: Text;
	codes?: CodeList;
	internal?: boolean;
	queryable: boolean;
	tile?: boolean;
	export?: boolean;
	sheet?: string;
	flag?: boolean;
	weight?: number;
}

/** Catalog is the answer of GET /api/v1/catalog. */
export interface Catalog {
	parcels: Field[];
	sites: Field[];
	code_lists: Record<string, CodeList>;
	sheet_sections: string[];
}

let current: Catalog = {parcels: [], sites: [], code_lists: {}, sheet_sections: []};

/** loadCatalog fetches the registry for the api's reader and makes it the current one. */
export async function loadCatalog(api: Api): Promise<Catalog> {
	current = await api.json<Catalog>('/api/v1/catalog');
	return current;
}

/** setCatalog makes a registry the current one (tests build their own). */
export function setCatalog(c: Catalog): void {
	current = c;
}

/** catalog is the current registry. */
export function catalog(): Catalog {
	return current;
}

/** codes returns a code list by its name (the database enum's: use_type, parcel_status, district, ...), empty when unknown. */
export function codes(list: string): Code[] {
	return current.code_lists[list]?.codes ?? [];
}

/** parcelField finds a parcel field the reader may see. */
export function parcelField(name: string): Field | undefined {
	return current.parcels.find((f) => f.name === name);
}

/** fieldCodes returns the code list of a parcel field (empty for fields without one). */
export function fieldCodes(name: string): Code[] {
	return parcelField(name)?.codes?.codes ?? [];
}

/**
 * fieldLabel names a parcel field in the current language. What is not a published field (the
 * outline, the net area a district gave) has a message f.{name}; anything else is its name.
 */
export function fieldLabel(name: string): string {
	const f = parcelField(name);
	if (f) return f.label[lang()];
	const key = `f.${name}`;
	const msg = t(key as MessageKey);
	return msg === key ? name : msg;
}

/** flags are the yes/no qualities investors filter by (rail siding, hydrogen, 24-hour operation, ...), in display order. */
export function flags(c: Catalog = current): Field[] {
	return c.parcels.filter((f) => f.flag && f.queryable);
}

/** sheetFields are the fields the fact sheet shows in a section, in display order. */
export function sheetFields(section: string): Field[] {
	return current.parcels.filter((f) => f.sheet === section);
}
