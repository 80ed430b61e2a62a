// The layers signed-in users add to the map: internal parcels hatched, the parcels of a past date
// (GeoJSON from the features API, since tiles show only the current state), and the workspace
// overlay that draws a study figure's parcels, ranked search results with numbered markers,
// merged large sites over their member parcels, and an upload's changes and problems.
import type {ExpressionSpecification, LayerSpecification, SourceSpecification} from 'maplibre-gl';
import type {ColorBy} from '../state.ts';
import {baseColors} from './colors.ts';
import {fontBold, parcelColor} from './layers.ts';

/** internalColor marks internal records (hatching, dashed outlines, badges). */
export const internalColor = '#5b2a86';

/** workColors are the colours of the workspace overlay by feature kind. */
export const workColors: Record<string, string> = {
	figure: '#0b57d0',
	result: '#0b57d0',
	site: '#6a3d9a',
	member: '#b28ad6',
	new: '#1a7f37',
	changed: '#e8772e',
	ended: '#b3261e',
	error: '#d81b60',
	none: '#7a7a7a',
};

/** hatchImage is an 8×8 diagonal hatching for fill-pattern: no sprite needed. */
export function hatchImage(): {width: number; height: number; data: Uint8Array} {
	const size = 8;
	const data = new Uint8Array(size * size * 4);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const on = (x + y) % size < 2;
			const i = (y * size + x) * 4;
			data.set(on ? [0x5b, 0x2a, 0x86, 190] : [255, 255, 255, 0], i);
		}
	}
	return {width: size, height: size, data};
}

const internal: ExpressionSpecification = ['==', ['get', 'publication'], 'internal'];
const polygon: ExpressionSpecification = ['!=', ['geometry-type'], 'Point'];
const point: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];

/** ids of the layers of this file. */
export const workIds = {
	internalFill: 'parcels-internal',
	internalLine: 'parcels-internal-line',
	pastFill: 'past-fill',
	pastLine: 'past-line',
	pastInternal: 'past-internal',
	pastPoint: 'past-point',
	workFill: 'work-fill',
	workLine: 'work-line',
	workLineDashed: 'work-line-dashed',
	workPoint: 'work-point',
	workMarker: 'work-marker',
	workMarkerLabel: 'work-marker-label',
};

/** dimmable are the parcel layers (and their opacity property) drawn paler under the workspace overlay. */
export const dimmable: [string, 'fill-opacity' | 'circle-opacity'][] = [
	['parcels-fill', 'fill-opacity'], ['parcels-point', 'circle-opacity'], ['past-fill', 'fill-opacity'], ['past-point', 'circle-opacity'],
];

/** The tile layers a past date hides (it draws its own instead). */
export const tileParcelLayers = ['parcels-fill', 'parcels-line', 'parcels-point', 'parcels-cluster-label', 'parcels-label', workIds.internalFill, workIds.internalLine];

/** internalLayers mark internal parcels of the tiles: hatched over their colour, with a dashed outline. */
export function internalLayers(): LayerSpecification[] {
	return [
		{
			id: workIds.internalFill, type: 'fill', source: 'parcels', 'source-layer': 'parcels', filter: ['all', polygon, internal],
			paint: {'fill-pattern': 'hatch'},
		},
		{
			id: workIds.internalLine, type: 'line', source: 'parcels', 'source-layer': 'parcels', filter: ['all', polygon, internal],
			paint: {'line-color': internalColor, 'line-width': 2, 'line-dasharray': [2, 1.5]},
		},
	];
}

const empty: GeoJSON.FeatureCollection = {type: 'FeatureCollection', features: []};

/** workSources are the GeoJSON sources of the past state and of the workspace overlay. */
export function workSources(): Record<string, SourceSpecification> {
	return {
		past: {type: 'geojson', data: empty, promoteId: 'id'},
		'past-points': {type: 'geojson', data: empty, promoteId: 'id'},
		work: {type: 'geojson', data: empty},
		'work-points': {type: 'geojson', data: empty},
		'work-markers': {type: 'geojson', data: empty},
	};
}

/** pastLayers draw the parcels of a past date: polygons from zoom 11, points below. */
export function pastLayers(colorBy: ColorBy): LayerSpecification[] {
	return [
		{id: workIds.pastFill, type: 'fill', source: 'past', minzoom: 11, layout: {visibility: 'none'}, paint: {'fill-color': parcelColor(colorBy), 'fill-opacity': 0.75}},
		{id: workIds.pastInternal, type: 'fill', source: 'past', minzoom: 11, filter: internal, layout: {visibility: 'none'}, paint: {'fill-pattern': 'hatch'}},
		{
			id: workIds.pastLine, type: 'line', source: 'past', minzoom: 11, layout: {visibility: 'none'},
			paint: {'line-color': ['case', internal, internalColor, baseColors.parcelLine], 'line-width': ['case', internal, 2, 0.8]},
		},
		{
			id: workIds.pastPoint, type: 'circle', source: 'past-points', maxzoom: 11, layout: {visibility: 'none'},
			paint: {
				'circle-color': parcelColor(colorBy),
				'circle-radius': ['interpolate', ['linear'], ['sqrt', ['coalesce', ['get', 'net_area_ha'], 1]], 0, 3, 3, 5, 10, 9],
				'circle-stroke-color': ['case', internal, internalColor, '#ffffff'], 'circle-stroke-width': ['case', internal, 2, 1],
			},
		},
	];
}

// Merged sites and ended parcels are outlined dashed: neither is a parcel as it will be.
const dashed: ExpressionSpecification = ['in', ['get', 'kind'], ['literal', ['site', 'ended']]];

const kindColor = ['match', ['get', 'kind'], ...Object.entries(workColors).flat(), '#0b57d0'] as unknown as ExpressionSpecification;

/** workLayers draw the workspace overlay above the parcels. */
export function workLayers(): LayerSpecification[] {
	return [
		{
			id: workIds.workFill, type: 'fill', source: 'work', filter: polygon,
			paint: {'fill-color': kindColor, 'fill-opacity': ['match', ['get', 'kind'], 'site', 0.08, 'member', 0.35, 'ended', 0.25, 0.3]},
		},
		{
			id: workIds.workLine, type: 'line', source: 'work', filter: ['all', polygon, ['!', dashed]],
			paint: {'line-color': kindColor, 'line-width': ['match', ['get', 'kind'], 'error', 4, 'member', 1.5, 2.5]},
		},
		{
			id: workIds.workLineDashed, type: 'line', source: 'work', filter: ['all', polygon, dashed],
			paint: {'line-color': kindColor, 'line-width': ['match', ['get', 'kind'], 'site', 4, 2.5], 'line-dasharray': [2, 1]},
		},
		// Below zoom 12 parcels are specks: each area of the overlay is also a dot at its label point.
		{
			id: workIds.workPoint, type: 'circle', source: 'work-points', maxzoom: 12, filter: ['!=', ['get', 'kind'], 'site'],
			paint: {'circle-color': kindColor, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 6, 3, 11, 6], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5},
		},
		{
			id: workIds.workMarker, type: 'circle', source: 'work-markers', filter: point,
			paint: {
				'circle-color': kindColor, 'circle-radius': 11, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
			},
		},
		{
			id: workIds.workMarkerLabel, type: 'symbol', source: 'work-markers', filter: point,
			layout: {'text-field': ['to-string', ['get', 'label']], 'text-font': fontBold, 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true},
			paint: {'text-color': '#ffffff'},
		},
	];
}
