// A parcel as the API describes it, what belongs to it (site, constraints, history) and how its
// facts are laid out: the fact sheet panel and the printable exposé draw the same sections. Signed-in
// readers get the internal fields too (ownership, owner willing to sell, remarks, publication,
// source, who changed it last), in a section of their own, marked internal.
import type {Api, Feature} from './api.ts';
import {codes, fieldLabel, sheetFields, catalog, type Field} from './catalog.ts';
import {h} from './dom.ts';
import {wkt} from './geo.ts';
import {fieldTerms, term} from './glossary.ts';
import {date, ha, label, lang, num, t, type MessageKey} from './i18n.ts';

/**
 * Parcel are the properties of GET /ogcapi/collections/parcels/items/{id}: the fields of the
 * registry (catalog.ts) the reader may see. Typed here are only those the app reads by name.
 */
export interface Parcel {
	id: number | string;
	name: string;
	site_id?: number | null;
	site_name?: string | null;
	district_name?: string;
	municipality_name?: string;
	use_type?: string;
	availability?: string;
	status?: string;
	price_min_eur_m2?: number | null;
	price_max_eur_m2?: number | null;
	net_area_ha?: number;
	net_area_estimated?: boolean;
	size_class?: string;
	description?: string | null;
	description_en?: string | null;
	contact_name?: string | null;
	contact_email?: string | null;
	contact_phone?: string | null;
	expose_url?: string | null;
	last_confirmed?: string | null;
	publication?: string;
	ended_at?: string | null;
	[field: string]: unknown;
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
	/** contact is the district's contact for investors, loaded when the parcel names none. */
	contact?: DistrictContact | null;
}

/** DistrictContact is a district's contact for investors (GET /api/v1/districts/{ags}/contact). */
export interface DistrictContact {
	district: string;
	office: string;
	name: string;
	email: string;
	phone: string;
	web: string;
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
	const contact = !p.contact_name && !p.contact_email && !p.contact_phone && p.district_ags
		? api.json<DistrictContact>(`/api/v1/districts/${encodeURIComponent(String(p.district_ags))}/contact`, {}, signal).catch(() => null)
		: Promise.resolve(null);
	return {feature, site: await site, constraints: await constraints, contact: await contact};
}

// Formatting of single values; null and undefined become "not given".
const missing = () => h('span', {class: 'muted'}, t('sheet.unknown'));
const area = (v: number | null | undefined) => (v === null || v === undefined ? missing() : `${ha(v)} ha`);
const text = (v: string | null | undefined) => (v ? v : missing());

/** price writes a price range in €/m². */
export function price(min: number | null | undefined, max: number | null | undefined): string | Node {
	const eur = (v: number) => num(v, 2);
	if (min !== null && min !== undefined && max !== null && max !== undefined) return min === max ? `${eur(min)} €/m²` : `${eur(min)}–${eur(max)} €/m²`;
	if (min !== null && min !== undefined) return `${t('filters.area.min')} ${eur(min)} €/m²`;
	if (max !== null && max !== undefined) return `${t('filters.area.max')} ${eur(max)} €/m²`;
	return missing();
}

/** formatField writes a value as its registry field says: codes by their label, yes/no, numbers with their unit, dates. */
export function formatField(f: Field, v: unknown): string | Node {
	if (v === null || v === undefined || v === '') return missing();
	switch (f.type) {
		case 'code':
			return label(f.codes?.codes ?? [], String(v));
		case 'boolean':
			return t(v ? 'yes' : 'no');
		case 'number':
		case 'integer': {
			const n = Number(v);
			if (f.unit === 'ha') return `${ha(n)} ha`;
			const digits = f.digits ?? 1;
			return `${num(n, digits, f.unit === 'km' ? digits : 0)}${f.unit ? ` ${f.unit.replace('EUR', '€')}` : ''}`;
		}
		case 'date':
		case 'timestamp':
			return date(String(v));
	}
	return String(v);
}

type Row = [field: string, label: string, value: string | Node];

function dl(rows: Row[]): HTMLDListElement {
	return h('dl', {class: 'facts'}, rows.flatMap(([field, name, value]) => [
		h('dt', {}, term(fieldTerms[field], name)),
		h('dd', {'data-field': field}, value),
	]));
}

