// The app's state that a link carries: which page (route), the map view, the filters, how parcels
// are coloured, extra layers, the list's order and the language. parseLocation and toURL are the
// only places that know the URL's shape.
import {defaultFilters, fromParams, toParams, type Filters} from './filters.ts';
import {parseLang, type Lang} from './i18n.ts';

/** Route is the page shown. Issue 8's pages (study, site search, upload, history) join this union. */
export type Route =
	| {name: 'map'}
	| {name: 'parcel'; id: string}
	| {name: 'print'; id: string};

export type ColorBy = 'availability' | 'use_type' | 'planning_status';
export const colorBys: ColorBy[] = ['availability', 'use_type', 'planning_status'];

export const sorts = ['-net_area_ha', 'net_area_ha', 'dist_motorway_km', 'name', 'municipality_name', '-last_confirmed'] as const;
export type Sort = typeof sorts[number];

/** View is the map camera. */
export interface View {
	center: [number, number]; // lng, lat
	zoom: number;
}

export interface State {
	route: Route;
	view: View | null; // null: fit the region
	filters: Filters;
	colorBy: ColorBy;
	constraints: boolean;
	sort: Sort;
	lang: Lang;
}

/** routes maps paths to routes; the first match wins. */
const routes: {pattern: RegExp; make: (m: RegExpMatchArray) => Route}[] = [
	{pattern: /^\/parcel\/([^/]+)\/print\/?$/, make: (m) => ({name: 'print', id: decodeURIComponent(m[1])})},
	{pattern: /^\/parcel\/([^/]+)\/?$/, make: (m) => ({name: 'parcel', id: decodeURIComponent(m[1])})},
];

/** routePath is the path of a route. */
export function routePath(r: Route): string {
	switch (r.name) {
	case 'parcel': return `/parcel/${encodeURIComponent(r.id)}`;
	case 'print': return `/parcel/${encodeURIComponent(r.id)}/print`;
	default: return '/';
	}
}

/** parseLocation reads the whole state from a URL; what is missing or malformed gets its default. */
export function parseLocation(loc: {pathname: string; search: string}, fallbackLang: Lang): State {
	const params = new URLSearchParams(loc.search);
	let route: Route = {name: 'map'};
	for (const r of routes) {
		const m = loc.pathname.match(r.pattern);
		if (m) {
			route = r.make(m);
			break;
		}
	}
	const colorBy = params.get('color') as ColorBy;
	const sort = params.get('sort') as Sort;
	return {
		route,
		view: parseView(params.get('map')),
		filters: fromParams(params),
		colorBy: colorBys.includes(colorBy) ? colorBy : 'availability',
		constraints: (params.get('layers') ?? '').split(',').includes('constraints'),
		sort: sorts.includes(sort) ? sort : '-net_area_ha',
		lang: parseLang(params.get('lang')) ?? fallbackLang,
	};
}

// map=zoom/lat/lng, the order people know from OpenStreetMap links.
function parseView(s: string | null): View | null {
	if (!s) return null;
	const [z, lat, lng] = s.split('/').map(Number);
	if (![z, lat, lng].every(Number.isFinite) || Math.abs(lat) > 85 || Math.abs(lng) > 180 || z < 0 || z > 24) return null;
	return {center: [lng, lat], zoom: z};
}

/** formatView writes a view with the precision its zoom needs. */
export function formatView(v: View): string {
	const digits = Math.max(2, Math.ceil(Math.log10(Math.pow(2, v.zoom) * 512 / 360)));
	return `${v.zoom.toFixed(2)}/${v.center[1].toFixed(digits)}/${v.center[0].toFixed(digits)}`;
}

/** toURL writes a state as a path and query (relative to the origin). */
export function toURL(s: State, route: Route = s.route): string {
	const params = new URLSearchParams();
	if (s.view) params.set('map', formatView(s.view));
	toParams(s.filters, params);
	if (s.colorBy !== 'availability') params.set('color', s.colorBy);
	if (s.constraints) params.set('layers', 'constraints');
	if (s.sort !== '-net_area_ha') params.set('sort', s.sort);
	if (s.lang !== 'de') params.set('lang', s.lang);
	const q = params.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
	return routePath(route) + (q ? `?${q}` : '');
}

export {defaultFilters};
export type {Filters};
