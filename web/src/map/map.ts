// AtlasMap wraps the MapLibre map: it loads our sources (TileJSON through the Api, so a token
// reaches them), keeps the parcel tiles on the current CQL2 filter, colours, highlights and selects
// parcels, and reports clicks. Signed in, it hatches internal parcels; for a past date it draws the
// parcels of that date instead of the tiles; and it carries the workspace overlay (a study figure's
// parcels, search results, an upload's changes). One AtlasMap serves the main view; the exposé
// makes a small one.
import * as maplibregl from 'maplibre-gl';
import type {MapGeoJSONFeature, SourceSpecification, StyleSpecification} from 'maplibre-gl';
import type {Api, TileJSON} from '../api.ts';
import {debounce} from '../dom.ts';
import {bbox, labelPoint, type BBox} from '../geo.ts';
import {codes} from '../catalog.ts';
import {ha, label, num, t} from '../i18n.ts';
import type {ColorBy, View} from '../state.ts';
import {Basemap, type BasemapChoice, type BasemapEntry, type BasemapStatus} from './basemap.ts';
import {ids, overlayLayers, overlaySources, ownBaseLayers, parcelColor, siteFilter, siteLayerIds} from './layers.ts';
import {dimmable, hatchImage, internalLayers, pastLayers, tileParcelLayers, workIds, workLayers, workSources} from './work.ts';

/** region is the bounding box of the nine districts, for the first view. */
export const region: BBox = [10.92, 50.84, 13.2, 51.92];

/** tileCollections are the vector tile collections the map draws. */
const tileCollections = ['parcels', 'sites', 'municipalities', 'infrastructure', 'constraints'] as const;

export interface AtlasMapOptions {
	container: HTMLElement;
	api: Api;
	/** basemaps are the external base maps of the server's config; basemap is the one to draw first. */
	basemaps?: BasemapEntry[];
	basemap?: BasemapChoice;
	/** Called when the base map drawn changes (drawn, loading, fallen back to our own layers). */
	onBasemap?: (status: BasemapStatus, choice: BasemapChoice) => void;
	view: View | null;
	colorBy: ColorBy;
	constraints: boolean;
	filter: string;
	interactive?: boolean;
	/** Called with a parcel's id when it is clicked. */
	onParcelClick?: (id: string) => void;
	/** Called after the user moved the map. */
	onMove?: (view: View) => void;
	/** Called with a message when a layer or the map failed. */
	onError?: (message: string) => void;
	/** Called with the properties of a clicked feature of the workspace overlay. */
	onWorkClick?: (properties: Record<string, unknown>) => void;
}

/** withFilter appends the CQL2 filter to a tile URL template (which may carry a version param already). */
export function withFilter(template: string, cql: string): string {
	if (!cql) return template;
	return template + (template.includes('?') ? '&' : '?') + 'filter=' + encodeURIComponent(cql);
}

export class AtlasMap {
	readonly map: maplibregl.Map;
	private parcelTiles: TileJSON | null = null;
	private filter: string;
	private hoverId: string | number | null = null;
	private ready: Promise<void>;
	private tooltip: HTMLElement | null = null;
	private removed = false;
	private past = false;
	private dimmed = new Map<string, unknown>();
	/** basemap is the external base map under our layers. */
	readonly basemap: Basemap;

	constructor(private opts: AtlasMapOptions) {
		this.filter = opts.filter;
		const style: StyleSpecification = {version: 8, sources: {}, layers: ownBaseLayers()};
		this.map = new maplibregl.Map({
			container: opts.container,
			style,
			bounds: opts.view ? undefined : region,
			center: opts.view?.center,
			zoom: opts.view?.zoom,
			fitBoundsOptions: {padding: 20},
			interactive: opts.interactive ?? true,
			attributionControl: {compact: true, customAttribution: ['© GeoBasis-DE / BKG', t('attribution.demo')]},
			transformRequest: opts.api.transformRequest,
			maxZoom: 18,
			minZoom: 5,
			dragRotate: false,
			pitchWithRotate: false,
			canvasContextAttributes: {preserveDrawingBuffer: opts.interactive === false},
		});
		if (opts.interactive !== false) {
			this.map.addControl(new maplibregl.NavigationControl({showCompass: false}), 'top-right');
			this.map.addControl(new maplibregl.ScaleControl({unit: 'metric'}), 'bottom-right');
			this.map.touchZoomRotate.disableRotation();
		}
		this.map.getCanvas().setAttribute('aria-label', t('map.label'));
		// The attribution starts folded (an ⓘ button opens it), so it never covers the map.
		this.map.once('load', () => {
			const attrib = opts.container.querySelector('.maplibregl-ctrl-attrib');
			attrib?.classList.remove('maplibregl-compact-show');
			attrib?.removeAttribute('open');
		});
		this.basemap = new Basemap(this.map, {entries: opts.basemaps ?? [], choice: opts.basemap ?? 'none', onStatus: (s, c) => opts.onBasemap?.(s, c)});
		this.ready = this.addOverlay();
		void this.ready.then(() => this.basemap.show(this.basemap.choice));
	}

