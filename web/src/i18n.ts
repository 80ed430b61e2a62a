// Languages: German by default, English on request. Messages are looked up by key; numbers and
// dates are formatted with Intl for the current language (1.234,5 ha vs 1,234.5 ha).
import type {Code} from './catalog.ts';
import {enquiryDe, enquiryEn} from './i18n-enquiry.ts';
import {mapDe, mapEn} from './i18n-map.ts';
import {publishDe, publishEn} from './i18n-publish.ts';
import {workDe, workEn} from './i18n-work.ts';

export type Lang = 'de' | 'en';
export const langs: Lang[] = ['de', 'en'];

const baseDe = {
	'app.title': 'landatlas – Gewerbe- und Industrieflächen in Mitteldeutschland',
	'app.name': 'landatlas',
	'app.tagline': 'Gewerbe- und Industrieflächen in Mitteldeutschland',
	'app.skip': 'Zur Karte springen',
	'lang.switch': 'English',
	'lang.switch.label': 'Switch to English',
	'search.label': 'Ort oder Fläche suchen',
	'search.placeholder': 'Gemeinde oder Flächenname …',
	'search.places': 'Gemeinden',
	'search.parcels': 'Flächen',
	'search.none': 'Nichts gefunden',
	'panel.toggle': 'Filter und Liste',
	'panel.close': 'Karte zeigen',
	'filters.title': 'Filter',
	'filters.reset': 'Zurücksetzen',
	'filters.district': 'Kreis',
	'filters.municipality': 'Gemeinde',
	'filters.any': 'alle',
	'filters.area': 'Nettofläche (ha)',
	'filters.area.min': 'mindestens',
	'filters.area.max': 'höchstens',
	'filters.use': 'Art der Nutzung',
	'filters.planning': 'Planungsrecht',
	'filters.planning.rights': 'nur mit Baurecht (§ 30 / § 34)',
	'filters.availability': 'Verfügbarkeit',
	'filters.availableBy': 'verfügbar spätestens am',
	'filters.status': 'Vermarktungsstand',
	'filters.distance': 'Entfernung höchstens (km, Luftlinie)',
	'filters.dist.motorway': 'Autobahnanschluss',
	'filters.dist.rail': 'Güterterminal Schiene',
	'filters.dist.airport': 'Flughafen Leipzig/Halle',
	'filters.serviced': 'Erschließung',
	'filters.serviced.any': 'egal',
	'filters.serviced.full': 'voll erschlossen',
	'filters.serviced.some': 'mindestens teilweise',
	'filters.utilities': 'Medien und Anschlüsse',
	'filters.power': 'Strom mindestens (MW)',
	'filters.broadband': 'Breitband mindestens (Mbit/s)',
	'filters.name': 'Name enthält',
	'filters.more': 'Weitere Filter',
	'results.title': 'Ergebnis',
	'results.count': '{n} Flächen · {ha} ha netto',
	'results.count.one': '1 Fläche · {ha} ha netto',
	'results.loading': 'wird geladen …',
	'results.error': 'Die Flächen konnten nicht geladen werden: {msg}',
	'results.empty': 'Keine Fläche passt zu den Filtern.',
	'results.sort': 'Sortieren nach',
	'results.more': 'Weitere {n} laden',
	'results.shown': '{shown} von {n} angezeigt',
	'sort.-net_area_ha': 'Nettofläche, größte zuerst',
	'sort.net_area_ha': 'Nettofläche, kleinste zuerst',
	'sort.dist_motorway_km': 'Nähe zur Autobahn',
	'sort.name': 'Name',
	'sort.municipality_name': 'Gemeinde',
	'sort.-last_confirmed': 'zuletzt bestätigt',
	'map.label': 'Karte der Gewerbe- und Industrieflächen',
	'legend.title': 'Legende und Ebenen',
	'legend.colorBy': 'Flächen einfärben nach',
	'legend.parcels': 'Flächen',
	'legend.sites': 'Standorte (Umriss)',
	'legend.constraints': 'Restriktionen anzeigen',
	'legend.boundaries': 'Kreis- und Gemeindegrenzen',
	'legend.severe': 'schwerwiegend',
	'legend.minor': 'gering',
	'map.cluster': '{n} Flächen (hineinzoomen)',
	'legend.cluster': 'mehrere Flächen (Zahl), Kreis nach Fläche',
	'map.error': 'Die Karte konnte nicht geladen werden: {msg}',
	'map.nowebgl': 'Ihr Browser kann die Karte nicht darstellen (WebGL fehlt). Die Liste funktioniert trotzdem.',
	'sheet.label': 'Steckbrief',
	'sheet.close': 'Steckbrief schließen',
	'sheet.loading': 'Steckbrief wird geladen …',
	'sheet.notFound': 'Diese Fläche gibt es nicht (mehr) oder sie ist nicht öffentlich.',
	'sheet.zoom': 'In Karte zeigen',
	'sheet.print': 'Exposé drucken',
	'sheet.share': 'Link teilen',
	'sheet.copied': 'Link kopiert',
	'sheet.copy': 'Link kopieren',
	'sheet.shareLabel': 'Link zu dieser Fläche',
	'sheet.constraints.none': 'Keine bekannten Restriktionen.',
	'sheet.constraints.error': 'Restriktionen konnten nicht geladen werden.',
	'sheet.site.none': 'Keinem Standort zugeordnet.',
	'sheet.estimated': 'geschätzt: 0,65 × brutto',
	'sheet.stale': 'Seit über einem Jahr nicht bestätigt',
	// Monitoring cycle (issue 13).
	'sheet.confirmedOn': 'Stand: zuletzt bestätigt am {date}',
	'sheet.neverConfirmed': 'Stand: vom Kreis noch nie bestätigt',
	'sheet.expose': 'Exposé des Anbieters',
	'sheet.unknown': 'keine Angabe',
	'print.back': 'Zurück zur Karte',
	'print.print': 'Drucken',
	'print.title': 'Exposé',
	'print.generated': 'Erstellt am {date} aus landatlas · {url}',
	'print.demo': 'Demodaten: Alle Angaben sind synthetisch und dienen nur der Vorführung.',
	'yes': 'ja',
	'no': 'nein',
	'unit.ha': 'ha',
	'unit.km': 'km',
	'f.price': 'Preis',
	'f.site.gross_area_ha': 'Standort brutto',
	'f.site.net_offered_ha': 'Angebotene Nettofläche am Standort',
	'f.site.parcels': 'Flächen am Standort',
	'attribution.demo': 'Demodaten synthetisch / synthetic demo data',
};

