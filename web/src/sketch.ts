// A small location sketch of a parcel as SVG, for printed lists and comparisons: the parcel's
// outline in Web Mercator with a scale bar and a north arrow. Drawn from the geometry alone, so a
// list of a hundred parcels needs no hundred map canvases.
import {num} from './i18n.ts';

const svgNS = 'http://www.w3.org/2000/svg';
const earth = 6378137;

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
	const e = document.createElementNS(svgNS, tag);
	for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
	if (text) e.textContent = text;
	return e;
}

function rings(g: GeoJSON.Geometry): GeoJSON.Position[][] {
	if (g.type === 'Polygon') return g.coordinates;
	if (g.type === 'MultiPolygon') return g.coordinates.flat();
	return [];
}

/** niceLength is the scale bar's length: 1, 2 or 5 times a power of ten, at most max metres. */
export function niceLength(max: number): number {
	const p = Math.pow(10, Math.floor(Math.log10(max)));
	return [5, 2, 1].map((f) => f * p).find((v) => v <= max) ?? p;
}

/** sketch draws a geometry into an SVG of the given size; fill is the parcel's colour. */
export function sketch(g: GeoJSON.Geometry | null, opts: {width: number; height: number; fill: string; label: string}): SVGElement {
	const {width, height} = opts;
	const svg = el('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'sketch'});
	svg.append(el('title', {}, opts.label));
	svg.append(el('rect', {x: 0, y: 0, width, height, fill: '#f5f6f2', stroke: '#d4d6d0'}));
	const rs = g ? rings(g) : [];
	if (!rs.length) return svg;
	const proj = ([lng, lat]: GeoJSON.Position): [number, number] => [lng * Math.PI / 180, Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))];
	const pts = rs.map((r) => r.map(proj));
	const xs = pts.flat().map((p) => p[0]);
	const ys = pts.flat().map((p) => p[1]);
	const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
	const pad = 18;
	const k = Math.min((width - 2 * pad) / (x1 - x0 || 1e-9), (height - 2 * pad) / (y1 - y0 || 1e-9));
	const ox = (width - (x1 - x0) * k) / 2;
	const oy = (height - (y1 - y0) * k) / 2;
	const d = pts.map((r) => 'M' + r.map(([x, y]) => `${(ox + (x - x0) * k).toFixed(1)},${(height - oy - (y - y0) * k).toFixed(1)}`).join('L') + 'Z').join('');
	svg.append(el('path', {d, fill: opts.fill, 'fill-opacity': 0.8, stroke: '#1b1b1b', 'stroke-width': 1.2, 'fill-rule': 'evenodd'}));
	// Metres per pixel at the parcel's latitude (Mercator stretches by 1/cos φ).
	const lat = (rs[0][0][1] * Math.PI) / 180;
	const mPerPx = (earth * Math.cos(lat)) / k;
	const len = niceLength(mPerPx * width * 0.35);
	const px = len / mPerPx;
	const by = height - 6;
	svg.append(el('path', {d: `M6,${by - 4}V${by}H${6 + px}V${by - 4}`, fill: 'none', stroke: '#1b1b1b', 'stroke-width': 1.5}));
	svg.append(el('text', {x: 8 + px, y: by, 'font-size': 10, fill: '#1b1b1b'}, len >= 1000 ? `${num(len / 1000, 1)} km` : `${num(len, 0)} m`));
	svg.append(el('path', {d: `M${width - 12},6L${width - 7},18L${width - 12},15L${width - 17},18Z`, fill: '#1b1b1b'}));
	svg.append(el('text', {x: width - 12, y: 28, 'font-size': 9, 'text-anchor': 'middle', fill: '#1b1b1b'}, 'N'));
	return svg;
}

/** locator draws the region's districts with a marked point: where in Mitteldeutschland the parcel lies. */
export function locator(districts: GeoJSON.FeatureCollection, point: GeoJSON.Position | null, opts: {width: number; height: number; label: string}): SVGElement {
	const {width, height} = opts;
	const svg = el('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'locator'});
	svg.append(el('title', {}, opts.label));
	const proj = ([lng, lat]: GeoJSON.Position): [number, number] => [lng * Math.PI / 180, Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))];
	const shapes = districts.features.map((f) => (f.geometry ? rings(f.geometry).map((r) => r.map(proj)) : []));
	const all = shapes.flat(2);
	if (!all.length) return svg;
	const xs = all.map((p) => p[0]);
	const ys = all.map((p) => p[1]);
	const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
	const pad = 6;
	const k = Math.min((width - 2 * pad) / (x1 - x0), (height - 2 * pad) / (y1 - y0));
	const ox = (width - (x1 - x0) * k) / 2;
	const oy = (height - (y1 - y0) * k) / 2;
	const xy = ([x, y]: [number, number]) => [ox + (x - x0) * k, height - oy - (y - y0) * k];
	for (const rs of shapes) {
		const d = rs.map((r) => 'M' + r.map((p) => xy(p).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z').join('');
		svg.append(el('path', {d, fill: '#f5f6f2', stroke: '#545454', 'stroke-width': 0.8, 'fill-rule': 'evenodd'}));
	}
	if (point) {
		const [cx, cy] = xy(proj(point));
		svg.append(el('circle', {cx: cx.toFixed(1), cy: cy.toFixed(1), r: 5, fill: '#b3261e', stroke: '#ffffff', 'stroke-width': 1.5, class: 'locator-point'}));
	}
	return svg;
}

/** metresPerPixel is the ground size of one CSS pixel of a web map at a zoom and latitude (512 px tiles). */
export function metresPerPixel(zoom: number, lat: number): number {
	return (2 * Math.PI * earth * Math.cos((lat * Math.PI) / 180)) / (512 * Math.pow(2, zoom));
}
