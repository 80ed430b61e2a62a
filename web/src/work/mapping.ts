// What the upload form knows of a file before it is sent, and the column mapping. The browser reads
// a file's columns where that is cheap (GeoJSON, CSV, the .dbf of a zipped Shapefile) and whether
// it names its coordinate system, so the mapping can be checked and the CRS asked for before the
// upload; for other formats the server's report names the columns after the first check. Which
// field a column fills is the server's to say (POST /api/v1/uploads/guess-mapping), by the rule
// the upload itself reads the file with.
import {zipEntries, zipRead} from './zip.ts';

/** FieldInfo is a field an upload may fill, from GET /api/v1/uploads/fields. */
export interface FieldInfo {
	name: string;
	de: string;
	en: string;
	type: string;
	required: boolean;
	column_names: string[];
	codes?: {value: string; de: string; en: string}[];
}

/** CRSChoice is a system a file may arrive in, from GET /api/v1/uploads/fields. */
export interface CRSChoice {
	code: string;
	srid: number;
	de: string;
	en: string;
}

/** UploadFields is the answer of GET /api/v1/uploads/fields: what an upload may carry, the systems
 * its coordinates may be in and each district's usual one (by AGS). */
export interface UploadFields {
	fields: FieldInfo[];
	crs: CRSChoice[];
	usual_crs: Record<string, string>;
}

/** Mapping is a district's own naming (internal/upload.Mapping). */
export interface Mapping {
	columns?: Record<string, string>;
	values?: Record<string, Record<string, string>>;
	defaults?: Record<string, unknown>;
}

/** Sniff is what the browser found out about a file. */
export interface Sniff {
	format: string;
	/** columns are the attribute names, or null when the browser cannot read them. */
	columns: string[] | null;
	/** hasCRS: true (the file names it), false (it does not), null (cannot tell). */
	hasCRS: boolean | null;
	/** values are some distinct values of each column, where the browser can read them, for mapping codes. */
	values?: Record<string, string[]>;
}

/** valuesPerColumn is how many distinct values of a column the form offers to map. */
const valuesPerColumn = 30;

function distinct(rows: Record<string, unknown>[]): Record<string, string[]> {
	const out: Record<string, Set<string>> = {};
	for (const r of rows) {
		for (const [k, v] of Object.entries(r)) {
			if (v === null || v === undefined || typeof v === 'object') continue;
			const s = String(v).trim();
			if (!s) continue;
			const set = (out[k] ??= new Set());
			if (set.size < valuesPerColumn) set.add(s);
		}
	}
	return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

const ext = (name: string) => name.toLowerCase().split('.').pop() ?? '';

/** sniff reads a file's columns and whether it names a CRS, where the format allows it cheaply. */
export async function sniff(file: File): Promise<Sniff> {
	const e = ext(file.name);
	try {
		if (e === 'geojson' || e === 'json') {
			if (file.size > 20 << 20) return {format: 'GeoJSON', columns: null, hasCRS: true};
			const doc = JSON.parse(await file.text());
			const features: {properties?: Record<string, unknown>}[] = doc.features ?? [];
			const cols = new Set<string>();
			for (const f of features.slice(0, 200)) for (const k of Object.keys(f.properties ?? {})) cols.add(k);
			// GeoJSON is WGS84 by definition (RFC 7946); an old-style "crs" member names another.
			return {format: 'GeoJSON', columns: [...cols], hasCRS: true, values: distinct(features.slice(0, 200).map((f) => f.properties ?? {}))};
		}
		if (e === 'csv' || e === 'txt') {
			const head = await file.slice(0, 64 << 10).text();
			const line = head.split(/\r?\n/)[0].replace(/^\ufeff/, '');
			const sep = [';', ',', '\t'].sort((a, b) => line.split(b).length - line.split(a).length)[0];
			const cell = (c: string) => c.trim().replace(/^"|"$/g, '');
			const columns = line.split(sep).map(cell).filter(Boolean);
			const rows = head.split(/\r?\n/).slice(1, 200).filter(Boolean).map((l) => Object.fromEntries(l.split(sep).map((c, i) => [columns[i] ?? '', cell(c)])));
			return {format: 'CSV', columns, hasCRS: false, values: distinct(rows)};
		}
		if (e === 'zip') {
			const buf = await file.arrayBuffer();
			const entries = zipEntries(buf) ?? [];
			const dbf = entries.find((x) => ext(x.name) === 'dbf');
			const shp = entries.some((x) => ext(x.name) === 'shp');
			if (!shp) return {format: 'ZIP', columns: null, hasCRS: null};
			const prj = entries.some((x) => ext(x.name) === 'prj');
			return {format: 'Shapefile', columns: dbf ? dbfColumns(await zipRead(buf, dbf)) : null, hasCRS: prj};
		}
		if (e === 'gpkg') return {format: 'GeoPackage', columns: null, hasCRS: true};
		if (e === 'kml' || e === 'kmz') return {format: 'KML', columns: null, hasCRS: true};
		if (e === 'fgb') return {format: 'FlatGeobuf', columns: null, hasCRS: true};
		if (e === 'gml') return {format: 'GML', columns: null, hasCRS: null};
		if (e === 'dxf') return {format: 'DXF', columns: null, hasCRS: false};
	} catch {
		// unreadable here; the server's check will say what is wrong
	}
	return {format: e.toUpperCase(), columns: null, hasCRS: null};
}

/** dbfColumns reads the field names of a dBASE header (32-byte field descriptors until 0x0D). */
function dbfColumns(b: Uint8Array): string[] {
	const out: string[] = [];
	const dec = new TextDecoder('latin1');
	for (let p = 32; p + 32 <= b.length && b[p] !== 0x0d; p += 32) {
		let end = p;
		while (end < p + 11 && b[end] !== 0) end++;
		out.push(dec.decode(b.subarray(p, end)));
	}
	return out;
}