	/** basemapSettled resolves when the base map is drawn or the map fell back to our own layers. */
	basemapSettled(): Promise<void> {
		return this.ready.then(() => this.basemap.settled);
	}

	/** whenReady resolves once our sources and layers are on the map. */
	whenReady(): Promise<void> {
		return this.ready;
	}

	private async addOverlay(): Promise<void> {
		const api = this.opts.api;
		const [styleLoaded, districts, ...tileJSONs] = await Promise.all([
			new Promise<void>((resolve) => this.map.once('style.load', () => resolve())),
			api.districts().catch((e) => this.fail('districts', e)),
			...tileCollections.map((c) => api.tileJSON(c).catch((e) => this.fail(c, e))),
		]);
		void styleLoaded;
		const tiles: Record<string, SourceSpecification | undefined> = {};
		tileCollections.forEach((c, i) => {
			const tj = tileJSONs[i] as TileJSON | null;
			if (!tj?.tiles?.length) return;
			if (c === 'parcels') this.parcelTiles = tj;
			tiles[c] = {
				type: 'vector',
				tiles: [c === 'parcels' ? withFilter(tj.tiles[0], this.filter) : tj.tiles[0]],
				minzoom: tj.minzoom ?? 0,
				maxzoom: tj.maxzoom ?? 14,
				bounds: tj.bounds,
				attribution: tj.attribution,
				promoteId: 'id',
			};
		});
		const districtFC = (districts as GeoJSON.FeatureCollection | null) ?? {type: 'FeatureCollection', features: []};
		const labels: GeoJSON.FeatureCollection = {
			type: 'FeatureCollection',
			features: districtFC.features.flatMap((f) => {
				const p = f.geometry && labelPoint(f.geometry);
				const name = label(codes('district'), String(f.properties?.ags ?? '')) || f.properties?.name;
				return p ? [{type: 'Feature', geometry: {type: 'Point', coordinates: p}, properties: {name}} as GeoJSON.Feature] : [];
			}),
		};
		const sources = {...overlaySources(tiles, districtFC, labels), ...workSources()};
		for (const [id, src] of Object.entries(sources)) this.map.addSource(id, src);
		for (const layer of overlayLayers({colorBy: this.opts.colorBy, constraints: this.opts.constraints, has: (s) => s in sources})) {
			this.map.addLayer(layer);
		}
		if (!this.map.hasImage('hatch')) this.map.addImage('hatch', hatchImage());
		const below = this.map.getLayer(ids.selection) ? ids.selection : undefined;
		if (tiles.parcels) for (const layer of internalLayers()) this.map.addLayer(layer, below);
		for (const layer of pastLayers(this.opts.colorBy)) this.map.addLayer(layer, below);
		for (const layer of workLayers()) this.map.addLayer(layer);
		if (this.opts.interactive !== false) this.bindEvents();
		const placeAll = debounce(() => {
			this.placeLabels('municipalities', 'municipality-labels', 9.5);
			this.placeLabels('parcels', 'parcel-labels', 14);
		}, 250);
		this.map.on('sourcedata', (e) => {
			if ((e.sourceId === 'municipalities' || e.sourceId === 'parcels') && e.isSourceLoaded) placeAll();
		});
		this.map.on('moveend', placeAll);
	}

