// The result list as a file: every parcel of the current filter (and map view, if chosen) as CSV
// for a spreadsheet in the reader's language (German Excel: `;`, decimal comma, BOM). Public fields
// only, as the items API serves them to the reader.
import {saveBlob} from './dom.ts';
import type {Api, FeatureCollection} from './api.ts';
import {catalog, fieldLabel, type Field} from './catalog.ts';
import {csvDialects, toCSV, type CsvValue} from './csv.ts';
import {formatDate} from './dates.ts';
import {label, lang, t} from './i18n.ts';

/**
 * exportColumns are the fields of the export, in the registry's order: the fields it marks for
 * exports that the reader may see (the server serves each reader its own registry), the id first.
 */
export function exportColumns(): Field[] {
	const fields = catalog().parcels.filter((f) => f.export);
	const id = fields.filter((f) => f.name === 'id');
	return [...id, ...fields.filter((f) => f.name !== 'id')];
}

/** exportColumnNames are the properties the export asks for. */
export function exportColumnNames(): string[] {
	return exportColumns().map((c) => c.name).filter((n) => n !== 'id');
}

/** ExportQuery is the selection of the list: the map's filter, its date and, if chosen, the map view. */
export interface ExportQuery {
	filter: string;
	datetime?: string;
	bbox?: [number, number, number, number];
}

/** fetchAll pages through every matching parcel's properties (no geometry). */
export async function fetchAll(api: Api, q: ExportQuery, properties: string[], signal?: AbortSignal): Promise<Record<string, unknown>[]> {
	const rows: Record<string, unknown>[] = [];
	let page: FeatureCollection | null = await api.items('parcels', {...q, sortby: '-net_area_ha', limit: 10000, properties, skipGeometry: true}, signal);
	for (let i = 0; page && i < 1000; i++) {
		rows.push(...page.features.map((f) => ({...f.properties, id: f.properties.id ?? f.id})));
		page = rows.length < (page.numberMatched ?? 0) ? await api.nextPage(page, signal) : null;
	}
	return rows;
}

/** exportCSV writes the rows; the fact sheet's link closes each row. */
export function exportCSV(rows: Record<string, unknown>[], link: (id: string) => string): string {
	const l = lang();
	const columns = exportColumns();
	const header = [...columns.map((c) => (c.unit ? `${fieldLabel(c.name)} (${c.unit.replace('EUR', '€')})` : fieldLabel(c.name))), t('export.link')];
	const body = rows.map((r) => [
		...columns.map((c): CsvValue => {
			const v = r[c.name];
			if (c.codes) return label(c.codes.codes, v as string);
			if (c.type === 'date') return formatDate(v as string, l);
			if (c.type === 'boolean' && typeof v === 'boolean') return t(v ? 'yes' : 'no');
			return v as CsvValue;
		}),
		link(String(r.id)),
	]);
	return toCSV(header, body, csvDialects[l]);
}

/** saveFile hands text to the browser as a download. */
export function saveFile(text: string, filename: string, type: string): void {
	saveBlob(new Blob([text], {type}), filename);
}
