// The printable result list (/list/print with the map's filters): every parcel of the result,
// largest first, each with a small location sketch and its key facts, ready to print or save as
// PDF. It asks the same items API as the list, so it shows what the list shows.
import type {Api, Feature} from './api.ts';
import {fieldCodes, fieldLabel} from './catalog.ts';
import {formatDate} from './dates.ts';
import {h, replace} from './dom.ts';
import {ha, label, lang, num, t} from './i18n.ts';
import {parcelColors} from './map/colors.ts';
import {price} from './parcel.ts';
import {sketch} from './sketch.ts';
import type {ExportQuery} from './export.ts';

/** listLimit is how many parcels one printed list holds. */
export const listLimit = 100;

export interface ListPrintOptions {
	root: HTMLElement;
	api: Api;
	query: ExportQuery;
	inView: boolean;
	/** mapUrl is the link back to the map with this selection; parcelUrl a fact sheet's link. */
	mapUrl: string;
	parcelUrl: (id: string) => string;
	onBack: () => void;
	onLang: () => void;
}

type Row = Feature<Record<string, unknown>>;

export class ListPrintPage {
	private rows: Row[] = [];
	private matched = 0;
	private state: 'loading' | 'ready' | 'error' = 'loading';
	private error = '';
	settled: Promise<void>;

	constructor(private opts: ListPrintOptions) {
		opts.root.hidden = false;
		this.render();
		const properties = ['id', 'name', 'municipality_name', 'district_name', 'net_area_ha', 'use_type', 'planning_status', 'availability', 'available_from', 'price_min_eur_m2', 'price_max_eur_m2', 'dist_motorway_km'];
		this.settled = opts.api.items('parcels', {...opts.query, sortby: '-net_area_ha', limit: listLimit, properties}).then((page) => {
			this.rows = page.features;
			this.matched = page.numberMatched ?? page.features.length;
			this.state = 'ready';
			this.render();
		}, (e) => {
			this.state = 'error';
			this.error = e instanceof Error ? e.message : String(e);
			this.render();
		});
	}

	render(): void {
		const root = this.opts.root;
		root.dataset.state = this.state;
		document.title = `${t('list.title')} – landatlas`;
		const toolbar = h('div', {class: 'print-toolbar'},
			h('button', {type: 'button', class: 'button', onclick: () => this.opts.onBack()}, t('list.back')),
			h('button', {type: 'button', class: 'button button-primary', onclick: () => window.print(), disabled: this.state !== 'ready'}, t('list.print')),
			h('button', {type: 'button', class: 'button button-quiet', lang: lang() === 'de' ? 'en' : 'de', 'aria-label': t('lang.switch.label'), onclick: () => this.opts.onLang()}, t('lang.switch')));
		const total = this.rows.reduce((s, r) => s + (Number(r.properties.net_area_ha) || 0), 0);
		const today = new Date().toISOString().slice(0, 10);
		replace(root, toolbar,
			h('article', {class: 'parcel-list-print'},
				h('header', {class: 'expose-head'},
					h('p', {class: 'expose-kicker'}, 'landatlas'),
					h('h1', {}, t('list.title')),
					h('p', {}, t('list.date', {date: formatDate(today, lang())}), ' · ',
						this.matched === 1 ? t('results.count.one', {n: num(this.matched, 0), ha: ha(total)}) : t('results.count', {n: num(this.matched, 0), ha: ha(total)}),
						this.opts.inView ? ` · ${t('list.inview')}` : ''),
					h('p', {class: 'muted'}, `${t('list.filters')}: `, h('a', {href: this.opts.mapUrl}, this.opts.mapUrl))),
				h('p', {class: 'expose-demo'}, t('print.demo')),
				this.state === 'loading' && h('p', {}, t('list.loading')),
				this.state === 'error' && h('p', {class: 'error', role: 'alert'}, t('list.error', {msg: this.error})),
				this.matched > this.rows.length && h('p', {class: 'muted'}, t('list.more', {shown: num(this.rows.length, 0), n: num(this.matched, 0)})),
				h('ol', {class: 'parcel-cards'}, this.rows.map((r) => this.card(r))),
				h('footer', {class: 'expose-foot'}, h('p', {}, '© GeoBasis-DE / BKG · ', t('attribution.demo')))));
	}

	private card(r: Row): HTMLLIElement {
		const p = r.properties;
		const id = String(p.id ?? r.id);
		const name = String(p.name ?? '');
		const fact = (k: string, v: string | Node) => h('div', {}, h('dt', {}, k), h('dd', {}, v));
		const dist = typeof p.dist_motorway_km === 'number' ? `${num(p.dist_motorway_km, 1)} km (${t('dist.straight')})` : '–';
		return h('li', {class: 'parcel-card', 'data-id': id},
			sketch(r.geometry, {width: 150, height: 110, fill: parcelColors.availability[String(p.availability)] ?? '#bdbdbd', label: t('list.map', {name})}),
			h('div', {class: 'parcel-card-body'},
				h('h2', {}, name, ' ', h('span', {class: 'muted'}, `${ha(Number(p.net_area_ha) || 0)} ha`)),
				h('p', {class: 'muted'}, [p.municipality_name, p.district_name].filter(Boolean).join(', ')),
				h('dl', {class: 'parcel-card-facts'},
					fact(fieldLabel('use_type'), label(fieldCodes('use_type'), p.use_type as string)),
					fact(fieldLabel('planning_status'), label(fieldCodes('planning_status'), p.planning_status as string)),
					fact(fieldLabel('availability'), label(fieldCodes('availability'), p.availability as string) + (p.available_from ? ` (${formatDate(p.available_from as string, lang())})` : '')),
					fact(t('list.price'), price(p.price_min_eur_m2 as number | null, p.price_max_eur_m2 as number | null)),
					fact(t('filters.dist.motorway'), dist)),
				h('p', {class: 'parcel-card-link'}, h('a', {href: this.opts.parcelUrl(id)}, this.opts.parcelUrl(id)))));
	}

	destroy(): void {
		this.opts.root.hidden = true;
		replace(this.opts.root);
	}
}