	/**
	 * placeLabels puts one label per feature (by id, or AGS for municipalities) at the centroid of its
	 * largest piece in the loaded tiles: labelling the tiles' polygons directly would repeat a name
	 * in every tile the feature crosses.
	 */
	private placeLabels(source: 'municipalities' | 'parcels', target: string, minZoom: number): void {
		if (this.removed || !this.map.getSource(source) || this.map.getZoom() < minZoom) return;
		const best = new Map<string, {area: number; point: GeoJSON.Position; name: string; key: string}>();
		for (const f of this.map.querySourceFeatures(source, {sourceLayer: source})) {
			const g = f.geometry;
			if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
			const key = String(f.properties?.ags ?? f.properties?.id ?? f.id ?? '');
			const b = bbox(g);
			const area = b ? (b[2] - b[0]) * (b[3] - b[1]) : 0;
			const point = labelPoint(g);
			const prev = best.get(key);
			if (point && (!prev || area > prev.area)) best.set(key, {area, point, key, name: String(f.properties?.name ?? '')});
		}
		(this.map.getSource(target) as maplibregl.GeoJSONSource | undefined)?.setData({
			type: 'FeatureCollection',
			features: [...best.values()].map((v) => ({type: 'Feature', geometry: {type: 'Point', coordinates: v.point}, properties: {name: v.name, key: v.key}})),
		});
	}

	/** showSites draws only the sites holding a parcel of the result (by id), or every site (null). */
	async showSites(siteIds: number[] | null): Promise<void> {
		await this.ready;
		if (this.removed) return;
		for (const id of siteLayerIds) if (this.map.getLayer(id)) this.map.setFilter(id, siteFilter(id, siteIds));
	}

	private fail(what: string, e: unknown): null {
		const msg = e instanceof Error ? e.message : String(e);
		this.opts.onError?.(`${what}: ${msg}`);
		return null;
	}

	private bindEvents(): void {
		const m = this.map;
		const layers = [ids.parcelsFill, ids.parcelsPoint, workIds.pastFill, workIds.pastPoint];
		m.on('mousemove', layers, (e) => {
			const f = e.features?.[0];
			if (!f) return;
			m.getCanvas().style.cursor = 'pointer';
			this.setHover(isCluster(f) ? null : f.id ?? null);
			this.showTooltip(e.point, f);
		});
		m.on('mouseleave', layers, () => {
			m.getCanvas().style.cursor = '';
			this.setHover(null);
			this.hideTooltip();
		});
		m.on('click', layers, (e) => {
			const f = e.features?.[0];
			if (!f) return;
			if (isCluster(f)) {
				m.easeTo({center: e.lngLat, zoom: Math.min(m.getZoom() + 2, 12.5)});
				return;
			}
			const id = f.properties?.id ?? f.id;
			if (id !== undefined && id !== null) this.opts.onParcelClick?.(String(id));
		});
		m.on('moveend', () => this.opts.onMove?.(this.view()));
		const work = [workIds.workMarker, workIds.workPoint, workIds.workFill];
		m.on('click', work, (e) => {
			const f = e.features?.[0];
			if (f) this.opts.onWorkClick?.({...f.properties});
		});
		m.on('mouseenter', work, () => (m.getCanvas().style.cursor = 'pointer'));
		m.on('mouseleave', work, () => (m.getCanvas().style.cursor = ''));
	}

	private showTooltip(point: {x: number; y: number}, f: MapGeoJSONFeature): void {
		if (!this.tooltip) {
			this.tooltip = document.createElement('div');
			this.tooltip.className = 'map-tooltip';
			this.tooltip.setAttribute('aria-hidden', 'true');
			this.map.getContainer().append(this.tooltip);
		}
		const p = f.properties ?? {};
		const area = typeof p.net_area_ha === 'number' ? `${ha(p.net_area_ha)} ha` : '';
		this.tooltip.textContent = isCluster(f)
			? `${t('map.cluster', {n: num(p.count, 0)})}${area ? ` · ${area}` : ''}`
			: `${p.name ?? ''}${area ? ` · ${area}` : ''}`;
		this.tooltip.style.transform = `translate(${Math.round(point.x + 12)}px, ${Math.round(point.y + 12)}px)`;
		this.tooltip.hidden = false;
	}

