// The external base map under our layers: basemap.de by default (the server's config lists the
// entries of the layer switch: map, grey, aerial). Our own style is always the map's style, so the
// map is never blank: the external style's sources and layers are fetched and added below ours
// (ids prefixed "bm-"), and taken away again when it cannot be fetched or draws no tile within a
// few seconds, in which case our own base layers stay and the switch says so.
import type * as maplibregl from 'maplibre-gl';
import type {LayerSpecification, SourceSpecification, StyleSpecification} from 'maplibre-gl';
import {ownBaseLayerIds} from './layers.ts';

/** BasemapEntry is one external base map of the server's config. */
export interface BasemapEntry {
	id: 'map' | 'grey' | 'aerial';
	style: string;
}

/** BasemapChoice is an entry of the layer switch; none draws only our own layers. */
export type BasemapChoice = BasemapEntry['id'] | 'none';

/** BasemapStatus is what the map shows: our own base layers, the external map loading, drawn, or given up on. */
export type BasemapStatus = 'own' | 'loading' | 'external' | 'fallback';

/**
 * styleTimeoutMs is how long the external style may take to arrive; tileTimeoutMs how long its first
 * tile may take after that. A source that reports an error before any tile arrived ends it at once.
 */
export const styleTimeoutMs = 4000;
export const tileTimeoutMs = 10000;

const prefix = 'bm-';
const attribution = '© GeoBasis-DE / BKG';

/** isRasterTemplate tells a raster tile URL template (drawn as one raster layer) from a style URL. */
export function isRasterTemplate(url: string): boolean {
	return /\{(z|bbox-epsg-3857|quadkey)\}/.test(url);
}

/** rasterStyle is the style of one raster tile template. */
export function rasterStyle(template: string): StyleSpecification {
	return {
		version: 8,
		sources: {aerial: {type: 'raster', tiles: [template], tileSize: 256, attribution, maxzoom: 19}},
		layers: [{id: 'aerial', type: 'raster', source: 'aerial'}],
	};
}

