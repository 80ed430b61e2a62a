// A parcel as the API describes it, what belongs to it (site, constraints, history) and how its
// facts are laid out: the fact sheet panel and the printable exposé draw the same sections. Signed-in
// readers get the internal fields too (ownership, owner willing to sell, remarks, publication,
// source, who changed it last), in a section of their own, marked internal.
import type {Api, Feature} from './api.ts';
import {availabilities, constraintKinds, lands, ownerWillingness, ownerships, publications, planningStatuses, potentialKinds, servicedStates, severities, statuses, useTypes, utilities} from './codes.ts';
import {h} from './dom.ts';
import {wkt} from './geo.ts';
import {fieldTerms, term} from './glossary.ts';
import {date, ha, label, lang, num, t, type MessageKey} from './i18n.ts';

/** Parcel are the public properties of GET /ogcapi/collections/parcels/items/{id}. */
export interface Parcel {
	id: number | string;
	external_id?: string | null;
	name: string;
	site_id?: number | null;
	site_name?: string | null;
	district_ags?: string;
	district_name?: string;
	municipality_ags?: string;
	municipality_name?: string;
	land?: string;
	use_type?: string;
	planning_status?: string;
	availability?: string;
	available_from?: string | null;
	status?: string;
	potential_kind?: string;
	greenfield?: boolean | null;
	price_min_eur_m2?: number | null;
	price_max_eur_m2?: number | null;
	serviced?: string;
	power_mw?: number | null;
	gas?: boolean; hydrogen?: boolean; water?: boolean; process_water?: boolean; waste_water?: boolean; district_heat?: boolean;
	broadband_mbps?: number | null;
	rail_siding?: boolean;
	grz?: number | null; gfz?: number | null; bmz?: number | null;
	max_height_m?: number | null;
	noise_day_db?: number | null; noise_night_db?: number | null;
	description?: string | null;
	description_en?: string | null;
	contact_name?: string | null; contact_email?: string | null; contact_phone?: string | null;
	expose_url?: string | null;
	last_confirmed?: string | null;
	gross_area_ha?: number;
	net_area_ha?: number;
	net_area_estimated?: boolean;
	size_class?: string;
	dist_motorway_km?: number | null;
	dist_rail_terminal_km?: number | null;
	dist_airport_km?: number | null;
	dist_port_km?: number | null;
	valid_from?: string;
	// Internal fields: present only in answers to signed-in readers.
	ownership?: string | null;
	owner_willing?: string | null;
	remarks?: string | null;
	publication?: string;
	source?: string | null;
	changed_by?: string | null;
	ended_at?: string | null;
}

/** isInternal says whether a parcel is hidden from the public (only signed-in readers get such records). */
export function isInternal(p: {publication?: unknown}): boolean {
	return p.publication === 'internal';
}

export interface Site {
	id: number | string;
	name?: string;
	gross_area_ha?: number;
	parcels?: number;
	net_offered_ha?: number;
}

export interface Constraint {
	id: number | string;
	kind: string;
	severity: string;
	name?: string | null;
}

/** ParcelDossier is a parcel with what belongs to it; site and constraints may fail on their own. */
export interface ParcelDossier {
	feature: Feature<Parcel>;
	site: Site | null;
	constraints: Constraint[] | null; // null: could not be loaded
}

/** loadDossier fetches a parcel, then its site and the constraints it touches, in parallel. */
export async function loadDossier(api: Api, id: string, signal?: AbortSignal): Promise<ParcelDossier> {
	const feature = await api.item<Parcel>('parcels', id, signal);
	const p = feature.properties;
	if (p.id === undefined || p.id === null) p.id = feature.id ?? id;
	const site = p.site_id
		? api.item<Site>('sites', p.site_id, signal).then((f) => ({...f.properties, id: f.properties.id ?? f.id ?? p.site_id!}), () => null)
		: Promise.resolve(null);
	const geomWKT = feature.geometry && wkt(feature.geometry);
	const constraints = geomWKT
		? api.items<Constraint>('constraints', {filter: `S_INTERSECTS(geometry, ${geomWKT})`, limit: 100, properties: ['id', 'kind', 'severity', 'name']}, signal)
			.then((fc) => fc.features.map((f) => ({...f.properties, id: f.properties.id ?? f.id!})), () => null)
		: Promise.resolve([]);
	return {feature, site: await site, constraints: await constraints};
}

// Formatting of single values; null and undefined become "not given".
const missing = () => h('span', {class: 'muted'}, t('sheet.unknown'));
const area = (v: number | null | undefined) => (v === null || v === undefined ? missing() : `${ha(v)} ha`);
const km = (v: number | null | undefined) => (v === null || v === undefined ? missing() : `${num(v, 1, 1)} km`);
const unit = (v: number | null | undefined, u: string, digits = 1) => (v === null || v === undefined ? missing() : `${num(v, digits)}${u ? ` ${u}` : ''}`);
const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? missing() : t(v ? 'yes' : 'no'));
const text = (v: string | null | undefined) => (v ? v : missing());

