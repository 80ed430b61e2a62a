// The result list and the count of matching parcels and hectares. Both ask the items endpoint with
// the same CQL2 filter as the map's tiles: the count from numberMatched, the hectares by summing
// net_area_ha over every matching parcel (paged), the list page by page in the chosen order. For a
// past date both ask for the state at that date (datetime); signed-in readers see internal parcels,
// marked as such.
import type {Api, FeatureCollection} from '../api.ts';
import {codes} from '../catalog.ts';
import {announce, h, replace} from '../dom.ts';
import {enquiryButton} from './enquiry.ts';
import {ha, label, num, t, type MessageKey} from '../i18n.ts';
import {parcelColors} from '../map/colors.ts';
import {sorts, type Sort} from '../state.ts';

/** ListItem are the properties the list shows. */
export interface ListItem {
	id: number | string;
	name: string;
	municipality_name: string;
	net_area_ha: number;
	use_type: string;
	availability: string;
	dist_motorway_km: number | null;
	publication?: string;
}

/** QueryOptions say which state (datetime, RFC 3339) and whether internal parcels are listed. */
export interface QueryOptions {
	datetime?: string;
	internal?: boolean;
	/** bbox limits the list and the count to the map view (west, south, east, north). */
	bbox?: [number, number, number, number];
}

const listProperties = ['id', 'name', 'municipality_name', 'net_area_ha', 'use_type', 'availability', 'dist_motorway_km'];
const pageSize = 50;
const sumPageSize = 10000;

/** Summary is what the count line says. */
export interface Summary {
	count: number;
	netHa: number;
	/** siteIds are the sites holding a matching parcel (the map draws only those when filtered). */
	siteIds: number[];
}

export interface ResultsEvents {
	onHover: (id: string | null) => void;
	onSelect: (id: string, geometry: GeoJSON.Geometry | null) => void;
	onSort: (sort: Sort) => void;
	/** Called with the figures of each finished query. */
	onSummary?: (summary: Summary) => void;
}

export class ResultsPanel {
	private countEl: HTMLElement;
	private listEl: HTMLOListElement;
	private moreEl: HTMLElement;
	private sortSelect: HTMLSelectElement;
	private heading: HTMLElement;
	private sortLabel: HTMLElement;
	private items: {props: ListItem; geometry: GeoJSON.Geometry | null}[] = [];
	private summary: Summary | null = null;
	private next: FeatureCollection<ListItem> | null = null;
	private error = '';
	private controller: AbortController | null = null;
	private selected: string | null = null;
	/** settled resolves when the current query's count and first page are in (for tests). */
	settled: Promise<void> = Promise.resolve();

	constructor(private root: HTMLElement, summaryRoot: HTMLElement, private api: Api, private ev: ResultsEvents) {
		this.heading = h('h2', {id: 'results-title'});
		this.sortLabel = h('label', {for: 'results-sort'});
		this.sortSelect = h('select', {id: 'results-sort'});
		this.sortSelect.addEventListener('change', () => this.ev.onSort(this.sortSelect.value as Sort));
		this.countEl = h('p', {class: 'results-count', id: 'results-count'});
		summaryRoot.append(this.countEl);
		this.listEl = h('ol', {class: 'results-list', 'aria-labelledby': 'results-title'});
		this.moreEl = h('div', {class: 'results-more'});
		root.append(
			h('div', {class: 'results-head'}, this.heading, h('div', {class: 'field field-inline'}, this.sortLabel, this.sortSelect)),
			this.listEl, this.moreEl);
	}

	/** query loads the count, the hectares and the first page for a filter and order. */
	query(filter: string, sort: Sort, opts: QueryOptions = {}): Promise<void> {
		this.controller?.abort();
		const ctl = new AbortController();
		this.controller = ctl;
		this.sortSelect.value = sort;
		this.setState('loading');
		this.error = '';
		const properties = opts.internal ? [...listProperties, 'publication'] : listProperties;
		const list = this.api.items<ListItem>('parcels', {filter, datetime: opts.datetime, sortby: sort, limit: pageSize, properties, bbox: opts.bbox}, ctl.signal);
		const sum = this.sum(filter, opts.datetime, opts.bbox, ctl.signal);
		this.settled = Promise.all([list, sum]).then(([page, summary]) => {
			if (ctl.signal.aborted) return;
			this.items = page.features.map((f) => ({props: {...f.properties, id: f.properties.id ?? f.id!}, geometry: f.geometry}));
			this.next = page.links?.some((l) => l.rel === 'next') ? page : null;
			this.summary = summary;
			this.setState('ready');
			this.render();
			announce(this.countText());
			this.ev.onSummary?.(summary);
		}, (e) => {
			if (ctl.signal.aborted) return;
			this.error = e instanceof Error ? e.message : String(e);
			this.items = [];
			this.summary = null;
			this.next = null;
			this.setState('error');
			this.render();
		});
		return this.settled;
	}