const baseEn: Record<keyof typeof baseDe, string> = {
	'app.title': 'landatlas – industrial and commercial land in Central Germany',
	'app.name': 'landatlas',
	'app.tagline': 'Industrial and commercial land in Central Germany',
	'app.skip': 'Skip to the map',
	'lang.switch': 'Deutsch',
	'lang.switch.label': 'Auf Deutsch umschalten',
	'search.label': 'Search a place or parcel',
	'search.placeholder': 'Municipality or parcel name …',
	'search.places': 'Municipalities',
	'search.parcels': 'Parcels',
	'search.none': 'Nothing found',
	'panel.toggle': 'Filters and list',
	'panel.close': 'Show map',
	'filters.title': 'Filters',
	'filters.reset': 'Reset',
	'filters.district': 'District',
	'filters.municipality': 'Municipality',
	'filters.any': 'all',
	'filters.area': 'Net area (ha)',
	'filters.area.min': 'at least',
	'filters.area.max': 'at most',
	'filters.use': 'Type of use',
	'filters.planning': 'Planning status',
	'filters.planning.rights': 'only with building rights (§ 30 / § 34)',
	'filters.availability': 'Availability',
	'filters.availableBy': 'available by',
	'filters.status': 'Marketing status',
	'filters.distance': 'Distance at most (km, straight line)',
	'filters.dist.motorway': 'Motorway junction',
	'filters.dist.rail': 'Rail freight terminal',
	'filters.dist.airport': 'Leipzig/Halle airport',
	'filters.serviced': 'Servicing',
	'filters.serviced.any': 'any',
	'filters.serviced.full': 'fully serviced',
	'filters.serviced.some': 'at least partly',
	'filters.utilities': 'Utilities and connections',
	'filters.power': 'Power at least (MW)',
	'filters.broadband': 'Broadband at least (Mbit/s)',
	'filters.name': 'Name contains',
	'filters.more': 'More filters',
	'results.title': 'Results',
	'results.count': '{n} parcels · {ha} ha net',
	'results.count.one': '1 parcel · {ha} ha net',
	'results.loading': 'loading …',
	'results.error': 'The parcels could not be loaded: {msg}',
	'results.empty': 'No parcel matches the filters.',
	'results.sort': 'Sort by',
	'results.more': 'Load {n} more',
	'results.shown': '{shown} of {n} shown',
	'sort.-net_area_ha': 'Net area, largest first',
	'sort.net_area_ha': 'Net area, smallest first',
	'sort.dist_motorway_km': 'Closest to a motorway',
	'sort.name': 'Name',
	'sort.municipality_name': 'Municipality',
	'sort.-last_confirmed': 'Most recently confirmed',
	'map.label': 'Map of industrial and commercial land',
	'legend.title': 'Legend and layers',
	'legend.colorBy': 'Colour parcels by',
	'legend.parcels': 'Parcels',
	'legend.sites': 'Sites (outline)',
	'legend.constraints': 'Show constraints',
	'legend.boundaries': 'District and municipal boundaries',
	'legend.severe': 'severe',
	'legend.minor': 'minor',
	'map.cluster': '{n} parcels (zoom in)',
	'legend.cluster': 'several parcels (number), circle by area',
	'map.error': 'The map could not be loaded: {msg}',
	'map.nowebgl': 'Your browser cannot draw the map (no WebGL). The list still works.',
	'sheet.label': 'Fact sheet',
	'sheet.close': 'Close fact sheet',
	'sheet.loading': 'Loading fact sheet …',
	'sheet.notFound': 'This parcel does not exist (any more) or is not public.',
	'sheet.zoom': 'Show on map',
	'sheet.print': 'Print exposé',
	'sheet.share': 'Share link',
	'sheet.copied': 'Link copied',
	'sheet.copy': 'Copy link',
	'sheet.shareLabel': 'Link to this parcel',
	'sheet.constraints.none': 'No known constraints.',
	'sheet.constraints.error': 'Constraints could not be loaded.',
	'sheet.site.none': 'Not part of a site.',
	'sheet.estimated': 'estimated: 0.65 × gross',
	'sheet.stale': 'Not confirmed for over a year',
	// Monitoring cycle (issue 13).
	'sheet.confirmedOn': 'As of: last confirmed on {date}',
	'sheet.neverConfirmed': 'As of: never confirmed by the district',
	'sheet.expose': 'Provider’s exposé',
	'sheet.unknown': 'not given',
	'print.back': 'Back to the map',
	'print.print': 'Print',
	'print.title': 'Exposé',
	'print.generated': 'Made on {date} from landatlas · {url}',
	'print.demo': 'Demo data: every figure is synthetic and for demonstration only.',
	'yes': 'yes',
	'no': 'no',
	'unit.ha': 'ha',
	'unit.km': 'km',
	'f.price': 'Price',
	'f.site.gross_area_ha': 'Site gross area',
	'f.site.net_offered_ha': 'Net area on offer at the site',
	'f.site.parcels': 'Parcels at the site',
	'attribution.demo': 'Demodaten synthetisch / synthetic demo data',
};