/** price writes a price range in €/m². */
export function price(min: number | null | undefined, max: number | null | undefined): string | Node {
	const eur = (v: number) => num(v, 2);
	if (min !== null && min !== undefined && max !== null && max !== undefined) return min === max ? `${eur(min)} €/m²` : `${eur(min)}–${eur(max)} €/m²`;
	if (min !== null && min !== undefined) return `${t('filters.area.min')} ${eur(min)} €/m²`;
	if (max !== null && max !== undefined) return `${t('filters.area.max')} ${eur(max)} €/m²`;
	return missing();
}

type Row = [field: string, labelKey: MessageKey, value: string | Node];

function dl(rows: Row[]): HTMLDListElement {
	return h('dl', {class: 'facts'}, rows.flatMap(([field, key, value]) => [
		h('dt', {}, term(fieldTerms[field], t(key))),
		h('dd', {'data-field': field}, value),
	]));
}

function section(titleKey: MessageKey, ...content: (Node | string | null | false)[]): HTMLElement {
	return h('section', {class: 'sheet-section', 'data-group': titleKey.replace('sheet.g.', '')},
		h('h3', {}, titleKey === 'sheet.g.constraints' ? term('constraints', t(titleKey)) : t(titleKey)), ...content);
}

/** isStale says whether a record was last confirmed more than a year ago. */
export function isStale(lastConfirmed: string | null | undefined, now = new Date()): boolean {
	if (!lastConfirmed) return true;
	const d = new Date(lastConfirmed);
	return now.getTime() - d.getTime() > 365 * 24 * 3600 * 1000;
}

/** email writes an address that breaks only after the @ and before dots, never mid-word. */
export function email(address: string): HTMLAnchorElement {
	const parts = address.split(/(?=[.@])|(?<=@)/);
	const a = h('a', {href: `mailto:${address}`, class: 'email'});
	parts.forEach((part, i) => {
		if (i > 0) a.append(h('wbr', {}));
		a.append(part);
	});
	return a;
}

/** description is the parcel's description in the reader's language, or the German one marked as such. */
function description(p: Parcel): Node | null {
	if (lang() === 'en' && p.description_en) return h('p', {class: 'description', 'data-field': 'description', lang: 'en'}, p.description_en);
	if (!p.description) return null;
	return h('div', {},
		lang() === 'en' ? h('p', {class: 'muted only-german', 'data-field': 'description-language'}, t('sheet.onlyGerman')) : null,
		h('p', {class: 'description', 'data-field': 'description', lang: 'de'}, p.description));
}

/**
 * factSections are the facts of a parcel, each once, grouped as an investor reads them: location
 * (with straight-line distances), area and planning status, availability and price, utilities,
 * restrictions, description, contact; withInternal adds the internal fields a signed-in reader's
 * answer carries (the printed exposé, meant to be handed out, leaves them out).
 */
