// Calendar dates as people write them: dd.mm.yyyy in German, dd/mm/yyyy in (British) English, in
// lists, exports and date inputs alike, instead of the browser's locale-bound date widget. Dates
// are kept as ISO YYYY-MM-DD. Pure: no DOM (unit-tested in test/unit).

/** formatDate writes an ISO date (or the date part of a timestamp) for a language; '' stays ''. */
export function formatDate(iso: string | null | undefined, lang: 'de' | 'en'): string {
	const m = (iso ?? '').match(/^(\d{4})-(\d{2})-(\d{2})/);
	if (!m) return iso ?? '';
	return lang === 'de' ? `${m[3]}.${m[2]}.${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

/** datePattern is the placeholder of a date input. */
export function datePattern(lang: 'de' | 'en'): string {
	return lang === 'de' ? 'TT.MM.JJJJ' : 'DD/MM/YYYY';
}

/**
 * parseDate reads what a person typed: d.m.yyyy (German) or d/m/yyyy (English), and ISO yyyy-mm-dd
 * in either; it returns the ISO date, or null if the text is no real calendar date.
 */
export function parseDate(text: string, lang: 'de' | 'en'): string | null {
	const s = text.trim();
	let y: number, mo: number, d: number;
	let m = s.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
	if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	else {
		m = lang === 'de' ? s.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/) : s.match(/^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/);
		if (!m) return null;
		[d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
	}
	if (mo < 1 || mo > 12 || d < 1 || y < 1000) return null;
	const dt = new Date(Date.UTC(y, mo - 1, d));
	if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
	return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
