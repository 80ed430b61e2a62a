// The test bench of the browser tests: a fresh database on the test cluster, migrated and seeded
// with the demo data, the real landatlas server on a free loopback port, accounts made with
// `landatlas token create`, and Debian's Chromium driven by playwright-core. Everything is bounded
// in time and torn down at the end.
//
// Environment (set by `make test`):
//   LANDATLAS_TEST_DATABASE_URL  admin URL of a throwaway PostGIS cluster (required)
//   LANDATLAS_BIN                the built binary (else it is built into a temp dir with go build)
//   CHROMIUM                     the browser (default /usr/bin/chromium)
import {execFile, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {chromium} from 'playwright-core';

const run = promisify(execFile);
const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = join(web, 'test-results');

/** sh runs a command with a time limit and returns its stdout. */
async function sh(cmd, args, {timeout = 120_000, env} = {}) {
	try {
		const {stdout} = await run(cmd, args, {timeout, env: {...process.env, ...env}, maxBuffer: 64 << 20});
		return stdout;
	} catch (e) {
		throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
	}
}

function freePort() {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.once('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const {port} = srv.address();
			srv.close(() => res(port));
		});
	});
}

function withDatabase(url, name) {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function binary() {
	if (process.env.LANDATLAS_BIN) return process.env.LANDATLAS_BIN;
	const out = join(mkdtempSync(join(tmpdir(), 'landatlas-web-')), 'landatlas');
	console.log(`# LANDATLAS_BIN not set: building ${out}`);
	await run('go', ['build', '-o', out, './cmd/landatlas'], {cwd: resolve(web, '..'), timeout: 300_000}).catch((e) => {
		throw new Error(`go build failed: ${e.stderr || e.message}`);
	});
	return out;
}

async function waitReady(base, server, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) throw new Error(`landatlas serve exited with ${server.exitCode}: ${server.log.slice(-2000)}`);
		try {
			const res = await fetch(`${base}/readyz`, {signal: AbortSignal.timeout(2000)});
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`landatlas did not become ready within ${timeoutMs} ms: ${server.log.slice(-2000)}`);
}

/** Bench is one running server with its database and a browser. */
export class Bench {
	base = '';
	dbURL = '';
	adminURL = '';
	dbName = '';
	server = null;
	browser = null;
	bin = '';
	extraServers = [];
	allowed = new Set();

