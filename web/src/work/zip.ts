// Just enough ZIP for uploads: list and read the entries of a zipped Shapefile (to show its columns
// and whether it has a .prj before it is sent), and pack loose Shapefile parts (.shp, .shx, .dbf,
// .prj, .cpg dropped together) into one stored (uncompressed) ZIP, the form the server reads.

/** ZipEntry is a file inside a ZIP archive. */
export interface ZipEntry {
	name: string;
	method: number;
	compressedSize: number;
	offset: number;
}

/** damaged is the error of an archive the reader cannot follow; the server says the same of it. */
function damaged(what: string): Error {
	return new Error(`the zip file is damaged and cannot be opened (${what}): pack it again`);
}

/** outside tells a name that would land outside the folder it is unpacked into (zip slip). */
function outside(name: string): boolean {
	return name.startsWith('/') || name.startsWith('\\') || name.includes(':') || name.split(/[/\\]/).includes('..');
}

/**
 * zipEntries lists the files of a ZIP from its central directory (directories, which hold no bytes,
 * are left out); null if it is no ZIP. It throws when the archive is cut short or damaged, and when
 * an entry's name points outside the archive, which the server refuses too.
 */
export function zipEntries(buf: ArrayBuffer): ZipEntry[] | null {
	const v = new DataView(buf);
	let eocd = -1;
	for (let i = buf.byteLength - 22; i >= Math.max(0, buf.byteLength - 65_557); i--) {
		if (v.getUint32(i, true) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) return null;
	const count = v.getUint16(eocd + 10, true);
	let p = v.getUint32(eocd + 16, true);
	const out: ZipEntry[] = [];
	// Names are UTF-8 (flag bit 11, which every current packer sets); an old packer's other bytes
	// become U+FFFD, which still leaves the extension to tell the parts of a Shapefile apart.
	const dec = new TextDecoder();
	for (let i = 0; i < count; i++) {
		if (p + 46 > eocd || v.getUint32(p, true) !== 0x02014b50) throw damaged(`the list of files ends after ${i} of ${count} entries`);
		const method = v.getUint16(p + 10, true);
		const compressedSize = v.getUint32(p + 20, true);
		const nameLen = v.getUint16(p + 28, true);
		const extraLen = v.getUint16(p + 30, true);
		const commentLen = v.getUint16(p + 32, true);
		const offset = v.getUint32(p + 42, true);
		if (p + 46 + nameLen > eocd) throw damaged(`the list of files ends after ${i} of ${count} entries`);
		const name = dec.decode(new Uint8Array(buf, p + 46, nameLen));
		if (outside(name)) throw new Error(`the zip entry "${name}" points outside the archive (absolute path or ..): refused; pack the files without paths`);
		if (offset + 30 + compressedSize > p) throw damaged(`the entry "${name}" is cut short`);
		if (!name.endsWith('/')) out.push({name, method, compressedSize, offset});
		p += 46 + nameLen + extraLen + commentLen;
	}
	return out;
}

/** zipRead returns an entry's bytes (stored or deflated); it throws when they are damaged. */
export async function zipRead(buf: ArrayBuffer, e: ZipEntry): Promise<Uint8Array> {
	const v = new DataView(buf);
	if (e.offset + 30 > buf.byteLength || v.getUint32(e.offset, true) !== 0x04034b50) throw damaged(`the entry "${e.name}" is missing`);
	const start = e.offset + 30 + v.getUint16(e.offset + 26, true) + v.getUint16(e.offset + 28, true);
	if (start + e.compressedSize > buf.byteLength) throw damaged(`the entry "${e.name}" is cut short`);
	const data = new Uint8Array(buf, start, e.compressedSize);
	if (e.method === 0) return data;
	if (e.method !== 8) throw new Error(`the zip entry "${e.name}" is compressed with method ${e.method}; pack it again with "deflate" or none`);
	const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
	try {
		return new Uint8Array(await new Response(stream).arrayBuffer());
	} catch {
		throw damaged(`the entry "${e.name}" does not inflate`);
	}
}

let crcTable: Uint32Array | null = null;

function crc32(data: Uint8Array): number {
	if (!crcTable) {
		crcTable = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c >>> 0;
		}
	}
	let c = 0xffffffff;
	for (const b of data) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** zipStore packs files into one ZIP without compression. */
export async function zipStore(files: File[], name: string): Promise<File> {
	const enc = new TextEncoder();
	const parts: BlobPart[] = [];
	const central: BlobPart[] = [];
	let offset = 0;
	for (const f of files) {
		const data = new Uint8Array(await f.arrayBuffer()) as Uint8Array<ArrayBuffer>;
		const fname = enc.encode(f.name) as Uint8Array<ArrayBuffer>;
		const crc = crc32(data);
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, 0x04034b50, true);
		local.setUint16(4, 20, true);
		local.setUint16(6, 0x0800, true); // UTF-8 names
		local.setUint32(14, crc, true);
		local.setUint32(18, data.length, true);
		local.setUint32(22, data.length, true);
		local.setUint16(26, fname.length, true);
		const dir = new DataView(new ArrayBuffer(46));
		dir.setUint32(0, 0x02014b50, true);
		dir.setUint16(4, 20, true);
		dir.setUint16(6, 20, true);
		dir.setUint16(8, 0x0800, true);
		dir.setUint32(16, crc, true);
		dir.setUint32(20, data.length, true);
		dir.setUint32(24, data.length, true);
		dir.setUint16(28, fname.length, true);
		dir.setUint32(42, offset, true);
		parts.push(local.buffer, fname, data);
		central.push(new Uint8Array(dir.buffer), fname);
		offset += 30 + fname.length + data.length;
	}
	const dirSize = central.reduce((s: number, c) => s + (c as Uint8Array).length, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, 0x06054b50, true);
	end.setUint16(8, files.length, true);
	end.setUint16(10, files.length, true);
	end.setUint32(12, dirSize, true);
	end.setUint32(16, offset, true);
	return new File([...parts, ...central, end.buffer], name, {type: 'application/zip'});
}
