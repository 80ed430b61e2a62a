// Colours of the map and its legend. The parcel schemes are distinguishable with the common colour
// vision deficiencies (ColorBrewer-derived, checked for order by lightness) and each is drawn with a
// dark outline, so that no information rests on hue alone.
import type {ColorBy} from '../state.ts';

export const parcelColors: Record<ColorBy, Record<string, string>> = {
	availability: {
		now: '#1a7f37',
		short_term: '#7fbf3f',
		medium_term: '#f2c12e',
		long_term: '#e8772e',
		not_available: '#9a9a9a',
	},
	use_type: {
		GI: '#6a3d9a',
		GIe: '#b28ad6',
		GE: '#1f78b4',
		GEe: '#8ec5ea',
		SO: '#e8772e',
		MI: '#a6761d',
	},
	planning_status: {
		in_force: '#1a7f37',
		built_up_area: '#4b8fd1',
		in_preparation: '#9dd36a',
		land_use_plan: '#f2c12e',
		none: '#c0392b',
	},
};

export const infrastructureColors: Record<string, string> = {
	motorway_junction: '#1f4e9c',
	rail_freight_terminal: '#b3261e',
	rail_station: '#6b6b6b',
	airport: '#00838f',
	inland_port: '#5e35b1',
};

/** infrastructureSymbols are drawn as text glyphs, so they need no sprite and differ in shape from parcel points. */
export const infrastructureSymbols: Record<string, string> = {
	motorway_junction: '◆',
	rail_freight_terminal: '■',
	rail_station: '●',
	airport: '✈',
	inland_port: '⚓',
};

export const constraintColors = {severe: '#c0392b', minor: '#e6a23c'};

export const baseColors = {
	background: '#eef0ea',
	outside: '#e2e4de',
	region: '#fbfbf8',
	districtLine: '#4a4a4a',
	municipalityLine: '#9a9a9a',
	siteLine: '#2b2b2b',
	parcelLine: '#333333',
	selection: '#0b57d0',
	hover: '#111111',
	label: '#2b2b2b',
	halo: '#ffffff',
};
