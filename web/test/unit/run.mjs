// Runs the unit tests of the web app's pure modules with Node's test runner. Node 20 does not read
// TypeScript, so each test/unit/*.test.ts is bundled with esbuild (the app's own bundler) into a
// temporary directory first, then `node --test` runs the bundles.
//
//   node test/unit/run.mjs
import * as esbuild from 'esbuild';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tests = readdirSync(here).filter((f) => f.endsWith('.test.ts')).map((f) => join(here, f));
const out = mkdtempSync(join(tmpdir(), 'landatlas-unit-'));
try {
	await esbuild.build({entryPoints: tests, outdir: out, bundle: true, platform: 'node', format: 'esm', outExtension: {'.js': '.mjs'}, logLevel: 'warning'});
	const bundles = readdirSync(out).filter((f) => f.endsWith('.test.mjs')).map((f) => join(out, f));
	const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...bundles], {stdio: 'inherit'});
	process.exitCode = run.status ?? 1;
} finally {
	rmSync(out, {recursive: true, force: true});
}
