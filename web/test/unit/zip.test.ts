// The upload form's ZIP reader: the archives are built here byte by byte (deflated entries with
// node:zlib), so each case holds exactly the oddity it tests.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {deflateRawSync} from 'node:zlib';
import {sniff} from '../../src/work/mapping.ts';
import {zipEntries, zipRead, zipStore} from '../../src/work/zip.ts';

interface Part {
	name: string;
	data?: Uint8Array;
	deflate?: boolean;
}

const enc = new TextEncoder();

/** zip packs the parts as a ZIP archive (CRCs left 0: the reader does not check them). */
function zip(parts: Part[]): ArrayBuffer {
	const chunks: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	for (const p of parts) {
		const raw = p.data ?? new Uint8Array();
		const body = p.deflate ? new Uint8Array(deflateRawSync(raw)) : raw;
		const name = enc.encode(p.name);
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, 0x04034b50, true);
		local.setUint16(6, 0x0800, true);
		local.setUint16(8, p.deflate ? 8 : 0, true);
		local.setUint32(18, body.length, true);
		local.setUint32(22, raw.length, true);
		local.setUint16(26, name.length, true);
		const dir = new DataView(new ArrayBuffer(46));
		dir.setUint32(0, 0x02014b50, true);
		dir.setUint16(8, 0x0800, true);
		dir.setUint16(10, p.deflate ? 8 : 0, true);
		dir.setUint32(20, body.length, true);
		dir.setUint32(24, raw.length, true);
		dir.setUint16(28, name.length, true);
		dir.setUint32(42, offset, true);
		chunks.push(new Uint8Array(local.buffer), name, body);
		central.push(new Uint8Array(dir.buffer), name);
		offset += 30 + name.length + body.length;
	}
	const dirSize = central.reduce((s, c) => s + c.length, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, 0x06054b50, true);
	end.setUint16(8, parts.length, true);
	end.setUint16(10, parts.length, true);
	end.setUint32(12, dirSize, true);
	end.setUint32(16, offset, true);
	const all = [...chunks, ...central, new Uint8Array(end.buffer)];
	const out = new Uint8Array(all.reduce((s, c) => s + c.length, 0));
	let at = 0;
	for (const c of all) {
		out.set(c, at);
		at += c.length;
	}
	return out.buffer;
}

