// The client of the landatlas HTTP API. Every request of the app goes through one Api, so that a
// later sign-in (issue 8) only has to set a token: it is sent as `Authorization: Bearer` on API
// calls and, through transformRequest, on the map's TileJSON and tile requests.
import type {RequestParameters, ResourceType} from 'maplibre-gl';

/** Feature is a GeoJSON feature as the API serves it. */
export interface Feature<P = Record<string, unknown>> {
	type: 'Feature';
	id?: string | number;
	geometry: GeoJSON.Geometry | null;
	properties: P;
}

/** FeatureCollection is a page of items from /ogcapi with the OGC paging members. */
export interface FeatureCollection<P = Record<string, unknown>> {
	type: 'FeatureCollection';
	features: Feature<P>[];
	numberMatched?: number;
	numberReturned?: number;
	links?: {href: string; rel: string; type?: string}[];
}

/** TileJSON is the part of a TileJSON 3.0 document the map uses. */
export interface TileJSON {
	tiles: string[];
	minzoom?: number;
	maxzoom?: number;
	bounds?: [number, number, number, number];
	attribution?: string;
	vector_layers?: {id: string}[];
}

/** Config is what GET /api/v1/config tells the app; every field is optional. */
export interface Config {
	basemap_style?: string;
	version?: string;
	attribution?: string;
}

/** ApiError is a failed request, with the server's problem message where it gave one. */
export class ApiError extends Error {
	constructor(readonly status: number, message: string, readonly url: string) {
		super(message);
	}
}

/** ItemsQuery are the query parameters of an items request. */
export interface ItemsQuery {
	filter?: string;
	limit?: number;
	sortby?: string;
	properties?: string[];
	bbox?: [number, number, number, number];
}

/** Api talks to one landatlas server (the page's own origin by default). */
export class Api {
	private token: string | null = null;

	constructor(readonly base: string = window.location.origin) {}

	/** setToken signs requests in (or out, with null). */
	setToken(token: string | null): void {
		this.token = token;
	}

	/** signedIn reports whether a token is set. */
	signedIn(): boolean {
		return this.token !== null;
	}

	/** url resolves a path of the API to an absolute URL. */
	url(path: string, params: Record<string, string | number | undefined> = {}): string {
		const u = new URL(path, this.base);
		for (const [k, v] of Object.entries(params)) {
			if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
		}
		return u.toString();
	}

	/** json fetches a JSON document; 4xx and 5xx answers become an ApiError. */
	async json<T>(pathOrUrl: string, params: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<T> {
		const url = this.url(pathOrUrl, params);
		const headers: Record<string, string> = {Accept: 'application/geo+json, application/json;q=0.9'};
		if (this.token) headers.Authorization = `Bearer ${this.token}`;
		const res = await fetch(url, {headers, signal});
		if (!res.ok) {
			let message = `${res.status} ${res.statusText}`;
			try {
				const body = await res.json();
				message = body.detail || body.title || body.message || message;
			} catch {
				// no JSON problem: keep the status line
			}
			throw new ApiError(res.status, message, url);
		}
		return res.json() as Promise<T>;
	}

	/** transformRequest is MapLibre's hook: it adds the token to requests to our own server only. */
	transformRequest = (url: string, _type?: ResourceType): RequestParameters => {
		if (this.token && new URL(url, this.base).origin === new URL(this.base).origin) {
			return {url, headers: {Authorization: `Bearer ${this.token}`}};
		}
		return {url};
	};

	config(signal?: AbortSignal): Promise<Config> {
		return this.json<Config>('/api/v1/config', {}, signal);
	}

	districts(signal?: AbortSignal): Promise<FeatureCollection> {
		return this.json<FeatureCollection>('/api/v1/districts', {}, signal);
	}

	tileJSON(collection: string, signal?: AbortSignal): Promise<TileJSON> {
		return this.json<TileJSON>(`/tiles/${collection}.json`, {}, signal);
	}

	items<P = Record<string, unknown>>(collection: string, q: ItemsQuery, signal?: AbortSignal): Promise<FeatureCollection<P>> {
		return this.json<FeatureCollection<P>>(`/ogcapi/collections/${collection}/items`, itemsParams(q), signal);
	}

	/** nextPage follows a page's rel=next link, or returns null on the last page. */
	nextPage<P>(page: FeatureCollection<P>, signal?: AbortSignal): Promise<FeatureCollection<P>> | null {
		const next = page.links?.find((l) => l.rel === 'next');
		return next ? this.json<FeatureCollection<P>>(next.href, {}, signal) : null;
	}

	item<P = Record<string, unknown>>(collection: string, id: string | number, signal?: AbortSignal): Promise<Feature<P>> {
		return this.json<Feature<P>>(`/ogcapi/collections/${collection}/items/${encodeURIComponent(String(id))}`, {f: 'json'}, signal);
	}
}

function itemsParams(q: ItemsQuery): Record<string, string | number | undefined> {
	return {
		f: 'json',
		limit: q.limit,
		filter: q.filter || undefined,
		'filter-lang': q.filter ? 'cql2-text' : undefined,
		sortby: q.sortby,
		properties: q.properties?.join(','),
		bbox: q.bbox?.map((v) => v.toFixed(6)).join(','),
	};
}
