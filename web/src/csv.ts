// A CSV writer for spreadsheets: German Excel reads a file as CSV only with `;` between fields,
// decimal commas and a byte-order mark (else umlauts break); English gets `,` and decimal points.
// Pure: no DOM, no I/O (unit-tested in test/unit).

/** CsvValue is one cell: numbers are formatted per language, null and undefined stay empty. */
export type CsvValue = string | number | boolean | null | undefined;

/** CsvDialect is how a spreadsheet of one language reads CSV. */
export interface CsvDialect {
	separator: ';' | ',';
	decimal: ',' | '.';
	yes: string;
	no: string;
}

export const csvDialects: Record<'de' | 'en', CsvDialect> = {
	de: {separator: ';', decimal: ',', yes: 'ja', no: 'nein'},
	en: {separator: ',', decimal: '.', yes: 'yes', no: 'no'},
};

/** bom makes Excel read the file as UTF-8. */
export const bom = '\uFEFF';

/** csvCell formats and, where needed, quotes one value. Numbers have no thousands separator, so spreadsheets read them as numbers. */
export function csvCell(v: CsvValue, d: CsvDialect): string {
	let s: string;
	if (v === null || v === undefined) s = '';
	else if (typeof v === 'number') s = Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6).replace('.', d.decimal) : '';
	else if (typeof v === 'boolean') s = v ? d.yes : d.no;
	else s = v;
	// A leading = + - @ makes a spreadsheet run the cell as a formula: text starting so is quoted with '.
	if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /["\r\n]/.test(s) || s.includes(d.separator) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** toCSV writes a header and rows with CRLF line ends, prefixed with the byte-order mark. */
export function toCSV(header: string[], rows: CsvValue[][], d: CsvDialect): string {
	const line = (cells: CsvValue[]) => cells.map((c) => csvCell(c, d)).join(d.separator);
	return bom + [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}
