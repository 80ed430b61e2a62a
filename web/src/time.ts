// Dates as the study counts them: a date means the state at the end of that day in the region
// (Europe/Berlin), the same instant the study's as_of takes, so the map, the list and the
// dashboard show one state.

/** berlinOffset is the UTC offset of Europe/Berlin on a date, as "+01:00" or "+02:00". */
export function berlinOffset(date: string): string {
	const noon = new Date(`${date}T12:00:00Z`);
	const name = new Intl.DateTimeFormat('en-US', {timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset'})
		.formatToParts(noon).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
	const m = name.match(/GMT([+-])(\d{1,2})(?::(\d{2}))?/);
	if (!m) return '+01:00';
	return `${m[1]}${m[2].padStart(2, '0')}:${m[3] ?? '00'}`;
}

/** endOfDay is the last instant of a date in the region, for the features API's datetime. */
export function endOfDay(date: string): string {
	return `${date}T23:59:59.999${berlinOffset(date)}`;
}

/** today is the region's current date as YYYY-MM-DD. */
export function today(): string {
	return new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit'}).format(new Date());
}

/** addDays moves a YYYY-MM-DD date by n days. */
export function addDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