	async start() {
		this.adminURL = process.env.LANDATLAS_TEST_DATABASE_URL;
		if (!this.adminURL) {
			throw new Error('LANDATLAS_TEST_DATABASE_URL is not set: run the browser tests through `make test`, or give the URL of a PostGIS cluster you may create databases on');
		}
		mkdirSync(resultsDir, {recursive: true});
		const bin = await binary();
		this.bin = bin;
		this.dbName = `webtest_${randomBytes(4).toString('hex')}`;
		await sh('psql', [this.adminURL, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${this.dbName}`]);
		this.dbURL = withDatabase(this.adminURL, this.dbName);
		const t0 = Date.now();
		await sh(bin, ['migrate', '-database-url', this.dbURL]);
		await sh(bin, ['seed', '-database-url', this.dbURL, '-demo'], {timeout: 300_000});
		console.log(`# database ${this.dbName} migrated and seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

		const {base, server} = await this.spawnServer({});
		this.base = base;
		this.server = server;

		this.browser = await chromium.launch({
			executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
			timeout: 60_000,
			args: [
				'--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
				'--disable-sync', '--disable-quic', '--no-first-run',
				// WebGL without a GPU: ANGLE on SwiftShader.
				'--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
			],
		});
	}

	/**
	 * spawnServer starts `landatlas serve` on the test database and a free loopback port. The
	 * external base map is off unless env sets LANDATLAS_BASEMAP_STYLE (tests point it at a stub
	 * on 127.0.0.1: no test may reach another machine).
	 */
	async spawnServer(env) {
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const server = spawn(this.bin, ['serve'], {
			env: {...process.env, LANDATLAS_DATABASE_URL: this.dbURL, LANDATLAS_ADDR: `127.0.0.1:${port}`, LANDATLAS_BASEMAP_STYLE: 'off', LANDATLAS_LOG_LEVEL: 'warn', ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		server.log = '';
		server.stdout.on('data', (d) => (server.log += d));
		server.stderr.on('data', (d) => (server.log += d));
		this.extraServers.push(server);
		await waitReady(base, server, 60_000);
		return {base, server};
	}

	/** serve starts one more server on the same database with other settings and returns its base URL. */
	async serve(env) {
		const {base} = await this.spawnServer(env);
		this.allow(base);
		return base;
	}

	/** allow lets pages talk to one more origin, which must be on 127.0.0.1 (a test's own stub server). */
	allow(origin) {
		const u = new URL(origin);
		if (u.hostname !== '127.0.0.1') throw new Error(`tests talk only to 127.0.0.1, not ${origin}`);
		this.allowed.add(u.origin);
	}

	/** psql runs one query on the test database and returns its rows as arrays of strings. */
	async psql(sql) {
		const out = await sh('psql', [this.dbURL, '-v', 'ON_ERROR_STOP=1', '-AtF', '\t', '-c', sql]);
		return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
	}

	/** token makes an account with `landatlas token create` and returns its bearer token. */
	async token(role, label, district = '') {
		const args = ['token', 'create', '--role', role, '--label', label, '-database-url', this.dbURL];
		if (district) args.push('--district', district);
		return (await sh(this.bin, args)).trim();
	}

	/** revoke revokes an account's token with `landatlas token revoke`. */
	async revoke(accountId) {
		await sh(this.bin, ['token', 'revoke', '-database-url', this.dbURL, String(accountId)]);
	}

	/** api fetches JSON from the server, as the public (no token) or with a token. */
	async api(path, params = {}, token = '') {
		const u = new URL(path, this.base);
		for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
		const res = await fetch(u, {signal: AbortSignal.timeout(30_000), headers: token ? {Authorization: `Bearer ${token}`} : {}});
		if (!res.ok) throw new Error(`GET ${u} answered ${res.status}: ${await res.text()}`);
		return res.json();
	}

	/** send makes a request with a token (a FormData or JSON body) and returns the status and the parsed answer. */
	async send(method, path, token, body) {
		const headers = {Authorization: `Bearer ${token}`};
		let payload = body;
		if (body !== undefined && !(body instanceof FormData)) {
			payload = JSON.stringify(body);
			headers['Content-Type'] = 'application/json';
		}
		const res = await fetch(new URL(path, this.base), {method, headers, body: payload, signal: AbortSignal.timeout(60_000)});
		const text = await res.text();
		let json = null;
		try {
			json = JSON.parse(text);
		} catch {
			// not JSON
		}
		return {status: res.status, json, text};
	}

	/** allItems pages through an items query and returns every feature and numberMatched. */
	async allItems(collection, params, token = '') {
		let page = await this.api(`/ogcapi/collections/${collection}/items`, {f: 'json', limit: 10000, ...params}, token);
		const matched = page.numberMatched;
		const features = [...page.features];
		for (let i = 0; i < 100; i++) {
			const next = page.links?.find((l) => l.rel === 'next');
			if (!next || features.length >= matched) break;
			page = await this.api(next.href, {}, token);
			features.push(...page.features);
		}
		return {features, numberMatched: matched};
	}

	/**
	 * page opens a browser page that may only talk to the server: any other request is aborted and
	 * recorded. It also records page errors and every JSON and tile response body it saw.
	 */
	async page({viewport = {width: 1400, height: 900}, locale = 'de-DE', acceptDownloads = false} = {}) {
		const context = await this.browser.newContext({viewport, locale, deviceScaleFactor: 1, acceptDownloads});
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		page.external = [];
		page.errors = [];
		page.consoleErrors = [];
		page.bodies = [];
		await page.route('**/*', (route) => {
			const url = route.request().url();
			const local = url.startsWith('http') && this.allowed.has(new URL(url).origin);
			if (url.startsWith(this.base) || local || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
			page.external.push(url);
			return route.abort();
		});
		page.on('pageerror', (e) => page.errors.push(String(e)));
		page.on('console', (m) => m.type() === 'error' && page.consoleErrors.push(m.text()));
		page.on('response', async (res) => {
			const url = res.url();
			if (!url.startsWith(this.base) || /\/assets\//.test(url)) return;
			try {
				page.bodies.push({url, body: await res.body()});
			} catch {
				// body gone (navigation or 204)
			}
		});
		return page;
	}

	async stop() {
		await this.browser?.close().catch(() => {});
		for (const server of this.extraServers) {
			if (server.exitCode !== null) continue;
			const exited = new Promise((r) => server.once('exit', r));
			server.kill('SIGTERM');
			const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		if (this.dbName) {
			await sh('psql', [this.adminURL, '-qc', `DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`]).catch((e) => console.log(`# ${e.message}`));
		}
	}
}

/** shot saves a screenshot under test-results/ and prints its path. */
export async function shot(page, name, opts = {}) {
	const path = join(resultsDir, `${name}.png`);
	await page.screenshot({path, ...opts});
	console.log(`# screenshot: ${path}`);
	return path;
}

/** until polls fn in the page until it returns a truthy value, for at most timeoutMs. */
export async function until(page, fn, arg, timeoutMs = 30_000, what = 'condition') {
	const handle = await page.waitForFunction(fn, arg, {timeout: timeoutMs, polling: 100}).catch((e) => {
		throw new Error(`waiting for ${what}: ${e.message}`);
	});
	return handle.jsonValue();
}

/** settle waits for the app to finish loading what its state asks for. */
export async function settle(page, timeoutMs = 30_000) {
	await until(page, () => window.__landatlas && window.__landatlasMap, undefined, timeoutMs, 'the app to start');
	await page.evaluate((ms) => window.__landatlas.idle(ms), timeoutMs);
}
