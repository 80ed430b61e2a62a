// The result list as a file: every parcel of the current filter (and map view, if chosen) as CSV
// for a spreadsheet in the reader's language (German Excel: `;`, decimal comma, BOM). Public fields
// only, as the items API serves them to the reader.
import type {Api, FeatureCollection} from './api.ts';
import {availabilities, planningStatuses, servicedStates, statuses, useTypes, type Code} from './codes.ts';
import {csvDialects, toCSV, type CsvValue} from './csv.ts';
import {formatDate} from './dates.ts';
import {fieldLabel, label, lang, t} from './i18n.ts';

/** exportColumns are the fields of the export, in order; codes get their label, dates the language's form. */
export const exportColumns: {name: string; codes?: Code[]; unit?: string; date?: boolean}[] = [
	{name: 'id'}, {name: 'name'}, {name: 'municipality_name'}, {name: 'district_name'},
	{name: 'net_area_ha', unit: 'ha'}, {name: 'gross_area_ha', unit: 'ha'},
	{name: 'use_type', codes: useTypes}, {name: 'planning_status', codes: planningStatuses},
	{name: 'availability', codes: availabilities}, {name: 'available_from', date: true}, {name: 'status', codes: statuses},
	{name: 'price_min_eur_m2', unit: '€/m²'}, {name: 'price_max_eur_m2', unit: '€/m²'}, {name: 'serviced', codes: servicedStates},
	{name: 'dist_motorway_km', unit: 'km'}, {name: 'dist_rail_terminal_km', unit: 'km'}, {name: 'dist_airport_km', unit: 'km'}, {name: 'dist_port_km', unit: 'km'},
	{name: 'last_confirmed', date: true},
];

/** exportColumnNames are the properties the export asks for. */
export function exportColumnNames(): string[] {
	return exportColumns.map((c) => c.name).filter((n) => n !== 'id');
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
	const header = [...exportColumns.map((c) => (c.unit ? `${fieldLabel(c.name)} (${c.unit})` : fieldLabel(c.name))), t('export.link')];
	const body = rows.map((r) => [
		...exportColumns.map((c): CsvValue => {
			const v = r[c.name];
			if (c.codes) return label(c.codes, v as string);
			if (c.date) return formatDate(v as string, l);
			return v as CsvValue;
		}),
		link(String(r.id)),
	]);
	return toCSV(header, body, csvDialects[l]);
}

/** saveFile hands text to the browser as a download. */
export function saveFile(text: string, filename: string, type: string): void {
	const href = URL.createObjectURL(new Blob([text], {type}));
	const a = document.createElement('a');
	a.href = href;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