	private hideTooltip(): void {
		if (this.tooltip) this.tooltip.hidden = true;
	}

	/** view is the current camera. */
	view(): View {
		const c = this.map.getCenter();
		return {center: [c.lng, c.lat], zoom: this.map.getZoom()};
	}

	/** setFilter puts the parcel tiles on a new CQL2 filter. */
	setFilter(cql: string): void {
		if (cql === this.filter) return;
		this.filter = cql;
		const src = this.map.getSource('parcels') as maplibregl.VectorTileSource | undefined;
		if (src && this.parcelTiles) {
			this.hoverId = null;
			src.setTiles([withFilter(this.parcelTiles.tiles[0], cql)]);
		}
	}

	/** setColorBy recolours the parcels. */
	setColorBy(by: ColorBy): void {
		this.opts.colorBy = by;
		if (this.map.getLayer(ids.parcelsFill)) this.map.setPaintProperty(ids.parcelsFill, 'fill-color', parcelColor(by));
		if (this.map.getLayer(ids.parcelsPoint)) this.map.setPaintProperty(ids.parcelsPoint, 'circle-color', parcelColor(by));
		if (this.map.getLayer(workIds.pastFill)) this.map.setPaintProperty(workIds.pastFill, 'fill-color', parcelColor(by));
		if (this.map.getLayer(workIds.pastPoint)) this.map.setPaintProperty(workIds.pastPoint, 'circle-color', parcelColor(by));
	}

	/**
	 * showPast draws the parcels of a past date (from the features API) instead of the tiles, or
	 * (null) returns to the tiles. Tiles know only the current state; the features API knows every
	 * state, so a past date is drawn from GeoJSON: polygons from zoom 11, their label points below.
	 */
	async showPast(fc: GeoJSON.FeatureCollection | null): Promise<void> {
		await this.ready;
		if (this.removed) return;
		this.past = fc !== null;
		const points: GeoJSON.FeatureCollection = {
			type: 'FeatureCollection',
			features: (fc?.features ?? []).flatMap((f) => {
				const p = f.geometry && labelPoint(f.geometry);
				return p ? [{type: 'Feature', id: f.id, geometry: {type: 'Point', coordinates: p}, properties: f.properties} as GeoJSON.Feature] : [];
			}),
		};
		(this.map.getSource('past') as maplibregl.GeoJSONSource | undefined)?.setData(fc ?? {type: 'FeatureCollection', features: []});
		(this.map.getSource('past-points') as maplibregl.GeoJSONSource | undefined)?.setData(points);
		for (const id of tileParcelLayers) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', this.past ? 'none' : 'visible');
		for (const id of [workIds.pastFill, workIds.pastInternal, workIds.pastLine, workIds.pastPoint]) {
			if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', this.past ? 'visible' : 'none');
		}
	}

	/** showingPast says whether the map draws a past date. */
	showingPast(): boolean {
		return this.past;
	}

	/**
	 * setWork draws the workspace overlay: areas (property kind: figure, result, site, member, new,
	 * changed, ended, error) and numbered markers (kind, label). fit moves the camera to them.
	 */
	async setWork(areas: GeoJSON.Feature[], markers: GeoJSON.Feature[] = [], fit = false): Promise<void> {
		await this.ready;
		if (this.removed) return;
		const points = areas.flatMap((f) => {
			const p = f.geometry && labelPoint(f.geometry);
			return p ? [{type: 'Feature', geometry: {type: 'Point', coordinates: p}, properties: f.properties} as GeoJSON.Feature] : [];
		});
		(this.map.getSource('work') as maplibregl.GeoJSONSource | undefined)?.setData({type: 'FeatureCollection', features: areas});
		(this.map.getSource('work-points') as maplibregl.GeoJSONSource | undefined)?.setData({type: 'FeatureCollection', features: points});
		(this.map.getSource('work-markers') as maplibregl.GeoJSONSource | undefined)?.setData({type: 'FeatureCollection', features: markers});
		this.dim(areas.length + markers.length > 0);
		if (fit) {
			const b = bbox(...areas.map((f) => f.geometry), ...markers.map((f) => f.geometry));
			if (b) this.map.fitBounds(b, {padding: 50, maxZoom: 15, duration: 500});
		}
	}

