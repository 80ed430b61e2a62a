// Builds the web app into dist/: dist/index.html and dist/assets/* with content-hashed names, so
// the Go server can cache assets forever. Leaves dist/README.md alone.
//
//   node build.mjs          production build (minified, source maps)
//   node build.mjs --watch  rebuild on change (for development against a running server)
import * as esbuild from 'esbuild';
import {createHash} from 'node:crypto';
import {copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const assets = join(dist, 'assets');
const watch = process.argv.includes('--watch');

function hashOf(buf) {
	return createHash('sha256').update(buf).digest('hex').slice(0, 10);
}

// The MapLibre worker is a separate module; it is copied as it ships, under a hashed name, and the
// app tells MapLibre where it is (setWorkerUrl). The .js extension gets a JavaScript MIME type
// from every server, which module workers require.
function copyWorker() {
	const src = join(root, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs');
	const buf = readFileSync(src);
	const name = `maplibre-worker-${hashOf(buf)}.js`;
	copyFileSync(src, join(assets, name));
	return `/assets/${name}`;
}

function writeIndex(outputs, workerUrl) {
	const js = outputs.find((f) => f.endsWith('.js'));
	const css = outputs.find((f) => f.endsWith('.css'));
	let html = readFileSync(join(root, 'src/index.html'), 'utf8');
	html = html
		.replace('<!--CSS-->', css ? `<link rel="stylesheet" href="/assets/${css}">` : '')
		.replace('<!--JS-->', `<script type="module" src="/assets/${js}"></script>`)
		.replace('__WORKER_URL__', workerUrl);
	writeFileSync(join(dist, 'index.html'), html);
}

function clean() {
	mkdirSync(dist, {recursive: true});
	rmSync(assets, {recursive: true, force: true});
	rmSync(join(dist, 'index.html'), {force: true});
	mkdirSync(assets, {recursive: true});
}

const options = {
	entryPoints: {app: join(root, 'src/main.ts')},
	bundle: true,
	format: 'esm',
	target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
	outdir: assets,
	entryNames: '[name]-[hash]',
	assetNames: '[name]-[hash]',
	minify: !watch,
	sourcemap: watch,
	metafile: true,
	legalComments: 'linked',
	logLevel: 'warning',
	loader: {'.svg': 'file'},
	plugins: [{
		name: 'index-html',
		setup(build) {
			build.onStart(() => clean());
			build.onEnd((result) => {
				if (result.errors.length) return;
				const outputs = Object.keys(result.metafile.outputs).map((f) => f.split('/').pop());
				writeIndex(outputs, copyWorker());
				const size = readdirSync(assets).length;
				console.log(`web: built dist/index.html and ${size} files in dist/assets`);
			});
		},
	}],
};

if (watch) {
	const ctx = await esbuild.context(options);
	await ctx.watch();
	console.log('web: watching src/ for changes');
} else {
	await esbuild.build(options);
}
