// The sources and layers landatlas draws: its own base map (districts, municipalities), sites,
// parcels, infrastructure and constraints. Labels need no glyph server: the default style has no
// `glyphs` URL, so MapLibre draws every label locally with TinySDF from the browser's own sans-serif
// font; an external base map is added into this style (basemap.ts), so its labels are drawn the same way.
import type {ExpressionSpecification, LayerSpecification, SourceSpecification} from 'maplibre-gl';
import type {ColorBy} from '../state.ts';
import {baseColors, constraintColors, infrastructureColors, infrastructureSymbols, parcelColors} from './colors.ts';

/** Font stacks: names common glyph servers know; locally they select weight, the family falls back to sans-serif. */
export const fontRegular = ['Open Sans Regular', 'Arial Unicode MS Regular'];
export const fontBold = ['Open Sans Bold', 'Arial Unicode MS Bold'];

/** parcelColor is the fill colour expression of a scheme. */
export function parcelColor(by: ColorBy): ExpressionSpecification {
	const pairs = Object.entries(parcelColors[by]).flat();
	return ['match', ['get', by], ...pairs, '#bdbdbd'] as unknown as ExpressionSpecification;
}

const kindColor = ['match', ['get', 'kind'], ...Object.entries(infrastructureColors).flat(), '#555555'] as unknown as ExpressionSpecification;
const kindSymbol = ['match', ['get', 'kind'], ...Object.entries(infrastructureSymbols).flat(), '●'] as unknown as ExpressionSpecification;

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

/** Layer ids the app and its tests refer to. */
export const ids = {
	parcelsFill: 'parcels-fill',
	parcelsLine: 'parcels-line',
	parcelsPoint: 'parcels-point',
	sitesLine: 'sites-line',
	selection: 'selection-line',
	constraintsFill: 'constraints-fill',
	constraintsLine: 'constraints-line',
	infrastructure: 'infrastructure-circle',
};

/**
 * ownBaseLayerIds are the layers of our own base map (the land outside and inside the region): shown
 * whenever no external base map draws; the boundaries, names and infrastructure above them always show.
 */
export const ownBaseLayerIds = ['background', 'region-fill'];

/** ownBaseLayers is the start of our own style, under everything else. */
export function ownBaseLayers(): LayerSpecification[] {
	return [
		{id: 'background', type: 'background', paint: {'background-color': baseColors.outside}},
	];
}

/** siteLayerIds are the layers that draw sites: circles below zoom 10, areas and outlines above. */
export const siteLayerIds = ['sites-point', 'sites-fill', 'sites-line'] as const;

/**
 * siteFilter is the filter of a site layer: its geometry type and, when the parcels are filtered,
 * only the sites holding a matching parcel (by id; groups of crowded sites have none and go too).
 */
export function siteFilter(layer: typeof siteLayerIds[number], siteIds: number[] | null): ExpressionSpecification {
	const geometry: ExpressionSpecification = layer === 'sites-point' ? ['==', ['geometry-type'], 'Point'] : ['!=', ['geometry-type'], 'Point'];
	if (!siteIds) return geometry;
	return ['all', geometry, ['in', ['to-number', ['coalesce', ['get', 'id'], -1]], ['literal', siteIds]]];
}

/** overlaySources are the data sources of everything landatlas draws. */
export function overlaySources(tiles: Record<string, SourceSpecification | undefined>, districts: GeoJSON.FeatureCollection, labels: GeoJSON.FeatureCollection): Record<string, SourceSpecification> {
	const out: Record<string, SourceSpecification> = {
		districts: {type: 'geojson', data: districts, attribution: '© GeoBasis-DE / BKG'},
		'district-labels': {type: 'geojson', data: labels},
		'municipality-labels': {type: 'geojson', data: {type: 'FeatureCollection', features: []}},
		'parcel-labels': {type: 'geojson', data: {type: 'FeatureCollection', features: []}},
		selection: {type: 'geojson', data: {type: 'FeatureCollection', features: []}},
	};
	for (const [id, src] of Object.entries(tiles)) if (src) out[id] = src;
	return out;
}

