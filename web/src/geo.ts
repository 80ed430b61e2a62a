// Small geometry helpers on GeoJSON in WGS84: bounding boxes, label points, WKT.

export type BBox = [number, number, number, number];

function eachPosition(g: GeoJSON.Geometry, fn: (p: GeoJSON.Position) => void): void {
	switch (g.type) {
	case 'Point': fn(g.coordinates); break;
	case 'MultiPoint': case 'LineString': g.coordinates.forEach(fn); break;
	case 'MultiLineString': case 'Polygon': g.coordinates.forEach((r) => r.forEach(fn)); break;
	case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(fn))); break;
	case 'GeometryCollection': g.geometries.forEach((x) => eachPosition(x, fn)); break;
	}
}

/** bbox returns [west, south, east, north] of geometries, or null for none. */
export function bbox(...geoms: (GeoJSON.Geometry | null | undefined)[]): BBox | null {
	let b: BBox | null = null;
	for (const g of geoms) {
		if (!g) continue;
		eachPosition(g, ([x, y]) => {
			if (!b) b = [x, y, x, y];
			else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
		});
	}
	return b;
}

function ringArea(ring: GeoJSON.Position[]): number {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
	return Math.abs(a / 2);
}

function ringCentroid(ring: GeoJSON.Position[]): GeoJSON.Position {
	let x = 0, y = 0, a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
		x += (ring[j][0] + ring[i][0]) * f;
		y += (ring[j][1] + ring[i][1]) * f;
		a += f;
	}
	if (a === 0) return ring[0];
	return [x / (3 * a), y / (3 * a)];
}

/** labelPoint is the centroid of the largest outer ring of a (multi)polygon. */
export function labelPoint(g: GeoJSON.Geometry): GeoJSON.Position | null {
	const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
	let best: GeoJSON.Position[] | null = null;
	for (const p of polys) if (!best || ringArea(p[0]) > ringArea(best)) best = p[0];
	return best ? ringCentroid(best) : null;
}

/** pointInPolygon tests a point against a (multi)polygon with holes (even-odd rule). */
export function pointInPolygon(pt: GeoJSON.Position, g: GeoJSON.Geometry): boolean {
	const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
	let inside = false;
	for (const poly of polys) {
		for (const ring of poly) {
			for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
				const [xi, yi] = ring[i], [xj, yj] = ring[j];
				if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < (xj - xi) * (pt[1] - yi) / (yj - yi) + xi) inside = !inside;
			}
		}
	}
	return inside;
}

const coord = (p: GeoJSON.Position) => `${p[0].toFixed(6)} ${p[1].toFixed(6)}`;
const ring = (r: GeoJSON.Position[]) => `(${r.map(coord).join(', ')})`;

/** wkt writes a (multi)polygon as WKT with 6 decimals (≈ 10 cm), for CQL2 spatial filters. */
export function wkt(g: GeoJSON.Geometry): string | null {
	if (g.type === 'Polygon') return `POLYGON(${g.coordinates.map(ring).join(', ')})`;
	if (g.type === 'MultiPolygon') return `MULTIPOLYGON(${g.coordinates.map((p) => `(${p.map(ring).join(', ')})`).join(', ')})`;
	return null;
}