/** section is one group of the fact sheet (data-group: its name), titled by sheet.g.{name}. */
function section(name: string, ...content: (Node | string | null | false)[]): HTMLElement {
	const title = t(`sheet.g.${name}` as MessageKey);
	return h('section', {class: 'sheet-section', 'data-group': name},
		h('h3', {}, name === 'constraints' ? term('constraints', title) : title), ...content);
}

/** isStale says whether a record was last confirmed more than a year ago. */
export function isStale(lastConfirmed: string | null | undefined, now = new Date()): boolean {
	if (!lastConfirmed) return true;
	const d = new Date(lastConfirmed);
	return now.getTime() - d.getTime() > 365 * 24 * 3600 * 1000;
}

const netArea = (p: Parcel) =>
	p.net_area_estimated ? h('span', {}, area(p.net_area_ha), ' ', h('span', {class: 'muted'}, `(${t('sheet.estimated')})`)) : area(p.net_area_ha);

/**
 * rowsOf lays out a fact sheet section from the registry: every field it places there, most as
 * their type says, a few with a form of their own (links, the price range, the stale mark).
 */
function rowsOf(sectionName: string, p: Parcel): Row[] {
	const rows: Row[] = [];
	for (const f of sheetFields(sectionName)) {
		const v = p[f.name];
		const name = f.label[lang()];
		switch (f.name) {
			case 'net_area_ha':
				rows.push([f.name, name, netArea(p)]);
				break;
			case 'price_min_eur_m2':
				rows.push(['price', t('f.price'), price(p.price_min_eur_m2, p.price_max_eur_m2)]);
				break;
			case 'price_max_eur_m2':
				break;
			case 'contact_email':
				rows.push([f.name, name, p.contact_email ? email(p.contact_email) : missing()]);
				break;
			case 'contact_phone':
				rows.push([f.name, name, p.contact_phone ? h('a', {href: `tel:${p.contact_phone.replace(/[^+\d]/g, '')}`}, p.contact_phone) : missing()]);
				break;
			case 'expose_url':
				// Only a link is worth a row: "Exposé: not given" next to "Print exposé" misleads.
				if (safeUrl(p.expose_url)) rows.push([f.name, name, exposeLink(p)]);
				break;
			case 'last_confirmed':
				break; // the "Stand" line under the title says it (confirmedLine)
			case 'publication':
				rows.push([f.name, name, h('span', {class: isInternal(p) ? 'badge badge-internal' : ''}, formatField(f, v))]);
				break;
			case 'ended_at':
				if (p.ended_at) rows.push([f.name, name, date(p.ended_at)]);
				break;
			case 'id':
				rows.push([f.name, name, String(p.id)]);
				break;
			default:
				rows.push([f.name, name, formatField(f, v)]);
		}
	}
	return rows;
}

/** email writes an address that breaks only after the @ and before dots, never mid-word. */
export function email(address: string): HTMLAnchorElement {
	const a = h('a', {href: `mailto:${address}`, class: 'email'});
	address.split(/(?=[.@])|(?<=@)/).forEach((part, i) => {
		if (i > 0) a.append(h('wbr', {}));
		a.append(part);
	});
	return a;
}

const exposeLink = (p: Parcel) => h('a', {href: safeUrl(p.expose_url)!, rel: 'noopener', target: '_blank'}, t('sheet.expose'));

/** description is the parcel's description in the reader's language, or the German one marked as such. */
function description(p: Parcel): Node | null {
	if (lang() === 'en' && p.description_en) return h('p', {class: 'description', 'data-field': 'description', lang: 'en'}, p.description_en);
	if (!p.description) return null;
	return h('div', {},
		lang() === 'en' ? h('p', {class: 'muted only-german', 'data-field': 'description-language'}, t('sheet.onlyGerman')) : null,
		h('p', {class: 'description', 'data-field': 'description', lang: 'de'}, p.description));
}

/** confirmedLine says how current the record is: "Stand: zuletzt bestätigt am …", or never confirmed. */
export function confirmedLine(p: Parcel): HTMLElement {
	return h('p', {class: 'confirmed-line', 'data-field': 'confirmed-line', 'data-confirmed': p.last_confirmed ?? ''},
		p.last_confirmed ? t('sheet.confirmedOn', {date: date(p.last_confirmed)}) : t('sheet.neverConfirmed'),
		p.last_confirmed && isStale(p.last_confirmed) ? [' ', h('span', {class: 'badge badge-warn'}, t('sheet.stale'))] : null);
}