/** absolute resolves the relative URLs a style may hold against the style's own URL. */
function absolute(url: string | undefined, base: string): string | undefined {
	if (!url || /^[a-z]+:\/\//i.test(url) || url.startsWith('mapbox:')) return url;
	return new URL(url, base).toString();
}

/** fetchStyle loads an external style JSON (or builds the raster style), within the signal. */
export async function fetchStyle(entry: BasemapEntry, signal: AbortSignal): Promise<StyleSpecification> {
	if (isRasterTemplate(entry.style)) return rasterStyle(entry.style);
	const res = await fetch(entry.style, {signal, credentials: 'omit'});
	if (!res.ok) throw new Error(`${entry.style}: ${res.status}`);
	const style = (await res.json()) as StyleSpecification;
	if (style?.version !== 8 || !style.sources || !Array.isArray(style.layers)) throw new Error(`${entry.style}: not a MapLibre style`);
	for (const src of Object.values(style.sources) as (SourceSpecification & {url?: string; tiles?: string[]})[]) {
		if (src.url) src.url = absolute(src.url, entry.style);
		if (src.tiles) src.tiles = src.tiles.map((t) => absolute(t, entry.style)!);
	}
	if (typeof style.sprite === 'string') style.sprite = absolute(style.sprite, entry.style);
	return style;
}

/**
 * prefixed renames an external style's sources and layers so they cannot clash with ours. Its
 * glyphs are not used: our style has none, so every label (ours and the base map's) is drawn
 * locally from the browser's sans-serif font, and no font request leaves for another server.
 */
export function prefixed(style: StyleSpecification): {sources: Record<string, SourceSpecification>; layers: LayerSpecification[]} {
	const sources: Record<string, SourceSpecification> = {};
	for (const [id, src] of Object.entries(style.sources)) sources[prefix + id] = src;
	const layers = style.layers.map((l) => {
		const out = {...l, id: prefix + l.id} as LayerSpecification & {source?: string};
		if ('source' in l && typeof l.source === 'string') out.source = prefix + l.source;
		return out as LayerSpecification;
	});
	return {sources, layers};
}

export interface BasemapOptions {
	entries: BasemapEntry[];
	/** choice is drawn once show() is first called. */
	choice: BasemapChoice;
	/** Called when what the map shows changes. */
	onStatus: (status: BasemapStatus, choice: BasemapChoice) => void;
}

/** Basemap puts an external base map under our layers and switches between the entries. */
export class Basemap {
	choice: BasemapChoice;
	status: BasemapStatus = 'own';
	private controller: AbortController | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private generation = 0;
	/** settled resolves when the current choice is drawn or given up on (for tests and the exposé). */
	settled: Promise<void> = Promise.resolve();

	constructor(private map: maplibregl.Map, private opts: BasemapOptions) {
		this.choice = opts.choice;
		// Errors of the base map's sources are ours to handle (fall back); others are logged as before.
		map.on('error', (e) => {
			const ev = e as unknown as {error?: Error; sourceId?: string};
			if (ev.sourceId?.startsWith(prefix)) return;
			console.error(ev.error ?? ev);
		});
	}

	/** entry is the config entry of a choice, if the server offers it. */
	entry(choice: BasemapChoice): BasemapEntry | undefined {
		return this.opts.entries.find((e) => e.id === choice);
	}

	/** show draws a choice (or our own layers for none); it resolves when drawn or given up on. */
	show(choice: BasemapChoice): Promise<void> {
		this.choice = choice;
		const gen = ++this.generation;
		this.controller?.abort();
		if (this.timer) clearTimeout(this.timer);
		this.remove();
		const entry = this.entry(choice);
		if (!entry) {
			this.setStatus('own');
			this.settled = Promise.resolve();
			return this.settled;
		}
		this.setStatus('loading');
		const ctl = new AbortController();
		this.controller = ctl;
		this.settled = new Promise<void>((resolve) => {
			const giveUp = () => {
				if (gen !== this.generation) return resolve();
				ctl.abort();
				this.remove();
				this.setStatus('fallback');
				resolve();
			};
			this.timer = setTimeout(giveUp, styleTimeoutMs);
			fetchStyle(entry, ctl.signal).then((style) => {
				if (gen !== this.generation) return resolve();
				if (this.timer) clearTimeout(this.timer);
				this.timer = setTimeout(giveUp, tileTimeoutMs);
				this.add(style, gen, (ok) => {
					if (this.timer) clearTimeout(this.timer);
					if (!ok) return giveUp();
					this.setStatus('external');
					resolve();
				});
			}, giveUp);
		});
		return this.settled;
	}

	/** add puts the style under our layers; done tells whether its first tile arrived (or an error came first). */
	private add(style: StyleSpecification, gen: number, done: (ok: boolean) => void): void {
		const m = this.map;
		const {sources, layers} = prefixed(style);
		const before = m.getStyle().layers.find((l) => !ownBaseLayerIds.includes(l.id) && !l.id.startsWith(prefix))?.id;
		for (const [id, src] of Object.entries(sources)) m.addSource(id, src);
		for (const layer of layers) m.addLayer(layer, before);
		if (typeof style.sprite === 'string') m.setSprite(style.sprite);
		const settle = (ok: boolean) => {
			m.off('sourcedata', onData);
			m.off('error', onError);
			if (gen === this.generation) done(ok);
		};
		const onData = (e: maplibregl.MapSourceDataEvent) => {
			if (e.sourceId?.startsWith(prefix) && e.tile) settle(true);
		};
		const onError = (e: unknown) => {
			if ((e as {sourceId?: string}).sourceId?.startsWith(prefix)) settle(false);
		};
		m.on('sourcedata', onData);
		m.on('error', onError);
	}

	private remove(): void {
		const m = this.map;
		const style = m.getStyle();
		if (!style) return;
		for (const l of style.layers) if (l.id.startsWith(prefix)) m.removeLayer(l.id);
		for (const id of Object.keys(style.sources)) if (id.startsWith(prefix)) m.removeSource(id);
	}

	private setStatus(status: BasemapStatus): void {
		this.status = status;
		// Our own base layers stay until the external map draws, so the map is never blank.
		const own = status !== 'external';
		for (const id of ownBaseLayerIds) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', own ? 'visible' : 'none');
		this.opts.onStatus(status, this.choice);
	}
}