const de = {...baseDe, ...workDe, ...publishDe, ...enquiryDe, ...mapDe};

/** MessageKey names a message; every key has a German and an English text. */
export type MessageKey = keyof typeof de;

const en: Record<MessageKey, string> = {...baseEn, ...workEn, ...publishEn, ...enquiryEn, ...mapEn};

const messages: Record<Lang, Record<MessageKey, string>> = {de, en};
const locales: Record<Lang, string> = {de: 'de-DE', en: 'en-GB'};

let current: Lang = 'de';
const listeners = new Set<(lang: Lang) => void>();

/** lang is the current language. */
export function lang(): Lang {
	return current;
}

/** setLang switches the language and tells every listener; <html lang> follows. */
export function setLang(next: Lang): void {
	if (next === current) return;
	current = next;
	document.documentElement.lang = next;
	for (const fn of listeners) fn(next);
}

/** onLangChange registers fn to run after every switch. */
export function onLangChange(fn: (lang: Lang) => void): void {
	listeners.add(fn);
}

/** parseLang accepts 'de' and 'en' and nothing else. */
export function parseLang(s: string | null | undefined): Lang | null {
	return s === 'de' || s === 'en' ? s : null;
}

/** t returns the message for key in the current language with {name} placeholders filled in. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
	const msg = messages[current][key] ?? key;
	return msg.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? `{${name}}`));
}

/** label returns a code's label in the current language, or the value itself for unknown codes. */
export function label(list: Code[], value: string | null | undefined): string {
	if (value === null || value === undefined || value === '') return '';
	const code = list.find((c) => c.value === value);
	return code ? code[current] : value;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** num formats a number with between min and max fraction digits in the current language. */
export function num(v: number, maxDigits = 1, minDigits = 0): string {
	const key = `${current}:${minDigits}:${maxDigits}`;
	let f = numberFormats.get(key);
	if (!f) {
		f = new Intl.NumberFormat(locales[current], {minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits});
		numberFormats.set(key, f);
	}
	return f.format(v);
}

/** ha formats hectares: one decimal, two below 1 ha. */
export function ha(v: number): string {
	return num(v, Math.abs(v) < 1 && v !== 0 ? 2 : 1, Math.abs(v) < 1 && v !== 0 ? 2 : 1);
}

/** date formats an ISO date (or timestamp) as a calendar date in the current language. */
export function date(iso: string | null | undefined): string {
	if (!iso) return '';
	const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
	if (Number.isNaN(d.getTime())) return iso;
	return new Intl.DateTimeFormat(locales[current], {dateStyle: 'medium', timeZone: iso.length === 10 ? 'UTC' : undefined}).format(d);
}

/** locale is the BCP 47 locale of the current language, for Intl and collation. */
export function locale(): string {
	return locales[current];
}
