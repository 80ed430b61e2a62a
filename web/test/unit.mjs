// Runs the unit tests of the pure front-end modules (test/unit/*.test.ts) with Node's test runner:
// esbuild bundles each into a temporary directory first, since Node does not run TypeScript.
import * as esbuild from 'esbuild';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'unit');
const out = mkdtempSync(join(tmpdir(), 'landatlas-unit-'));
const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
await esbuild.build({
	entryPoints: tests.map((f) => join(dir, f)),
	bundle: true, platform: 'node', format: 'esm', outdir: out, outExtension: {'.js': '.mjs'}, logLevel: 'warning',
	external: ['node:*'],
});
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...readdirSync(out).map((f) => join(out, f))], {stdio: 'inherit'});
rmSync(out, {recursive: true, force: true});
process.exit(run.status ?? 1);