/** overlayLayers are our layers, bottom to top; layers of missing sources are left out. */
export function overlayLayers(opts: {colorBy: ColorBy; constraints: boolean; has: (source: string) => boolean}): LayerSpecification[] {
	const layers: LayerSpecification[] = [];
	const add = (source: string, ...ls: LayerSpecification[]) => {
		if (opts.has(source)) layers.push(...ls);
	};
	add('districts', {id: 'region-fill', type: 'fill', source: 'districts', paint: {'fill-color': baseColors.region}});
	const constraintsVisibility = opts.constraints ? 'visible' : 'none';
	add('constraints',
		{
			id: ids.constraintsFill, type: 'fill', source: 'constraints', 'source-layer': 'constraints',
			layout: {visibility: constraintsVisibility},
			paint: {
				'fill-color': ['match', ['get', 'severity'], 'severe', constraintColors.severe, constraintColors.minor],
				'fill-opacity': 0.18,
			},
		},
		{
			id: ids.constraintsLine, type: 'line', source: 'constraints', 'source-layer': 'constraints',
			layout: {visibility: constraintsVisibility},
			paint: {
				'line-color': ['match', ['get', 'severity'], 'severe', constraintColors.severe, constraintColors.minor],
				'line-width': 1, 'line-dasharray': [3, 2],
			},
		},
	);
	add('municipalities', {
		id: 'municipalities-line', type: 'line', source: 'municipalities', 'source-layer': 'municipalities', minzoom: 8,
		paint: {'line-color': baseColors.municipalityLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.4, 12, 1.2], 'line-dasharray': [4, 2]},
	});
	add('districts', {
		id: 'districts-line', type: 'line', source: 'districts',
		paint: {'line-color': baseColors.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1, 12, 2.5]},
	});
	// Below zoom 10 (sites) and 12 (parcels) the tiles hold points, clustered where they crowd:
	// a cluster has count > 1 and the values its members share.
	const point: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
	const polygon: ExpressionSpecification = ['!=', ['geometry-type'], 'Point'];
	const cluster: ExpressionSpecification = ['>', ['coalesce', ['get', 'count'], 1], 1];
	add('sites',
		{
			id: 'sites-point', type: 'circle', source: 'sites', 'source-layer': 'sites', filter: siteFilter('sites-point', null),
			paint: {
				'circle-color': 'rgba(0,0,0,0)',
				'circle-radius': ['interpolate', ['linear'], ['sqrt', ['coalesce', ['get', 'gross_area_ha'], 1]], 1, 4, 10, 12, 30, 22],
				'circle-stroke-color': baseColors.siteLine, 'circle-stroke-width': 0.8, 'circle-stroke-opacity': 0.35,
			},
		},
		{
			id: 'sites-fill', type: 'fill', source: 'sites', 'source-layer': 'sites', maxzoom: 13, filter: siteFilter('sites-fill', null),
			paint: {'fill-color': baseColors.siteLine, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.08, 12, 0.03]},
		},
		{
			id: ids.sitesLine, type: 'line', source: 'sites', 'source-layer': 'sites', filter: siteFilter('sites-line', null),
			paint: {'line-color': baseColors.siteLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 14, 2], 'line-dasharray': [2, 1]},
		},
	);
	add('parcels',
		{
			id: ids.parcelsFill, type: 'fill', source: 'parcels', 'source-layer': 'parcels', filter: polygon,
			paint: {
				'fill-color': parcelColor(opts.colorBy),
				'fill-opacity': ['case', hovered, 0.95, 0.75],
			},
		},
		{
			id: ids.parcelsLine, type: 'line', source: 'parcels', 'source-layer': 'parcels', filter: polygon,
			paint: {
				'line-color': ['case', hovered, baseColors.hover, baseColors.parcelLine],
				'line-width': ['interpolate', ['linear'], ['zoom'], 12, ['case', hovered, 3, 0.5], 15, ['case', hovered, 3, 1]],
			},
		},
		{
			id: ids.parcelsPoint, type: 'circle', source: 'parcels', 'source-layer': 'parcels', filter: point,
			paint: {
				'circle-color': parcelColor(opts.colorBy),
				'circle-opacity': 0.9,
				// The area shows: radius grows with the square root of the (summed) net area.
				'circle-radius': ['max', ['case', cluster, 8, 3], ['interpolate', ['linear'], ['sqrt', ['coalesce', ['get', 'net_area_ha'], 1]], 0, 3, 3, 5, 10, 11, 25, 18]],
				'circle-stroke-color': ['case', hovered, baseColors.hover, cluster, '#333333', '#ffffff'],
				'circle-stroke-width': ['case', hovered, 3, cluster, 1.5, 1],
			},
		},
		{
			id: 'parcels-cluster-label', type: 'symbol', source: 'parcels', 'source-layer': 'parcels', filter: ['all', point, cluster],
			layout: {'text-field': ['to-string', ['get', 'count']], 'text-font': fontBold, 'text-size': 11, 'text-allow-overlap': true},
			paint: {'text-color': '#ffffff', 'text-halo-color': '#333333', 'text-halo-width': 1.2},
		},
	);
	add('selection', {
		id: ids.selection, type: 'line', source: 'selection',
		paint: {'line-color': baseColors.selection, 'line-width': 4},
	});
	add('infrastructure',
		{
			id: ids.infrastructure, type: 'symbol', source: 'infrastructure', 'source-layer': 'infrastructure',
			filter: ['any', ['!=', ['get', 'kind'], 'rail_station'], ['>=', ['zoom'], 10]],
			layout: {
				'text-field': kindSymbol, 'text-font': fontRegular,
				'text-size': ['interpolate', ['linear'], ['zoom'], 7, ['match', ['get', 'kind'], 'airport', 22, 'rail_station', 10, 15], 13, ['match', ['get', 'kind'], 'rail_station', 14, 24]],
				'text-allow-overlap': true, 'text-ignore-placement': true,
			},
			paint: {'text-color': kindColor, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5},
		},
		{
			id: 'infrastructure-label', type: 'symbol', source: 'infrastructure', 'source-layer': 'infrastructure', minzoom: 11,
			filter: ['!=', ['get', 'kind'], 'rail_station'],
			layout: {
				'text-field': ['get', 'name'], 'text-font': fontRegular, 'text-size': 11,
				'text-offset': [0, 1.2], 'text-anchor': 'top', 'text-optional': true, 'text-max-width': 10,
			},
			paint: {'text-color': kindColor, 'text-halo-color': baseColors.halo, 'text-halo-width': 1.5},
		},
	);
	add('municipality-labels', {
		id: 'municipalities-label', type: 'symbol', source: 'municipality-labels', minzoom: 10,
		layout: {
			'text-field': ['get', 'name'], 'text-font': fontRegular,
			'text-size': ['interpolate', ['linear'], ['zoom'], 10, 11, 14, 14], 'text-max-width': 8, 'symbol-placement': 'point',
		},
		paint: {'text-color': '#555555', 'text-halo-color': baseColors.halo, 'text-halo-width': 1.5},
	});
	// One label per parcel: placed from the loaded tiles (AtlasMap.placeLabels), since labelling the
	// tiles' polygons would repeat a name in every tile a parcel crosses.
	add('parcel-labels', {
		id: 'parcels-label', type: 'symbol', source: 'parcel-labels', minzoom: 14,
		layout: {'text-field': ['get', 'name'], 'text-font': fontRegular, 'text-size': 11, 'text-max-width': 8, 'text-optional': true},
		paint: {'text-color': baseColors.label, 'text-halo-color': baseColors.halo, 'text-halo-width': 1.5},
	});
	add('district-labels', {
		id: 'districts-label', type: 'symbol', source: 'district-labels', maxzoom: 11,
		layout: {
			'text-field': ['get', 'name'], 'text-font': fontBold,
			'text-size': ['interpolate', ['linear'], ['zoom'], 7, 12, 10, 16], 'text-max-width': 8,
			'text-transform': 'uppercase', 'text-letter-spacing': 0.05,
		},
		paint: {'text-color': '#333333', 'text-halo-color': baseColors.halo, 'text-halo-width': 2},
	});
	return layers;
}
