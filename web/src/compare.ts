// The comparison (/compare?ids=…): up to four parcels side by side, one column each, the facts an
// investor weighs in rows (areas, use, planning status, availability, price, utilities, straight-line
// distances, restrictions), printable. The link carries the parcels, so it can be sent on.
import type {Api} from './api.ts';
import {codes, fieldLabel, flags, parcelField} from './catalog.ts';
import {formatDate} from './dates.ts';
import {h, replace} from './dom.ts';
import type {Favourites} from './favourites.ts';
import {label, lang, num, t, type MessageKey} from './i18n.ts';
import {formatField, loadDossier, price, type Parcel, type ParcelDossier} from './parcel.ts';
import {sketch} from './sketch.ts';
import {parcelColors} from './map/colors.ts';

export interface CompareOptions {
	root: HTMLElement;
	api: Api;
	ids: string[];
	favourites: Favourites;
	parcelUrl: (id: string) => string;
	onBack: () => void;
	onOpen: (id: string) => void;
	onLang: () => void;
}

type Cell = string | Node;
type RowDef = [field: string, label: string, value: (d: ParcelDossier) => Cell];

const none = () => h('span', {class: 'muted'}, t('sheet.unknown'));

/** fieldRow is a row of a registry field, its values written as the fact sheet writes them. */
const fieldRow = (name: string): RowDef => [name, fieldLabel(name), (d) => {
	const f = parcelField(name);
	const v = d.feature.properties[name];
	return f && v !== null && v !== undefined ? formatField(f, v) : none();
}];

/** rows are the facts compared, in the groups of the fact sheet; the flags are the registry's. */
function rows(): {group: MessageKey; rows: RowDef[]}[] {
	const p = (d: ParcelDossier): Parcel => d.feature.properties;
	return [
		{group: 'group.location', rows: ['municipality_name', 'district_name'].map(fieldRow)},
		{group: 'group.area', rows: ['net_area_ha', 'gross_area_ha', 'use_type', 'planning_status'].map(fieldRow)},
		{group: 'group.market', rows: [
			...['availability', 'available_from', 'status'].map(fieldRow),
			['price', t('f.price'), (d) => price(p(d).price_min_eur_m2, p(d).price_max_eur_m2)],
		]},
		{group: 'group.utilities', rows: [...['serviced', 'power_mw', 'broadband_mbps'], ...flags().map((f) => f.name)].map(fieldRow)},
		{group: 'group.access', rows: ['dist_motorway_km', 'dist_rail_terminal_km', 'dist_airport_km', 'dist_port_km'].map(fieldRow)},
		{group: 'group.constraints', rows: [
			['constraints', t('sheet.g.constraints'), (d) => {
				if (d.constraints === null) return t('sheet.constraints.error');
				if (!d.constraints.length) return t('compare.noConstraints');
				return h('ul', {class: 'compare-constraints'}, d.constraints.map((c) => h('li', {'data-kind': c.kind}, `${label(codes('constraint_kind'), c.kind)} (${label(codes('severity'), c.severity)})`)));
			}],
		]},
	];
}

export class ComparePage {
	private dossiers: (ParcelDossier | null)[] = [];
	private state: 'loading' | 'ready' | 'error' = 'loading';
	settled: Promise<void>;

	constructor(private opts: CompareOptions) {
		opts.root.hidden = false;
		this.render();
		this.settled = Promise.all(opts.ids.map((id) => loadDossier(opts.api, id).catch(() => null))).then((ds) => {
			this.dossiers = ds;
			this.state = ds.some(Boolean) ? 'ready' : 'error';
			this.render();
		});
	}

	render(): void {
		const o = this.opts;
		o.root.dataset.state = this.state;
		document.title = `${t('compare.title')} – landatlas`;
		const shown = this.dossiers.filter((d): d is ParcelDossier => d !== null);
		const keepAll = h('button', {type: 'button', class: 'button button-quiet', id: 'compare-keep', disabled: !shown.length,
			onclick: () => {
				o.favourites.add(shown.map((d) => ({id: String(d.feature.properties.id), name: d.feature.properties.name})));
				keepAll.textContent = t('compare.kept');
			}}, t('compare.keep'));
		const toolbar = h('div', {class: 'print-toolbar'},
			h('button', {type: 'button', class: 'button', onclick: () => o.onBack()}, t('list.back')),
			h('button', {type: 'button', class: 'button button-primary', id: 'compare-print', onclick: () => window.print(), disabled: this.state !== 'ready'}, t('compare.print')),
			keepAll,
			h('button', {type: 'button', class: 'button button-quiet', lang: lang() === 'de' ? 'en' : 'de', 'aria-label': t('lang.switch.label'), onclick: () => o.onLang()}, t('lang.switch')));
		const missing = o.ids.length - shown.length;
		const head = h('tr', {}, h('td', {}), shown.map((d) => {
			const p = d.feature.properties;
			const id = String(p.id);
			return h('th', {scope: 'col', 'data-id': id},
				sketch(d.feature.geometry, {width: 150, height: 100, fill: parcelColors.availability[p.availability ?? ''] ?? '#bdbdbd', label: t('list.map', {name: p.name})}),
				h('a', {href: o.parcelUrl(id), onclick: (e: Event) => {
					e.preventDefault();
					o.onOpen(id);
				}}, p.name));
		}));
		const body = rows().flatMap((g) => [
			h('tr', {class: 'compare-group'}, h('th', {scope: 'rowgroup', colspan: shown.length + 1}, t(g.group))),
			...g.rows.map(([field, name, value]) => h('tr', {'data-field': field},
				h('th', {scope: 'row'}, name),
				shown.map((d) => h('td', {'data-id': String(d.feature.properties.id)}, value(d))))),
		]);
		replace(o.root, toolbar,
			h('article', {class: 'compare'},
				h('header', {class: 'expose-head'},
					h('p', {class: 'expose-kicker'}, 'landatlas'),
					h('h1', {}, t('compare.title')),
					h('p', {}, t('list.date', {date: formatDate(new Date().toISOString().slice(0, 10), lang())}), ' · ', t('compare.note'))),
				h('p', {class: 'expose-demo'}, t('print.demo')),
				this.state === 'loading' && h('p', {}, t('list.loading')),
				this.state === 'error' && h('p', {class: 'error', role: 'alert'}, t('compare.none')),
				missing > 0 && this.state !== 'loading' && h('p', {class: 'muted'}, t('compare.missing', {n: num(missing, 0)})),
				shown.length > 0 && h('div', {class: 'compare-scroll'}, h('table', {class: 'compare-table', id: 'compare-table'}, h('thead', {}, head), h('tbody', {}, body))),
				h('footer', {class: 'expose-foot'}, h('p', {}, '© GeoBasis-DE / BKG · ', t('attribution.demo')))));
	}

	destroy(): void {
		this.opts.root.hidden = true;
		replace(this.opts.root);
	}
}
