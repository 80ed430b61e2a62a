// The client of the landatlas HTTP API. Every request of the app goes through one Api, so that
// signing in only has to set a token: it is sent as `Authorization: Bearer` on API calls, on
// downloads and, through transformRequest, on the map's TileJSON and tile requests.
import type {RequestParameters, ResourceType} from 'maplibre-gl';
import {saveBlob} from './dom.ts';
import type {BasemapEntry} from './map/basemap.ts';

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
	/** basemaps are the external base maps of the layer switch (none when turned off). */
	basemaps?: BasemapEntry[];
	/** geocoder says the server can look up addresses and postcodes (/api/v1/geocode). */
	geocoder?: boolean;
	version?: string;
	attribution?: string;
}

/** ApiError is a failed request, with the server's problem message (and field problems) where it gave one. */
export class ApiError extends Error {
	constructor(readonly status: number, message: string, readonly url: string, readonly fields: Record<string, string> = {}) {
		super(message);
	}
}

/** Params are query parameters; empty and undefined values are left out. */
export type Params = Record<string, string | number | undefined>;

/** RequestOptions are the parts of a request beyond its URL. */
export interface RequestOptions {
	method?: 'GET' | 'POST' | 'PUT';
	params?: Params;
	/** A plain object is sent as JSON, FormData as multipart. */
	body?: unknown;
	signal?: AbortSignal;
	accept?: string;
}

/** ItemsQuery are the query parameters of an items request. */
export interface ItemsQuery {
	filter?: string;
	/** datetime is the state of the data at that instant (RFC 3339), from the parcels' history. */
	datetime?: string;
	limit?: number;
	sortby?: string;
	properties?: string[];
	bbox?: [number, number, number, number];
	/** skipGeometry leaves the geometries out: for sums and lists that need only properties. */
	skipGeometry?: boolean;
}

/** Api talks to one landatlas server (the page's own origin by default). */
export class Api {
	private token: string | null = null;
	/** onUnauthorized is called when the server refuses the token (revoked or expired). */
	onUnauthorized: (() => void) | null = null;

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
	url(path: string, params: Params = {}): string {
		const u = new URL(path, this.base);
		for (const [k, v] of Object.entries(params)) {
			if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
		}
		return u.toString();
	}

	/** json fetches a JSON document; 4xx and 5xx answers become an ApiError. */
	json<T>(pathOrUrl: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
		return this.send<T>(pathOrUrl, {params, signal});
	}

	/** send makes a request and reads its JSON answer; 4xx and 5xx answers become an ApiError. */
	async send<T>(pathOrUrl: string, opts: RequestOptions = {}): Promise<T> {
		const res = await this.fetch(pathOrUrl, opts);
		const type = res.headers.get('Content-Type') ?? '';
		if (!/json/.test(type)) throw new ApiError(res.status, `${res.status}: not a JSON answer (${type || 'no type'})`, res.url);
		return res.json() as Promise<T>;
	}

	/** fetch makes a request with the token; a failed one becomes an ApiError with the server's message. */
	async fetch(pathOrUrl: string, opts: RequestOptions = {}): Promise<Response> {
		const url = this.url(pathOrUrl, opts.params);
		const headers: Record<string, string> = {Accept: opts.accept ?? 'application/geo+json, application/json;q=0.9'};
		if (this.token) headers.Authorization = `Bearer ${this.token}`;
		let body: BodyInit | undefined;
		if (opts.body instanceof FormData) {
			body = opts.body;
		} else if (opts.body !== undefined) {
			body = JSON.stringify(opts.body);
			headers['Content-Type'] = 'application/json';
		}
		const res = await fetch(url, {method: opts.method ?? 'GET', headers, body, signal: opts.signal});
		if (res.status === 401 && this.token) this.onUnauthorized?.();
		if (!res.ok) {
			let message = `${res.status} ${res.statusText}`;
			let fields: Record<string, string> = {};
			try {
				const problem = await res.json();
				message = problem.detail || problem.title || problem.message || message;
				fields = problem.fields ?? {};
			} catch {
				// no JSON problem: keep the status line
			}
			throw new ApiError(res.status, message, url, fields);
		}
		return res;
	}

	/**
	 * download fetches a file with the token and hands it to the browser as a download: a plain link
	 * cannot carry the bearer token, and internal exports need it.
	 */
	async download(pathOrUrl: string, filename: string): Promise<void> {
		const res = await this.fetch(pathOrUrl, {accept: '*/*'});
		saveBlob(await res.blob(), filename);
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

function itemsParams(q: ItemsQuery): Params {
	return {
		f: 'json',
		limit: q.limit,
		filter: q.filter || undefined,
		datetime: q.datetime || undefined,
		'filter-lang': q.filter ? 'cql2-text' : undefined,
		sortby: q.sortby,
		properties: q.properties?.join(','),
		bbox: q.bbox?.map((v) => v.toFixed(6)).join(','),
		skipGeometry: q.skipGeometry ? 'true' : undefined,
	};
}