/** dbf is a dBASE header naming the fields (what the form reads of a Shapefile's .dbf). */
function dbf(fields: string[]): Uint8Array {
	const b = new Uint8Array(32 + 32 * fields.length + 1);
	fields.forEach((f, i) => b.set(enc.encode(f), 32 + 32 * i));
	b[b.length - 1] = 0x0d;
	return b;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

test('stored and deflated entries read back as written', async () => {
	const long = 'Gewerbegebiet Nord; '.repeat(200);
	const buf = zip([{name: 'a.txt', data: enc.encode('stored text')}, {name: 'b.txt', data: enc.encode(long), deflate: true}]);
	const entries = zipEntries(buf);
	assert.ok(entries);
	assert.deepEqual(entries.map((e) => [e.name, e.method]), [['a.txt', 0], ['b.txt', 8]]);
	assert.ok(entries[1].compressedSize < long.length, 'the deflated entry is smaller than its text');
	assert.equal(text(await zipRead(buf, entries[0])), 'stored text');
	assert.equal(text(await zipRead(buf, entries[1])), long);
});

test('directories are not listed as files; names in folders and UTF-8 names are kept', () => {
	const buf = zip([{name: 'Flächen/'}, {name: 'Flächen/Gewerbeflächen Süd.shp', data: enc.encode('x')}, {name: '東京.prj', data: enc.encode('y')}]);
	assert.deepEqual(zipEntries(buf)?.map((e) => e.name), ['Flächen/Gewerbeflächen Süd.shp', '東京.prj']);
});

test('a file that is no ZIP is null, not an error', () => {
	assert.equal(zipEntries(enc.encode('name;fläche\nA;1\n').buffer), null);
	assert.equal(zipEntries(new ArrayBuffer(0)), null);
});

test('an archive cut short or damaged fails with a message that says to pack it again', async () => {
	const buf = zip([{name: 'a.shp', data: new Uint8Array(100)}, {name: 'a.dbf', data: dbf(['KENNUNG']), deflate: true}]);
	const entries = zipEntries(buf);
	assert.ok(entries);

	// The end record survives but the list of files before it is cut off.
	const bytes = new Uint8Array(buf);
	const end = bytes.slice(bytes.length - 22);
	const cut = new Uint8Array([...bytes.slice(0, bytes.length - 22 - 20), ...end]);
	assert.throws(() => zipEntries(cut.buffer), /zip file is damaged .*list of files ends after 1 of 2 entries.*pack it again/);

	// An entry claims more bytes than the archive holds.
	const short = bytes.slice(0, 60).buffer;
	await assert.rejects(zipRead(short, entries[0]), /zip file is damaged .*"a.shp" is cut short/);

	// Deflated bytes that do not inflate.
	const broken = bytes.slice();
	const dbfStart = entries[1].offset + 30 + 'a.dbf'.length;
	broken.fill(0xff, dbfStart, dbfStart + entries[1].compressedSize);
	await assert.rejects(zipRead(broken.buffer, entries[1]), /zip file is damaged .*"a.dbf" does not inflate/);

	// The list points to an entry that is not there.
	await assert.rejects(zipRead(buf, {...entries[1], offset: 3}), /zip file is damaged .*"a.dbf" is missing/);
});

test('names that point outside the archive are refused, as the server refuses them', () => {
	for (const name of ['../x.shp', 'daten/../../x.shp', '/etc/x.shp', 'C:\\x.shp', '..\\x.shp']) {
		assert.throws(() => zipEntries(zip([{name, data: enc.encode('x')}])), /points outside the archive .*pack the files without paths/, name);
	}
	assert.deepEqual(zipEntries(zip([{name: 'a..b.shp', data: enc.encode('x')}]))?.map((e) => e.name), ['a..b.shp'], 'two dots inside a name are no path');
});

test('a zipped Shapefile: the form lists its parts, reads the columns from the .dbf and sees the .prj', async () => {
	const parts: Part[] = [
		{name: 'flaechen/'},
		{name: 'flaechen/flaechen.shp', data: new Uint8Array(100)},
		{name: 'flaechen/flaechen.shx', data: new Uint8Array(100)},
		{name: 'flaechen/flaechen.dbf', data: dbf(['KENNUNG', 'verfuegbar', 'FLAECHE_HA']), deflate: true},
		{name: 'flaechen/flaechen.prj', data: enc.encode('PROJCS["ETRS89 / UTM zone 33N"]')},
		{name: 'flaechen/flaechen.cpg', data: enc.encode('UTF-8')},
	];
	assert.deepEqual(zipEntries(zip(parts))?.map((e) => e.name.split('.').pop()), ['shp', 'shx', 'dbf', 'prj', 'cpg']);
	const file = new File([zip(parts)], 'flaechen.zip');
	assert.deepEqual(await sniff(file), {format: 'Shapefile', columns: ['KENNUNG', 'verfuegbar', 'FLAECHE_HA'], hasCRS: true});
	const noPrj = new File([zip(parts.filter((p) => !p.name.endsWith('.prj')))], 'flaechen.zip');
	assert.equal((await sniff(noPrj)).hasCRS, false, 'a Shapefile without .prj names no CRS: the form asks for it');
	const notShape = new File([zip([{name: 'readme.txt', data: enc.encode('x')}])], 'other.zip');
	assert.deepEqual(await sniff(notShape), {format: 'ZIP', columns: null, hasCRS: null});
});

test('loose Shapefile parts packed by the form read back, names and bytes alike', async () => {
	const parts = [new File([new Uint8Array([1, 2, 3])], 'Fläche.shp'), new File([dbf(['NAME'])], 'Fläche.dbf'), new File(['GEOGCS["WGS 84"]'], 'Fläche.prj')];
	const packed = await zipStore(parts, 'Fläche.zip');
	assert.equal(packed.name, 'Fläche.zip');
	const buf = await packed.arrayBuffer();
	const entries = zipEntries(buf);
	assert.ok(entries);
	assert.deepEqual(entries.map((e) => e.name), ['Fläche.shp', 'Fläche.dbf', 'Fläche.prj']);
	assert.deepEqual([...(await zipRead(buf, entries[0]))], [1, 2, 3]);
	assert.equal(text(await zipRead(buf, entries[2])), 'GEOGCS["WGS 84"]');
	assert.deepEqual(await sniff(packed), {format: 'Shapefile', columns: ['NAME'], hasCRS: true});
});
