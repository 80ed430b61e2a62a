// The app's state that a link carries: which page (route), the map view, the filters, how parcels
// are coloured, extra layers, the list's order, the language, the date the map shows, and what the
// workspace pages (study, site search, upload) were set to. parseLocation and toURL are the only
// places that know the URL's shape.
import {defaultFilters, fromParams, toParams, type Filters} from './filters.ts';
import {parseLang, type Lang} from './i18n.ts';

/** Route is the page shown. */
export type Route =
	| {name: 'map'}
	| {name: 'parcel'; id: string}
	| {name: 'print'; id: string}
	| {name: 'list'}
	| {name: 'compare'; ids: string[]}
	| {name: 'glossary'}
	| {name: 'study'; run?: string}
	| {name: 'search'}
	| {name: 'upload'; id?: string}
	| {name: 'edit'; id?: string}
	| {name: 'enquiries'; id?: string}
	| {name: 'campaigns'; id?: string};

/** workRoutes are the pages of signed-in users' workspace; they share the map with the public map. */
export const workRoutes = ['study', 'search', 'upload', 'edit', 'enquiries', 'campaigns'] as const;
export type WorkRoute = typeof workRoutes[number];

export type ColorBy = 'availability' | 'use_type' | 'planning_status';
export const colorBys: ColorBy[] = ['availability', 'use_type', 'planning_status'];

export const sorts = ['-net_area_ha', 'net_area_ha', 'dist_motorway_km', 'name', 'municipality_name', '-last_confirmed', 'last_confirmed'] as const;
export type Sort = typeof sorts[number];

/** View is the map camera. */
export interface View {
	center: [number, number]; // lng, lat
	zoom: number;
}

/** StudyParams are the settings of the study dashboard. */
export interface StudyParams {
	/** scope lists district AGS or Land names; empty: the region. */
	scope: string[];
	targetYear: number;
	/** demand is the balance's demand input: the trend alone, or the enquiries' demand beside it (planners and admins). */
	demand: 'trend' | 'enquiries';
	/** figure is the figure whose parcels are shown, e.g. "district:15088" or "size_class:20-50". */
	figure: string;
}

/** SearchParams are the settings of the site search: a preset and the search as edited (JSON), if edited. */
export interface SearchParams {
	preset: string;
	search: string;
}

export interface State {
	route: Route;
	view: View | null; // null: fit the region
	filters: Filters;
	/** cql is an extra CQL2 filter (a study figure's parcels), combined with the filters. */
	cql: string;
	cqlLabel: string;
	/** asOf is the date (YYYY-MM-DD) whose state the map, the list and the study show; '' is now. */
	asOf: string;
	colorBy: ColorBy;
	constraints: boolean;
	sort: Sort;
	lang: Lang;
	study: StudyParams;
	search: SearchParams;
	/** uploadDistrict is the district chosen in the upload form (admins choose; editors have one). */
	uploadDistrict: string;
	/** inView limits the list and the count to the parcels in the map view. */
	inView: boolean;
	/** sharedFavourites are parcel ids a shared link brings (fav=); the app offers to keep them. */
	sharedFavourites: string[];
}

/** maxCompare is how many parcels the comparison shows side by side. */
export const maxCompare = 4;

const idList = (s: string | null): string[] => (s ?? '').split(',').map((x) => x.trim()).filter((x) => /^\d+$/.test(x));

export const defaultTargetYear = 2038;

/** routes maps paths to routes; the first match wins. */
const routes: {pattern: RegExp; make: (m: RegExpMatchArray) => Route}[] = [
	{pattern: /^\/parcel\/([^/]+)\/print\/?$/, make: (m) => ({name: 'print', id: decodeURIComponent(m[1])})},
	{pattern: /^\/parcel\/([^/]+)\/?$/, make: (m) => ({name: 'parcel', id: decodeURIComponent(m[1])})},
	{pattern: /^\/list\/print\/?$/, make: () => ({name: 'list'})},
	{pattern: /^\/compare\/?$/, make: () => ({name: 'compare', ids: []})},
	{pattern: /^\/glossary\/?$/, make: () => ({name: 'glossary'})},
	{pattern: /^\/study\/run\/(\d+)\/?$/, make: (m) => ({name: 'study', run: m[1]})},
	{pattern: /^\/study\/?$/, make: () => ({name: 'study'})},
	{pattern: /^\/search\/?$/, make: () => ({name: 'search'})},
	{pattern: /^\/upload\/(\d+)\/?$/, make: (m) => ({name: 'upload', id: m[1]})},
	{pattern: /^\/upload\/?$/, make: () => ({name: 'upload'})},
	{pattern: /^\/edit\/(\d+)\/?$/, make: (m) => ({name: 'edit', id: m[1]})},
	{pattern: /^\/edit\/?$/, make: () => ({name: 'edit'})},
	{pattern: /^\/enquiries\/(\d+)\/?$/, make: (m) => ({name: 'enquiries', id: m[1]})},
	{pattern: /^\/enquiries\/?$/, make: () => ({name: 'enquiries'})},
	{pattern: /^\/campaigns\/(\d+)\/?$/, make: (m) => ({name: 'campaigns', id: m[1]})},
	{pattern: /^\/campaigns\/?$/, make: () => ({name: 'campaigns'})},
];