	private async sum(filter: string, datetime: string | undefined, bbox: QueryOptions['bbox'], signal: AbortSignal): Promise<Summary> {
		type Row = {net_area_ha: number; site_id?: number | null};
		let page: FeatureCollection<Row> | null =
			await this.api.items<Row>('parcels', {filter, datetime, bbox, limit: sumPageSize, properties: ['net_area_ha', 'site_id'], skipGeometry: true}, signal);
		const matched = page.numberMatched;
		let netHa = 0;
		let seen = 0;
		const sites = new Set<number>();
		while (page) {
			for (const f of page.features) {
				netHa += Number(f.properties.net_area_ha) || 0;
				if (typeof f.properties.site_id === 'number') sites.add(f.properties.site_id);
			}
			seen += page.features.length;
			page = matched === undefined || seen < matched ? await this.api.nextPage(page, signal) : null;
		}
		return {count: matched ?? seen, netHa, siteIds: [...sites]};
	}

	private async loadMore(): Promise<void> {
		if (!this.next) return;
		const ctl = this.controller ?? new AbortController();
		const page = await this.api.nextPage(this.next, ctl.signal);
		if (!page || ctl.signal.aborted) return;
		const first = this.items.length;
		this.items.push(...page.features.map((f) => ({props: {...f.properties, id: f.properties.id ?? f.id!}, geometry: f.geometry})));
		this.next = page.links?.some((l) => l.rel === 'next') ? page : null;
		this.render();
		this.listEl.querySelectorAll<HTMLButtonElement>('button')[first]?.focus();
	}

	private setState(state: 'loading' | 'ready' | 'error'): void {
		this.root.dataset.state = state;
		this.countEl.dataset.state = state;
		this.root.setAttribute('aria-busy', String(state === 'loading'));
	}

	/** select marks the selected parcel in the list. */
	select(id: string | null): void {
		this.selected = id;
		for (const li of this.listEl.children) li.classList.toggle('selected', (li as HTMLElement).dataset.id === id);
	}

	private countText(): string {
		if (!this.summary) return '';
		const vars = {n: num(this.summary.count, 0), ha: ha(this.summary.netHa)};
		return this.summary.count === 1 ? t('results.count.one', vars) : t('results.count', vars);
	}

	/** render draws the panel in the current language from what was loaded. */
	render(): void {
		this.heading.textContent = t('results.title');
		this.sortLabel.textContent = t('results.sort');
		const current = this.sortSelect.value || '-net_area_ha';
		replace(this.sortSelect, sorts.map((s) => h('option', {value: s, selected: s === current}, t(`sort.${s}` as MessageKey))));
		this.sortSelect.value = current;
		if (this.root.dataset.state === 'loading' && !this.summary) {
			this.countEl.textContent = t('results.loading');
		} else if (this.error) {
			this.countEl.textContent = t('results.error', {msg: this.error});
		} else {
			replace(this.countEl, h('span', {'data-count': this.summary?.count ?? 0, 'data-net-ha': this.summary?.netHa ?? 0}, this.countText()));
		}
		replace(this.listEl, this.items.map(({props, geometry}) => this.row(props, geometry)));
		if (this.summary && this.summary.count === 0 && !this.error) {
			this.listEl.append(h('li', {class: 'results-empty'}, t('results.empty')));
		}
		const rest = (this.summary?.count ?? 0) - this.items.length;
		replace(this.moreEl,
			this.items.length > 0 && h('p', {class: 'muted'}, t('results.shown', {shown: num(this.items.length, 0), n: num(this.summary?.count ?? 0, 0)})),
			this.next && rest > 0 && h('button', {type: 'button', class: 'button', onclick: () => void this.loadMore()}, t('results.more', {n: num(Math.min(rest, pageSize), 0)})),
			this.items.length > 0 && enquiryButton(this.api, 'enquiry-selection', 'enquiry.selection', () => {
				const ids = this.items.filter(({props}) => props.publication !== 'internal').slice(0, 50).map(({props}) => Number(props.id));
				return {parcelIds: ids, label: t('enquiry.about.selection', {n: num(ids.length, 0)})};
			}));
	}

	private row(p: ListItem, geometry: GeoJSON.Geometry | null): HTMLLIElement {
		const id = String(p.id);
		const color = parcelColors.availability[p.availability] ?? '#bdbdbd';
		const button = h('button', {type: 'button', class: 'result', 'data-id': id},
			h('span', {class: 'result-name'}, p.name,
				p.publication === 'internal' ? h('span', {class: 'badge badge-internal', 'data-badge': 'internal'}, t('internal.badge')) : null),
			h('span', {class: 'result-area'}, `${ha(p.net_area_ha)} ha`),
			h('span', {class: 'result-meta'},
				p.municipality_name, ' · ', label(codes('use_type'), p.use_type),
				p.dist_motorway_km !== null && p.dist_motorway_km !== undefined ? ` · ${t('filters.dist.motorway')} ${num(p.dist_motorway_km, 1)} km` : ''),
			h('span', {class: 'result-avail'},
				h('span', {class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true'}),
				label(codes('availability'), p.availability)));
		button.addEventListener('mouseenter', () => this.ev.onHover(id));
		button.addEventListener('mouseleave', () => this.ev.onHover(null));
		button.addEventListener('focus', () => this.ev.onHover(id));
		button.addEventListener('blur', () => this.ev.onHover(null));
		button.addEventListener('click', () => this.ev.onSelect(id, geometry));
		return h('li', {'data-id': id, class: id === this.selected ? 'selected' : ''}, button);
	}
}
