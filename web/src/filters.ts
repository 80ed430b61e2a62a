// The search filters of the public map and their one translation into CQL2 text. The tiles, the
// result list and the counts are all asked with the string cql2() makes, so they always agree.
// The yes/no check boxes (rail siding, hydrogen, 24-hour operation, ...) are the registry's flags
// (catalog.ts): a flag added on the server is a filter here. This module holds no state, so that
// it can be tested on its own.

/** buildingRights are the planning states that give building rights today (§ 30 and § 34 BauGB). */
export const buildingRights = ['in_force', 'built_up_area'];

/** Filters is what a user can narrow the parcels by; empty fields do not filter. */
export interface Filters {
	district: string; // district AGS
	municipality: string; // municipality AGS
	minHa: number | null;
	maxHa: number | null;
	use: string[];
	planning: string[];
	availability: string[];
	availableBy: string; // ISO date
	status: string[];
	maxMotorwayKm: number | null;
	maxRailKm: number | null;
	maxAirportKm: number | null;
	serviced: string[];
	/** flags are the registry's yes/no fields required (rail_siding, operation_24h, ...). */
	flags: string[];
	minPowerMw: number | null;
	minBroadbandMbps: number | null;
	name: string;
}

/** defaultFilters shows what investors look for first: the parcels on offer. */
export function defaultFilters(): Filters {
	return {
		district: '', municipality: '', minHa: null, maxHa: null, use: [], planning: [], availability: [],
		availableBy: '', status: ['offered'], maxMotorwayKm: null, maxRailKm: null, maxAirportKm: null,
		serviced: [], flags: [], minPowerMw: null, minBroadbandMbps: null, name: '',
	};
}

/** quote makes a CQL2 string literal: single quotes doubled. */
export function quote(s: string): string {
	return `'${s.replace(/'/g, "''")}'`;
}

function list(values: string[]): string {
	return values.map(quote).join(', ');
}

function number(v: number): string {
	return String(Math.round(v * 1e6) / 1e6);
}

/**
 * cql2 turns filters into CQL2 text (empty when nothing filters). flagNames are the registry's
 * flags the reader may filter by; a flag not among them (an old link) is left out.
 */
export function cql2(f: Filters, flagNames: string[]): string {
	const parts: string[] = [];
	if (f.municipality) parts.push(`municipality_ags = ${quote(f.municipality)}`);
	else if (f.district) parts.push(`district_ags = ${quote(f.district)}`);
	if (f.status.length) parts.push(f.status.length === 1 ? `status = ${quote(f.status[0])}` : `status IN (${list(f.status)})`);
	if (f.use.length) parts.push(`use_type IN (${list(f.use)})`);
	if (f.planning.length) parts.push(`planning_status IN (${list(f.planning)})`);
	if (f.availability.length) parts.push(`availability IN (${list(f.availability)})`);
	if (f.availableBy) parts.push(`(availability = 'now' OR available_from <= DATE(${quote(f.availableBy)}))`);
	if (f.minHa !== null) parts.push(`net_area_ha >= ${number(f.minHa)}`);
	if (f.maxHa !== null) parts.push(`net_area_ha <= ${number(f.maxHa)}`);
	if (f.maxMotorwayKm !== null) parts.push(`dist_motorway_km <= ${number(f.maxMotorwayKm)}`);
	if (f.maxRailKm !== null) parts.push(`dist_rail_terminal_km <= ${number(f.maxRailKm)}`);
	if (f.maxAirportKm !== null) parts.push(`dist_airport_km <= ${number(f.maxAirportKm)}`);
	if (f.serviced.length) parts.push(`serviced IN (${list(f.serviced)})`);
	for (const name of f.flags) if (flagNames.includes(name)) parts.push(`${name} = TRUE`);
	if (f.minPowerMw !== null) parts.push(`power_mw >= ${number(f.minPowerMw)}`);
	if (f.minBroadbandMbps !== null) parts.push(`broadband_mbps >= ${number(f.minBroadbandMbps)}`);
	const name = f.name.replace(/[%_\\]/g, '').trim();
	if (name) parts.push(`CASEI(name) LIKE CASEI(${quote(`%${name}%`)})`);
	return parts.join(' AND ');
}

// URL form: one short parameter per filter, lists comma-separated. Only what differs from the
// defaults is written, so a plain link stays plain.
const listParams = {use: 'use', planning: 'plan', availability: 'avail', status: 'status', serviced: 'serviced', flags: 'util'} as const;
const numberParams = {
	minHa: 'minha', maxHa: 'maxha', maxMotorwayKm: 'motorway', maxRailKm: 'rail', maxAirportKm: 'airport',
	minPowerMw: 'power', minBroadbandMbps: 'broadband',
} as const;
const textParams = {district: 'district', municipality: 'mun', availableBy: 'availby', name: 'name'} as const;

/** toParams writes the filters that differ from the defaults into params. */
export function toParams(f: Filters, params: URLSearchParams): void {
	const d = defaultFilters();
	for (const [key, p] of Object.entries(listParams) as [keyof typeof listParams, string][]) {
		if (f[key].join(',') !== d[key].join(',')) params.set(p, f[key].join(','));
	}
	for (const [key, p] of Object.entries(numberParams) as [keyof typeof numberParams, string][]) {
		if (f[key] !== null) params.set(p, String(f[key]));
	}
	for (const [key, p] of Object.entries(textParams) as [keyof typeof textParams, string][]) {
		if (f[key]) params.set(p, f[key]);
	}
}

/** fromParams reads filters from URL parameters; what is missing or malformed keeps its default. */
export function fromParams(params: URLSearchParams): Filters {
	const f = defaultFilters();
	for (const [key, p] of Object.entries(listParams) as [keyof typeof listParams, string][]) {
		const v = params.get(p);
		if (v === null) continue;
		const values = v.split(',').map((s) => s.trim()).filter(Boolean);
		// Flags are names that go into CQL2: only plain field names pass (cql2() keeps only the registry's).
		if (key === 'flags') f.flags = values.filter((u) => /^[a-z][a-z0-9_]*$/.test(u));
		else f[key] = values;
	}
	for (const [key, p] of Object.entries(numberParams) as [keyof typeof numberParams, string][]) {
		const v = params.get(p);
		if (v === null || v.trim() === '') continue;
		const n = Number(v);
		if (Number.isFinite(n) && n >= 0) f[key] = n;
	}
	for (const [key, p] of Object.entries(textParams) as [keyof typeof textParams, string][]) {
		const v = params.get(p);
		if (v) f[key] = v;
	}
	if (f.availableBy && !/^\d{4}-\d{2}-\d{2}$/.test(f.availableBy)) f.availableBy = '';
	if (f.district && !/^\d{5}$/.test(f.district)) f.district = '';
	if (f.municipality && !/^\d{8}$/.test(f.municipality)) f.municipality = '';
	return f;
}

/** activeCount is the number of filters set beyond the defaults, for the collapsed panel's badge. */
export function activeCount(f: Filters): number {
	const params = new URLSearchParams();
	toParams(f, params);
	return [...params.keys()].length;
}