export function factSections(d: ParcelDossier, withInternal = true): HTMLElement[] {
	const p = d.feature.properties;
	const place = `${p.municipality_name ?? ''}${p.district_name && p.district_name !== p.municipality_name ? ` (${p.district_name})` : ''}`;
	const contact: Row[] = [
		['contact_name', 'f.contact_name', text(p.contact_name)],
		['contact_email', 'f.contact_email', p.contact_email ? email(p.contact_email) : missing()],
		['contact_phone', 'f.contact_phone', p.contact_phone ? h('a', {href: `tel:${p.contact_phone.replace(/[^+\d]/g, '')}`}, p.contact_phone) : missing()],
	];
	if (safeUrl(p.expose_url)) contact.push(['expose_url', 'f.expose_url', h('a', {href: safeUrl(p.expose_url)!, rel: 'noopener', target: '_blank'}, t('sheet.expose'))]);
	const desc = description(p);
	return [
		section('sheet.g.location',
			dl([
				['municipality_name', 'f.municipality_name', text(place)],
				...siteRows(p, d.site),
				['dist_motorway_km', 'f.dist_motorway_km', km(p.dist_motorway_km)],
				['dist_rail_terminal_km', 'f.dist_rail_terminal_km', km(p.dist_rail_terminal_km)],
				['dist_airport_km', 'f.dist_airport_km', km(p.dist_airport_km)],
				['dist_port_km', 'f.dist_port_km', km(p.dist_port_km)],
			]),
			h('p', {class: 'muted sheet-note'}, term('straight', t('sheet.straight')))),
		section('sheet.g.area', dl([
			['net_area_ha', 'f.net_area_ha', p.net_area_estimated ? h('span', {}, area(p.net_area_ha), ' ', h('span', {class: 'muted'}, `(${t('sheet.estimated')})`)) : area(p.net_area_ha)],
			['gross_area_ha', 'f.gross_area_ha', area(p.gross_area_ha)],
			['size_class', 'f.size_class', p.size_class ? `${p.size_class.replace('>=', '≥ ').replace('<', '< ').replace('-', '–')} ha` : missing()],
			['use_type', 'f.use_type', text(label(useTypes, p.use_type))],
			['planning_status', 'f.planning_status', text(label(planningStatuses, p.planning_status))],
			['potential_kind', 'f.potential_kind', text(label(potentialKinds, p.potential_kind))],
			['greenfield', 'f.greenfield', yesNo(p.greenfield)],
			['grz', 'f.grz', unit(p.grz, '', 2)],
			['gfz', 'f.gfz', unit(p.gfz, '', 2)],
			['bmz', 'f.bmz', unit(p.bmz, '', 2)],
			['max_height_m', 'f.max_height_m', unit(p.max_height_m, 'm')],
			['noise_day_db', 'f.noise_day_db', unit(p.noise_day_db, 'dB(A)')],
			['noise_night_db', 'f.noise_night_db', unit(p.noise_night_db, 'dB(A)')],
		])),
		section('sheet.g.market', dl([
			['availability', 'f.availability', text(label(availabilities, p.availability))],
			['available_from', 'f.available_from', p.available_from ? date(p.available_from) : missing()],
			['status', 'f.status', text(label(statuses, p.status))],
			['price', 'f.price', price(p.price_min_eur_m2, p.price_max_eur_m2)],
		])),
		section('sheet.g.utilities', dl([
			['serviced', 'f.serviced', text(label(servicedStates, p.serviced))],
			['power_mw', 'f.power_mw', unit(p.power_mw, 'MW')],
			...utilities.map((u): Row => [u, `f.${u}` as MessageKey, yesNo(p[u])]),
			['broadband_mbps', 'f.broadband_mbps', unit(p.broadband_mbps, 'Mbit/s', 0)],
		])),
		section('sheet.g.constraints', constraintList(d.constraints)),
		...(desc ? [section('sheet.g.description', desc)] : []),
		...(withInternal ? internalFacts(p) : []),
		section('sheet.g.contact', dl(contact)),
		section('sheet.g.record', dl([
			['last_confirmed', 'f.last_confirmed', p.last_confirmed
				? h('span', {}, date(p.last_confirmed), isStale(p.last_confirmed) ? h('span', {class: 'badge badge-warn'}, t('sheet.stale')) : null)
				: missing()],
			['valid_from', 'f.valid_from', p.valid_from ? date(p.valid_from) : missing()],
			['external_id', 'f.external_id', text(p.external_id)],
			['id', 'f.id', String(p.id)],
			['land', 'f.land', text(label(lands, p.land))],
		])),
	];
}

/** internalFacts are the internal fields, for signed-in readers (the public's answers lack them). */
function internalFacts(p: Parcel): HTMLElement[] {
	if (p.publication === undefined) return [];
	const el = section('sheet.internal', dl([
		['publication', 'f.publication', h('span', {class: isInternal(p) ? 'badge badge-internal' : ''}, label(publications, p.publication))],
		['ownership', 'f.ownership', text(label(ownerships, p.ownership))],
		['owner_willing', 'f.owner_willing', text(label(ownerWillingness, p.owner_willing))],
		['remarks', 'f.remarks', text(p.remarks)],
		['source', 'f.source', text(p.source)],
		['changed_by', 'f.changed_by', text(p.changed_by)],
		...(p.ended_at ? [['ended_at', 'f.ended_at', date(p.ended_at)] satisfies Row] : []),
	]));
	el.classList.add('sheet-internal');
	return [el];
}

function constraintList(list: Constraint[] | null): Node {
	if (list === null) return h('p', {class: 'muted', 'data-field': 'constraints'}, t('sheet.constraints.error'));
	if (list.length === 0) return h('p', {'data-field': 'constraints'}, t('sheet.constraints.none'));
	const order = (c: Constraint) => (c.severity === 'severe' ? 0 : 1);
	return h('ul', {class: 'constraints', 'data-field': 'constraints'}, [...list].sort((a, b) => order(a) - order(b)).map((c) =>
		h('li', {class: `constraint constraint-${c.severity}`},
			h('span', {class: 'badge'}, label(severities, c.severity)), ' ',
			label(constraintKinds, c.kind), c.name ? ` – ${c.name}` : '')));
}

function siteRows(p: Parcel, site: Site | null): Row[] {
	if (!p.site_id) return [['site_name', 'f.site_name', h('span', {class: 'muted'}, t('sheet.site.none'))]];
	const rows: Row[] = [['site_name', 'f.site_name', text(p.site_name ?? site?.name)]];
	if (site) {
		rows.push(['site.gross_area_ha', 'f.site.gross_area_ha', area(site.gross_area_ha)]);
		if (site.parcels !== undefined) rows.push(['site.parcels', 'f.site.parcels', num(site.parcels, 0)]);
		if (site.net_offered_ha !== undefined) rows.push(['site.net_offered_ha', 'f.site.net_offered_ha', area(site.net_offered_ha)]);
	}
	return rows;
}

/** safeUrl lets only http(s) links through to an href. */
export function safeUrl(u: string | null | undefined): string | null {
	if (!u) return null;
	try {
		const url = new URL(u);
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
	} catch {
		return null;
	}
}


