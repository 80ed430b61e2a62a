// A stand-in for basemap.de in the browser tests: a tiny HTTP server on 127.0.0.1 that serves two
// style JSONs ("colour" and "grey", each a background and one raster layer of its own tiles), raster
// tiles of one solid colour, a style URL that never answers (a base map that hangs) and a geocoder. It records
// every request, so a test can tell which base map the page asked for.
import {createServer} from 'node:http';
import {crc32, deflateSync} from 'node:zlib';

/** solidPNG is a 256×256 PNG of one RGB colour. */
export function solidPNG([r, g, b]) {
	const chunk = (type, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([len, body, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(256, 0);
	ihdr.writeUInt32BE(256, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // 8 bit, RGB
	const row = Buffer.alloc(1 + 256 * 3);
	for (let x = 0; x < 256; x++) row.set([r, g, b], 1 + x * 3);
	const raw = Buffer.concat(Array.from({length: 256}, () => row));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** colours of the stub's base maps, so a test can read which one the map draws. */
export const stubColours = {colour: [240, 200, 120], grey: [150, 150, 150], aerial: [40, 110, 40]};

/** geocoded is what the stub geocoder finds for a search containing 04109 (in the BKG geocoder's form). */
export const geocoded = {type: 'Feature', geometry: {type: 'Point', coordinates: [12.3817, 51.3397]}, properties: {text: 'Augustusplatz 1, 04109 Leipzig', typ: 'Haus'}};

function style(name, base) {
	return {
		version: 8,
		name: `stub ${name}`,
		sources: {[`${name}-tiles`]: {type: 'raster', tiles: [`${base}/tiles/${name}/{z}/{x}/{y}.png`], tileSize: 256}},
		layers: [
			{id: `${name}-background`, type: 'background', paint: {'background-color': `rgb(${stubColours[name].join(',')})`}},
			{id: `${name}-raster`, type: 'raster', source: `${name}-tiles`},
		],
	};
}

/** startStub starts the stub on a free loopback port; stop() closes it (and the hanging requests). */
export async function startStub() {
	const requests = [];
	const hanging = new Set();
	const pngs = Object.fromEntries(Object.entries(stubColours).map(([k, v]) => [k, solidPNG(v)]));
	const server = createServer((req, res) => {
		requests.push(req.url);
		const base = `http://${req.headers.host}`;
		res.setHeader('Access-Control-Allow-Origin', '*');
		const m = req.url.match(/^\/styles\/(colour|grey)\.json$/);
		if (m) {
			res.setHeader('Content-Type', 'application/json');
			return res.end(JSON.stringify(style(m[1], base)));
		}
		const tile = req.url.match(/^\/tiles\/(colour|grey|aerial)\/\d+\/\d+\/\d+\.png$/);
		if (tile) {
			res.setHeader('Content-Type', 'image/png');
			return res.end(pngs[tile[1]]);
		}
		if (req.url.startsWith('/geocode?')) {
			const q = new URL(req.url, base).searchParams.get('q') ?? '';
			res.setHeader('Content-Type', 'application/geo+json');
			return res.end(JSON.stringify({type: 'FeatureCollection', features: q.includes('04109') ? [geocoded] : []}));
		}
		if (req.url.startsWith('/hang/')) {
			hanging.add(res);
			return;
		}
		res.statusCode = 404;
		res.end('not found');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${server.address().port}`;
	return {
		base,
		requests,
		/** basemaps is the LANDATLAS_BASEMAP_STYLE value of the stub's three base maps. */
		basemaps: `map=${base}/styles/colour.json,grey=${base}/styles/grey.json,aerial=${base}/tiles/aerial/{z}/{x}/{y}.png`,
		/** hangingBasemap is a LANDATLAS_BASEMAP_STYLE whose styles never answer. */
		hangingBasemap: `map=${base}/hang/colour.json,grey=${base}/hang/grey.json`,
		/** geocoder is a LANDATLAS_GEOCODER_URL of the stub geocoder. */
		geocoder: `${base}/geocode?q={q}`,
		stop: () => new Promise((resolve) => {
			for (const res of hanging) res.destroy();
			server.closeAllConnections();
			server.close(resolve);
		}),
	};
}