/**
 * factSections are the facts of a parcel, each once, in the registry's sections (location with
 * the site and straight-line distances, area and planning, market, utilities, contact, record),
 * with the restrictions and the description after the utilities; withInternal adds the internal
 * fields a signed-in reader's answer carries (the printed exposé, meant to be handed out, leaves
 * them out).
 */
export function factSections(d: ParcelDossier, withInternal = true): HTMLElement[] {
	const p = d.feature.properties;
	const facts = (name: string, ...before: Row[]) => section(name, dl([...before, ...rowsOf(name, p)]));
	const sections: HTMLElement[] = [];
	for (const name of catalog().sheet_sections) {
		switch (name) {
			case 'location': {
				const place: Row = ['municipality_name', fieldLabel('municipality_name'),
					text(`${p.municipality_name ?? ''}${p.district_name && p.district_name !== p.municipality_name ? ` (${p.district_name})` : ''}`)];
				const el = facts(name, place, ...siteRows(p, d.site));
				el.append(h('p', {class: 'muted sheet-note'}, term('straight', t('sheet.straight'))));
				sections.push(el);
				break;
			}
			case 'utilities': {
				sections.push(facts(name), section('constraints', constraintList(d.constraints)));
				const desc = description(p);
				if (desc) sections.push(section('description', desc));
				break;
			}
			case 'contact':
				sections.push(districtContact(p, d.contact ?? null) ?? facts(name));
				break;
			case 'internal':
				if (withInternal && p.publication !== undefined && sheetFields(name).length) {
					const el = facts(name);
					el.classList.add('sheet-internal');
					sections.push(el);
				}
				break;
			default:
				sections.push(facts(name));
		}
	}
	return sections;
}

/** districtContact is whom an investor reaches when the parcel names no contact of its own: its
 * district's contact (null when the parcel has one, or the district has none). */
function districtContact(p: Parcel, district: DistrictContact | null): HTMLElement | null {
	if (p.contact_name || p.contact_email || p.contact_phone || !district || !(district.name || district.office || district.email || district.phone)) return null;
	const phone = (v: string | null | undefined) => (v ? h('a', {href: `tel:${v.replace(/[^+\d]/g, '')}`}, v) : missing());
	const web = safeUrl(district.web);
	const rows: Row[] = [
		['contact_office', t('contact.office'), text(district.office)],
		['contact_name', fieldLabel('contact_name'), text(district.name)],
		['contact_email', fieldLabel('contact_email'), district.email ? email(district.email) : missing()],
		['contact_phone', fieldLabel('contact_phone'), phone(district.phone)],
		['contact_web', t('contact.web'), web ? h('a', {href: web, rel: 'noopener', target: '_blank'}, district.web) : missing()],
	];
	if (safeUrl(p.expose_url)) rows.push(['expose_url', fieldLabel('expose_url'), exposeLink(p)]);
	return section('contact', h('p', {class: 'hint', 'data-contact': 'district'}, t('contact.fromDistrict')), dl(rows));
}

function constraintList(list: Constraint[] | null): Node {
	if (list === null) return h('p', {class: 'muted', 'data-field': 'constraints'}, t('sheet.constraints.error'));
	if (list.length === 0) return h('p', {'data-field': 'constraints'}, t('sheet.constraints.none'));
	const order = (c: Constraint) => (c.severity === 'severe' ? 0 : 1);
	return h('ul', {class: 'constraints', 'data-field': 'constraints'}, [...list].sort((a, b) => order(a) - order(b)).map((c) =>
		h('li', {class: `constraint constraint-${c.severity}`},
			h('span', {class: 'badge'}, label(codes('severity'), c.severity)), ' ',
			label(codes('constraint_kind'), c.kind), c.name ? ` – ${c.name}` : '')));
}

function siteRows(p: Parcel, site: Site | null): Row[] {
	if (!p.site_id) return [['site_name', fieldLabel('site_name'), h('span', {class: 'muted'}, t('sheet.site.none'))]];
	const rows: Row[] = [['site_name', fieldLabel('site_name'), text(p.site_name ?? site?.name)]];
	if (site) {
		rows.push(['site.gross_area_ha', t('f.site.gross_area_ha'), area(site.gross_area_ha)]);
		if (site.parcels !== undefined) rows.push(['site.parcels', t('f.site.parcels'), num(site.parcels, 0)]);
		if (site.net_offered_ha !== undefined) rows.push(['site.net_offered_ha', t('f.site.net_offered_ha'), area(site.net_offered_ha)]);
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

export {dl};
