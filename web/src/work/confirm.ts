// "Still current" on the upload page (issue 12): an editor confirms parcels of the district as
// current without changing them — ticked ones of the list (sorted by how long ago each was
// confirmed), the parcels the map's filters select, or the whole district. Each confirmation is
// one request to POST /api/v1/districts/{ags}/confirm; the server records it in the history.
import {flags} from '../catalog.ts';
import {quote, cql2} from '../filters.ts';
import {announce, h} from '../dom.ts';
import {date, num, t} from '../i18n.ts';
import {errorText, type WorkContext} from './context.ts';
import type {Upload} from './uploadviews.ts';

interface Row {
	id: number;
	external_id: string;
	name: string;
	last_confirmed?: string | null;
}

interface Page {
	features: {id: number | string; properties: Row}[];
	numberMatched?: number;
	links?: {rel: string; href: string}[];
}

/** listed is how many parcels the list shows, the least recently confirmed first. */
const listed = 50;
/** idPage is the page size when the ids of a filter's result are collected. */
const idPage = 5000;

export class ConfirmSection {
	private district = '';
	private rows: Row[] | null = null;
	private total = 0;
	private selected = new Set<number>();
	private message = '';
	private error = '';
	private working = false;

	constructor(private ctx: WorkContext, private rerender: () => void) {}

	/** load fetches the district's current parcels, least recently confirmed first. */
	async load(district: string): Promise<void> {
		if (!district) return;
		if (district !== this.district) {
			this.selected.clear();
			this.message = '';
		}
		this.district = district;
		// Never confirmed first (the API sorts missing dates last), then the oldest confirmations.
		const items = (filter: string, sortby?: string) => this.ctx.api.json<Page>('/ogcapi/collections/parcels/items', {
			f: 'json', filter: `district_ags = ${quote(district)} AND ${filter}`, sortby, limit: listed, properties: 'external_id,name,last_confirmed'});
		try {
			const [never, oldest] = await Promise.all([items('last_confirmed IS NULL'), items('last_confirmed IS NOT NULL', 'last_confirmed')]);
			this.rows = [...never.features, ...oldest.features].slice(0, listed).map((f) => ({...f.properties, id: Number(f.id)}));
			this.total = (never.numberMatched ?? 0) + (oldest.numberMatched ?? 0);
		} catch (e) {
			this.rows = null;
			this.error = errorText(e);
		}
	}

	view(district: string): HTMLElement {
		const rows = this.rows ?? [];
		const filter = cql2(this.ctx.state().filters, flags().map((f) => f.name));
		const list = h('table', {class: 'figure-table', id: 'confirm-list'},
			h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, ''), h('th', {scope: 'col'}, t('confirm.parcel')), h('th', {scope: 'col'}, t('confirm.last')))),
			h('tbody', {}, rows.map((r) => {
				const box = h('input', {type: 'checkbox', 'data-confirm': r.id, checked: this.selected.has(r.id), 'aria-label': t('confirm.select', {name: r.name || r.external_id})});
				box.addEventListener('change', () => {
					if (box.checked) this.selected.add(r.id);
					else this.selected.delete(r.id);
					this.rerender();
				});
				return h('tr', {'data-parcel': r.id, 'data-last-confirmed': r.last_confirmed ?? ''},
					h('td', {}, box), h('th', {scope: 'row'}, `${r.name || r.external_id} (${r.external_id})`),
					h('td', {}, r.last_confirmed ? date(r.last_confirmed) : t('confirm.never')));
			})));
		return h('section', {class: 'confirm', id: 'confirm', 'aria-labelledby': 'confirm-title'},
			h('h3', {id: 'confirm-title'}, t('confirm.title')),
			h('p', {class: 'hint'}, t('confirm.intro', {n: num(this.total, 0)})),
			this.error ? h('p', {class: 'error', role: 'alert'}, this.error) : null,
			this.message ? h('p', {class: 'ok', role: 'status', id: 'confirm-done'}, this.message) : null,
			rows.length ? list : null,
			h('div', {class: 'button-row'},
				h('button', {type: 'button', class: 'button', id: 'confirm-selected', disabled: this.working || this.selected.size === 0,
					onclick: () => void this.confirm({ids: [...this.selected]})}, t('confirm.selected', {n: this.selected.size})),
				h('button', {type: 'button', class: 'button', id: 'confirm-filter', disabled: this.working || !filter,
					onclick: () => void this.confirmFilter(district, filter)}, t('confirm.filter')),
				h('button', {type: 'button', class: 'button', id: 'confirm-all', disabled: this.working,
					onclick: () => void this.confirm({all: true})}, t('confirm.all', {n: num(this.total, 0)}))));
	}

	/** confirmFilter collects the ids of the district's parcels the map's filters select and confirms them. */
	private async confirmFilter(district: string, filter: string): Promise<void> {
		const ids: number[] = [];
		try {
			let page = await this.ctx.api.json<Page>('/ogcapi/collections/parcels/items', {
				f: 'json', filter: `district_ags = ${quote(district)} AND (${filter})`, limit: idPage, properties: 'id'});
			for (let i = 0; i < 100; i++) {
				ids.push(...page.features.map((f) => Number(f.id)));
				const next = page.links?.find((l) => l.rel === 'next');
				if (!next) break;
				page = await this.ctx.api.json<Page>(next.href);
			}
		} catch (e) {
			this.error = errorText(e);
			this.rerender();
			return;
		}
		if (!ids.length) {
			this.message = t('confirm.none');
			this.rerender();
			return;
		}
		await this.confirm({ids});
	}

	private async confirm(body: {ids?: number[]; all?: boolean}): Promise<void> {
		this.working = true;
		this.error = '';
		this.message = '';
		this.rerender();
		try {
			const u = await this.ctx.api.send<Upload>(`/api/v1/districts/${this.district}/confirm`, {method: 'POST', body});
			this.message = t('confirm.done', {n: num(u.preview?.changed ?? 0, 0), date: date(u.applied_at ?? '')});
			this.selected.clear();
			await this.load(this.district);
			announce(this.message);
		} catch (e) {
			this.error = errorText(e);
		}
		this.working = false;
		this.rerender();
	}
}