	/** dim draws the parcels paler (or as before), so that the workspace overlay stands out. */
	private dim(on: boolean): void {
		for (const [id, prop] of dimmable) {
			if (!this.map.getLayer(id)) continue;
			if (on && !this.dimmed.has(id)) {
				this.dimmed.set(id, this.map.getPaintProperty(id, prop));
				this.map.setPaintProperty(id, prop, 0.3);
			} else if (!on && this.dimmed.has(id)) {
				this.map.setPaintProperty(id, prop, this.dimmed.get(id) as number);
				this.dimmed.delete(id);
			}
		}
	}

	/** refreshTiles asks for the TileJSONs again and reloads every tile source: after signing in or out. */
	async refreshTiles(): Promise<void> {
		await this.ready;
		for (const c of tileCollections) {
			const src = this.map.getSource(c) as maplibregl.VectorTileSource | undefined;
			if (!src) continue;
			const tj = await this.opts.api.tileJSON(c).catch((e) => this.fail(c, e));
			if (!tj?.tiles?.length) continue;
			if (c === 'parcels') this.parcelTiles = tj;
			src.setTiles([c === 'parcels' ? withFilter(tj.tiles[0], this.filter) : tj.tiles[0]]);
		}
	}

	/** setConstraints shows or hides the constraint areas. */
	setConstraints(on: boolean): void {
		this.opts.constraints = on;
		for (const id of [ids.constraintsFill, ids.constraintsLine]) {
			if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
		}
	}

	/** setHover highlights one parcel (by id) or none. */
	setHover(id: string | number | null): void {
		if (id === this.hoverId) return;
		const target = {source: 'parcels', sourceLayer: 'parcels'};
		if (this.hoverId !== null && this.map.getSource('parcels')) this.map.setFeatureState({...target, id: this.hoverId}, {hover: false});
		this.hoverId = id;
		if (id !== null && this.map.getSource('parcels')) this.map.setFeatureState({...target, id: typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id}, {hover: true});
	}

	/** select outlines a parcel's geometry (from the API, so it shows even when filtered out). */
	async select(geometry: GeoJSON.Geometry | null): Promise<void> {
		await this.ready;
		const src = this.map.getSource('selection') as maplibregl.GeoJSONSource | undefined;
		src?.setData({type: 'FeatureCollection', features: geometry ? [{type: 'Feature', geometry, properties: {}}] : []});
	}

	/** showGeometry moves the camera to a geometry unless it is already well in view. */
	showGeometry(geometry: GeoJSON.Geometry, opts: {maxZoom?: number; padding?: number; force?: boolean; animate?: boolean} = {}): void {
		const b = bbox(geometry);
		if (!b) return;
		const bounds = this.map.getBounds();
		const inView = bounds.contains([b[0], b[1]]) && bounds.contains([b[2], b[3]]) && this.map.getZoom() >= 12;
		if (inView && !opts.force) return;
		this.map.fitBounds(b, {padding: opts.padding ?? 60, maxZoom: opts.maxZoom ?? 15, animate: opts.animate ?? true, duration: 600});
	}

	/** fitBBox moves the camera to a bounding box. */
	fitBBox(b: BBox, animate = true): void {
		this.map.fitBounds(b, {padding: 30, maxZoom: 14, animate, duration: 600});
	}

	/** renderedParcelIds lists the ids of the single parcels drawn right now (clusters have none). */
	renderedParcelIds(): string[] {
		if (!this.map.getLayer(ids.parcelsFill)) return [];
		const drawn = this.map.queryRenderedFeatures({layers: [ids.parcelsFill, ids.parcelsPoint]});
		return [...new Set(drawn.filter((f) => !isCluster(f)).map((f) => String(f.properties?.id ?? f.id)))];
	}

	/** resize tells MapLibre its container changed size. */
	resize(): void {
		this.map.resize();
	}

	remove(): void {
		this.removed = true;
		this.map.remove();
	}
}

/** isCluster tells a group of crowded parcels (drawn as one point below zoom 12) from a parcel. */
export function isCluster(f: MapGeoJSONFeature): boolean {
	return Number(f.properties?.count ?? 1) > 1;
}