/** routePath is the path of a route. */
export function routePath(r: Route): string {
	switch (r.name) {
	case 'parcel': return `/parcel/${encodeURIComponent(r.id)}`;
	case 'print': return `/parcel/${encodeURIComponent(r.id)}/print`;
	case 'list': return '/list/print';
	case 'compare': return '/compare';
	case 'glossary': return '/glossary';
	case 'study': return r.run ? `/study/run/${r.run}` : '/study';
	case 'search': return '/search';
	case 'upload': return r.id ? `/upload/${r.id}` : '/upload';
	case 'edit': return r.id ? `/edit/${r.id}` : '/edit';
	case 'enquiries': return r.id ? `/enquiries/${r.id}` : '/enquiries';
	case 'campaigns': return r.id ? `/campaigns/${r.id}` : '/campaigns';
	default: return '/';
	}
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** parseLocation reads the whole state from a URL; what is missing or malformed gets its default. */
export function parseLocation(loc: {pathname: string; search: string}, fallbackLang: Lang): State {
	const params = new URLSearchParams(loc.search);
	let route: Route = {name: 'map'};
	for (const r of routes) {
		const m = loc.pathname.match(r.pattern);
		if (m) {
			route = r.make(m);
			if (route.name === 'compare') route.ids = idList(params.get('ids')).slice(0, maxCompare);
			break;
		}
	}
	const colorBy = params.get('color') as ColorBy;
	const sort = params.get('sort') as Sort;
	const asOf = params.get('asof') ?? '';
	const target = Number(params.get('target'));
	const ud = params.get('ud') ?? '';
	return {
		route,
		view: parseView(params.get('map')),
		filters: fromParams(params),
		cql: params.get('cql') ?? '',
		cqlLabel: params.get('cqllabel') ?? '',
		asOf: isoDate.test(asOf) ? asOf : '',
		colorBy: colorBys.includes(colorBy) ? colorBy : 'availability',
		constraints: (params.get('layers') ?? '').split(',').includes('constraints'),
		sort: sorts.includes(sort) ? sort : '-net_area_ha',
		lang: parseLang(params.get('lang')) ?? fallbackLang,
		study: {
			scope: (params.get('scope') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
			targetYear: Number.isInteger(target) && target >= 1990 && target <= 2200 ? target : defaultTargetYear,
			demand: params.get('demand') === 'enquiries' ? 'enquiries' : 'trend',
			figure: params.get('fig') ?? '',
		},
		search: {preset: params.get('preset') ?? '', search: params.get('search') ?? ''},
		uploadDistrict: /^\d{5}$/.test(ud) ? ud : '',
		inView: params.get('inview') === '1',
		sharedFavourites: idList(params.get('fav')),
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

/**
 * toURL writes a state as a path and query (relative to the origin). The map's settings go on
 * every link; a workspace page's settings only on its own.
 */
export function toURL(s: State, route: Route = s.route): string {
	const params = new URLSearchParams();
	if (s.view) params.set('map', formatView(s.view));
	const onMap = route.name === 'map' || route.name === 'parcel' || route.name === 'print' || route.name === 'list';
	if (onMap) {
		toParams(s.filters, params);
		if (s.cql) {
			params.set('cql', s.cql);
			if (s.cqlLabel) params.set('cqllabel', s.cqlLabel);
		}
	}
	if (s.asOf) params.set('asof', s.asOf);
	if (s.colorBy !== 'availability') params.set('color', s.colorBy);
	if (s.constraints) params.set('layers', 'constraints');
	if (onMap && s.sort !== '-net_area_ha') params.set('sort', s.sort);
	if (onMap && s.inView) params.set('inview', '1');
	if (route.name === 'compare' && route.ids.length) params.set('ids', route.ids.join(','));
	if (route.name === 'study' && !route.run) {
		if (s.study.scope.length) params.set('scope', s.study.scope.join(','));
		if (s.study.targetYear !== defaultTargetYear) params.set('target', String(s.study.targetYear));
		if (s.study.demand === 'enquiries') params.set('demand', 'enquiries');
	}
	if (route.name === 'study' && s.study.figure) params.set('fig', s.study.figure);
	if (route.name === 'search') {
		if (s.search.preset) params.set('preset', s.search.preset);
		if (s.search.search) params.set('search', s.search.search);
	}
	if (route.name === 'upload' && !route.id && s.uploadDistrict) params.set('ud', s.uploadDistrict);
	if (s.lang !== 'de') params.set('lang', s.lang);
	const q = params.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
	return routePath(route) + (q ? `?${q}` : '');
}

export {defaultFilters};
export type {Filters};
