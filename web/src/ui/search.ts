// The search box for places (municipality names and AGS), parcel names and, with a geocoder on the
// server, addresses and postcodes: an ARIA combobox whose options come from the API as the user
// types. Without a geocoder the box says what it can find.
import type {Api} from '../api.ts';
import {debounce, h, replace} from '../dom.ts';
import {quote} from '../filters.ts';
import {ha, t} from '../i18n.ts';

interface Option {
	kind: 'place' | 'parcel' | 'address';
	id: string;
	label: string;
	detail: string;
	geometry: GeoJSON.Geometry | null;
}

export interface SearchEvents {
	onPlace: (ags: string, geometry: GeoJSON.Geometry | null) => void;
	onParcel: (id: string, geometry: GeoJSON.Geometry | null) => void;
	/** onAddress shows a geocoded address (a point, with the geocoder's box where it gave one). */
	onAddress?: (geometry: GeoJSON.Geometry, bbox: number[] | null) => void;
}

export class SearchBox {
	private input: HTMLInputElement;
	private listbox: HTMLUListElement;
	private labelEl: HTMLLabelElement;
	private options: Option[] = [];
	private active = -1;
	private controller: AbortController | null = null;
	private searched = '';

	private boxes = new Map<number, number[] | null>();

	constructor(root: HTMLElement, private api: Api, private ev: SearchEvents, private geocoder = false) {
		this.labelEl = h('label', {for: 'search', class: 'visually-hidden'});
		this.input = h('input', {
			id: 'search', type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
			'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'search-options',
		});
		this.listbox = h('ul', {id: 'search-options', role: 'listbox', class: 'search-options', hidden: true});
		const run = debounce(() => void this.search(), 220);
		this.input.addEventListener('input', run);
		this.input.addEventListener('keydown', (e) => this.key(e));
		this.input.addEventListener('blur', () => setTimeout(() => this.hide(), 150));
		root.append(this.labelEl, this.input, this.listbox);
		this.render();
	}

	/** render sets the texts of the current language. */
	render(): void {
		this.labelEl.textContent = t(this.geocoder ? 'search.label.geocoder' : 'search.label');
		this.input.placeholder = t(this.geocoder ? 'search.placeholder.geocoder' : 'search.placeholder.ags');
		if (!this.listbox.hidden) this.draw();
	}

	private async search(): Promise<void> {
		const q = this.input.value.replace(/[%_\\]/g, '').trim();
		if (q === this.searched) return;
		this.searched = q;
		this.controller?.abort();
		if (q.length < 2) {
			this.options = [];
			this.hide();
			return;
		}
		const ctl = new AbortController();
		this.controller = ctl;
		const like = `CASEI(name) LIKE CASEI(${quote(`%${q}%`)})`;
		// Digits: a municipality's AGS (8 digits; its first 5 are the district's) or its start.
		const ags = /^\d{2,8}$/.test(q) ? `ags LIKE ${quote(`${q}%`)}` : '';
		type Geocoded = {results: {label: string; geometry: GeoJSON.Geometry; bbox?: number[]}[]};
		const [places, parcels, addresses] = await Promise.all([
			this.api.items<{ags: string; name: string; district_name?: string}>('municipalities', {filter: ags || like, limit: 6, properties: ['ags', 'name', 'district_name']}, ctl.signal).catch(() => null),
			ags ? null : this.api.items<{id: number; name: string; municipality_name?: string; net_area_ha?: number}>('parcels', {filter: like, limit: 6, properties: ['id', 'name', 'municipality_name', 'net_area_ha']}, ctl.signal).catch(() => null),
			this.geocoder ? this.api.json<Geocoded>('/api/v1/geocode', {q}, ctl.signal).catch(() => null) : null,
		]);
		if (ctl.signal.aborted) return;
		this.boxes.clear();
		this.options = [
			...(addresses?.results ?? []).slice(0, 5).map((a, i): Option => {
				this.boxes.set(i, a.bbox ?? null);
				return {kind: 'address', id: String(i), label: a.label, detail: '', geometry: a.geometry};
			}),
			...(places?.features ?? []).map((f): Option => ({
				kind: 'place', id: String(f.properties.ags ?? f.id), label: f.properties.name,
				detail: [f.properties.district_name, ags ? `AGS ${f.properties.ags}` : ''].filter(Boolean).join(' · '), geometry: f.geometry,
			})),
			...(parcels?.features ?? []).map((f): Option => ({
				kind: 'parcel', id: String(f.properties.id ?? f.id), label: f.properties.name,
				detail: [f.properties.municipality_name, typeof f.properties.net_area_ha === 'number' ? `${ha(f.properties.net_area_ha)} ha` : ''].filter(Boolean).join(' · '),
				geometry: f.geometry,
			})),
		];
		this.active = -1;
		this.draw();
	}

	private draw(): void {
		const group = (kind: Option['kind']) => this.options.map((o, i) => ({o, i})).filter(({o}) => o.kind === kind);
		const item = ({o, i}: {o: Option; i: number}) => {
			const li = h('li', {id: `search-opt-${i}`, role: 'option', class: 'search-option', 'aria-selected': String(i === this.active), 'data-kind': o.kind, 'data-id': o.id},
				h('span', {class: 'search-label'}, o.label), o.detail ? h('span', {class: 'search-detail'}, o.detail) : null);
			li.addEventListener('mousedown', (e) => {
				e.preventDefault();
				this.choose(i);
			});
			return li;
		};
		const places = group('place');
		const parcels = group('parcel');
		const addresses = group('address');
		replace(this.listbox,
			addresses.length > 0 && h('li', {role: 'presentation', class: 'search-group'}, t('search.addresses')),
			addresses.map(item),
			places.length > 0 && h('li', {role: 'presentation', class: 'search-group'}, t('search.places')),
			places.map(item),
			parcels.length > 0 && h('li', {role: 'presentation', class: 'search-group'}, t('search.parcels')),
			parcels.map(item),
			this.options.length === 0 && h('li', {role: 'presentation', class: 'search-group search-none'}, t('search.none')),
			this.options.length === 0 && h('li', {role: 'presentation', class: 'search-hint'}, t(this.geocoder ? 'search.hint.geocoder' : 'search.hint')));
		this.listbox.hidden = false;
		this.input.setAttribute('aria-expanded', 'true');
		if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `search-opt-${this.active}`);
		else this.input.removeAttribute('aria-activedescendant');
	}

	private hide(): void {
		this.listbox.hidden = true;
		this.input.setAttribute('aria-expanded', 'false');
		this.input.removeAttribute('aria-activedescendant');
	}

	private key(e: KeyboardEvent): void {
		const n = this.options.length;
		if (e.key === 'ArrowDown' && n) {
			e.preventDefault();
			this.active = (this.active + 1) % n;
			this.draw();
		} else if (e.key === 'ArrowUp' && n) {
			e.preventDefault();
			this.active = (this.active - 1 + n) % n;
			this.draw();
		} else if (e.key === 'Enter') {
			e.preventDefault();
			if (n) this.choose(this.active >= 0 ? this.active : 0);
		} else if (e.key === 'Escape') {
			this.hide();
		}
	}

	private choose(i: number): void {
		const o = this.options[i];
		if (!o) return;
		this.input.value = o.label;
		this.searched = o.label;
		this.hide();
		if (o.kind === 'place') this.ev.onPlace(o.id, o.geometry);
		else if (o.kind === 'address') {
			if (o.geometry) this.ev.onAddress?.(o.geometry, this.boxes.get(Number(o.id)) ?? null);
		} else this.ev.onParcel(o.id, o.geometry);
	}
}
