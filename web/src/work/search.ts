// The site search for an enquiry (/search): hard criteria that exclude, weights that rank the rest,
// and the presets for typical enquiries. The API ranks (GET with a preset as it stands, POST with
// the search as edited); the page lists the ranking with each score explained in the API's words,
// draws numbered markers on the map, and outlines merged large sites over their member parcels.
import type {Api} from '../api.ts';
import {codes, flags, type Code} from '../catalog.ts';
import {announce, h, replace} from '../dom.ts';
import {ha, lang, num, t, type MessageKey} from '../i18n.ts';
import {labelPoint} from '../geo.ts';
import type {Route} from '../state.ts';
import {dateInput} from '../ui/dateinput.ts';
import {errorText, type WorkContext, type WorkPage} from './context.ts';
import type {Text} from './studytypes.ts';

/** Utilities are what a search requires or prefers: the registry's flags by name (true), and thresholds. */
interface Utilities {
	min_power_mw?: number; min_broadband_mbps?: number; serviced?: string;
	[flag: string]: boolean | number | string | undefined;
}

/** Search is the body of POST /api/v1/study/search. */
interface Search {
	preset?: string;
	criteria: {
		min_net_ha?: number; max_net_ha?: number; use_types?: string[]; planning_statuses?: string[]; availabilities?: string[];
		available_by?: string; max_distance_km?: Record<string, number>;
		exclude_constraints?: {kind?: string; severity?: string; min_share?: number}[];
		require: Utilities;
	};
	prefer: Utilities;
	target_net_ha?: number;
	weights: Record<string, number>;
	large_sites: boolean;
	site_distance_m: number;
}

interface Preset {
	name: string;
	title: Text;
	description: Text;
	search: Search;
}

interface Presets {
	presets: Preset[];
	default_weights: Record<string, number>;
	criteria: {name: string; label: Text}[];
}

interface Outcome {
	id?: number;
	member_ids?: number[];
	name: string;
	district_names: string[];
	lands: string[];
	use_type?: string;
	net_area_ha: number;
	rank?: number;
	score?: number;
	scores?: {criterion: string; weight: number; score: number}[];
	reasons?: {code: string; de: string; en: string}[];
	explanation: Text;
	geometry?: GeoJSON.Geometry;
}

interface Page {
	total: number;
	limit: number;
	offset: number;
	items: Outcome[];
	by_reason?: Record<string, number>;
}

interface Result {
	search: Search;
	parcels: Page;
	large_sites?: Page;
	excluded: Page;
}

const distanceKinds = ['motorway_junction', 'rail_freight_terminal', 'airport', 'inland_port'] as const;
const pageSize = 20;

/** defaultSearch is a search without a preset, as the API starts one. */
function defaultSearch(weights: Record<string, number>): Search {
	return {criteria: {require: {}}, prefer: {}, weights: {...weights}, large_sites: true, site_distance_m: 50};
}

export class SearchPage implements WorkPage {
	private el: HTMLElement;
	private presets: Presets | null = null;
	private result: Result | null = null;
	private geometries = new Map<number, GeoJSON.Geometry>();
	private error = '';
	private loading = false;
	private controller: AbortController | null = null;
	private ranAs = '';
	settled: Promise<void> = Promise.resolve();

	constructor(root: HTMLElement, private ctx: WorkContext) {
		this.el = h('div', {class: 'work-page search-page', id: 'site-search', hidden: true});
		root.append(this.el);
	}

	show(route: Route): void {
		if (route.name !== 'search') return;
		this.el.hidden = false;
		this.settled = this.start();
	}

	hide(): void {
		this.el.hidden = true;
		this.controller?.abort();
		void this.ctx.map().setWork([]);
	}

	rerender(): void {
		if (!this.el.hidden) this.render();
	}

	private async start(): Promise<void> {
		if (!this.presets) {
			this.render();
			try {
				this.presets = await this.ctx.api.json<Presets>('/api/v1/study/search/presets');
			} catch (e) {
				this.error = errorText(e);
				this.render();
				return;
			}
		}
		const s = this.ctx.state().search;
		const signature = JSON.stringify([s, this.ctx.session()?.token ?? '']);
		this.render();
		if ((s.preset || s.search) && signature !== this.ranAs) await this.run(0);
		else this.draw();
	}

	/** current is the search the URL holds: the edited one, else the preset's, else the defaults. */
	private current(): Search {
		const s = this.ctx.state().search;
		const base = this.presetSearch(s.preset);
		if (s.search) {
			try {
				return {...base, ...(JSON.parse(s.search) as Search)};
			} catch {
				// a broken link: fall back to the preset
			}
		}
		return base;
	}

	private presetSearch(name: string): Search {
		const p = this.presets?.presets.find((x) => x.name === name);
		return p ? structuredClone({...p.search, preset: p.name}) : defaultSearch(this.presets?.default_weights ?? {});
	}

	private render(): void {
		const parts: (Node | null)[] = [
			h('div', {class: 'work-head'},
				h('h2', {id: 'search-title', tabindex: -1}, t('search.title')),
				h('p', {class: 'muted'}, t('search.intro'))),
		];
		if (!this.presets) {
			parts.push(this.error ? h('p', {class: 'error', role: 'alert'}, this.error) : h('p', {class: 'muted'}, t('study.loading')));
			replace(this.el, parts);
			return;
		}
		parts.push(this.form(this.current()), h('div', {id: 'search-results', class: 'search-results', 'aria-live': 'polite', 'data-state': this.loading ? 'loading' : this.result ? 'ready' : 'none'}, this.results()));
		replace(this.el, parts);
	}

	private form(s: Search): HTMLFormElement {
		const p = this.presets!;
		const c = s.criteria;
		const fid = (name: string) => `ss-${name}`;
		const numberField = (name: string, key: MessageKey, value: number | undefined, attrs: Record<string, string | number> = {}) =>
			h('div', {class: 'field'}, h('label', {for: fid(name)}, t(key)),
				h('input', {id: fid(name), name, type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: value ?? '', ...attrs}));
		const checks = (name: string, key: MessageKey, codes: Code[], selected: string[] = []) =>
			h('fieldset', {class: 'checks'}, h('legend', {}, t(key)),
				codes.map((code) => h('label', {class: 'check'}, h('input', {type: 'checkbox', name, value: code.value, checked: selected.includes(code.value)}), h('span', {}, code[lang()]))));
		const utilityChecks = (name: string, u: Utilities) =>
			flags().map((x) => h('label', {class: 'check', title: x.description[lang()]}, h('input', {type: 'checkbox', name, value: x.name, checked: Boolean(u[x.name])}), h('span', {}, x.label[lang()])));
		const severe = (c.exclude_constraints ?? []).some((r) => r.severity === 'severe' && !r.kind);
		const seveso = (c.exclude_constraints ?? []).some((r) => r.kind === 'seveso');
		const preset = h('select', {id: 'ss-preset', name: 'preset'},
			h('option', {value: ''}, t('search.preset.none')),
			p.presets.map((x) => h('option', {value: x.name, selected: x.name === (s.preset ?? '')}, x.title[lang()])));
		preset.addEventListener('change', () => {
			this.ctx.update((st) => {
				st.search = {preset: preset.value, search: ''};
			});
			this.result = null;
			this.render();
		});
		const presetInfo = p.presets.find((x) => x.name === s.preset);
		const weights = p.criteria.map((cr) => {
			const v = s.weights[cr.name] ?? 0;
			const out = h('output', {for: fid(`w-${cr.name}`), class: 'weight-value'}, num(v, 1));
			const input = h('input', {id: fid(`w-${cr.name}`), name: `w-${cr.name}`, type: 'range', min: 0, max: 5, step: 0.5, value: v, 'aria-valuetext': num(v, 1)});
			input.addEventListener('input', () => {
				out.textContent = num(Number(input.value), 1);
				input.setAttribute('aria-valuetext', out.textContent);
			});
			return h('div', {class: 'weight'}, h('label', {for: fid(`w-${cr.name}`)}, cr.label[lang()]), input, out);
		});
		const form = h('form', {class: 'work-form search-form', id: 'search-form', 'aria-labelledby': 'search-title', novalidate: true},
			h('div', {class: 'field'}, h('label', {for: 'ss-preset'}, t('search.preset')), preset,
				presetInfo ? h('p', {class: 'hint', id: 'ss-preset-info'}, presetInfo.description[lang()]) : h('p', {class: 'hint'}, t('search.preset.hint'))),
			h('fieldset', {class: 'group'}, h('legend', {}, t('search.hard')),
				h('p', {class: 'hint'}, t('search.hard.hint')),
				h('div', {class: 'row'}, numberField('min', 'search.minha', c.min_net_ha), numberField('max', 'search.maxha', c.max_net_ha)),
				checks('use', 'filters.use', codes('use_type'), c.use_types),
				checks('planning', 'filters.planning', codes('planning_status'), c.planning_statuses),
				checks('avail', 'filters.availability', codes('availability'), c.availabilities),
				h('div', {class: 'field'}, h('label', {for: fid('availby')}, t('filters.availableBy')), dateInput({id: fid('availby'), name: 'availby', value: c.available_by ?? ''})),
				h('fieldset', {class: 'distances'}, h('legend', {}, t('filters.distance')),
					distanceKinds.map((k) => h('div', {class: 'field field-inline field-distance'},
						h('label', {for: fid(`d-${k}`)}, t(`search.dist.${k}` as MessageKey)),
						h('input', {id: fid(`d-${k}`), name: `d-${k}`, type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: c.max_distance_km?.[k] ?? ''})))),
				h('fieldset', {class: 'checks'}, h('legend', {}, t('search.exclude')),
					h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'ex-severe', checked: severe}), h('span', {}, t('search.exclude.severe'))),
					h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'ex-seveso', checked: seveso}), h('span', {}, t('search.exclude.seveso')))),
				h('fieldset', {class: 'checks'}, h('legend', {}, t('search.require')), utilityChecks('req', c.require ?? {})),
				h('div', {class: 'row'}, numberField('power', 'filters.power', c.require?.min_power_mw), numberField('broadband', 'filters.broadband', c.require?.min_broadband_mbps, {step: 1}))),
			h('fieldset', {class: 'group'}, h('legend', {}, t('search.soft')),
				h('p', {class: 'hint'}, t('search.soft.hint')),
				numberField('target', 'search.target', s.target_net_ha),
				h('fieldset', {class: 'checks'}, h('legend', {}, t('search.prefer')), utilityChecks('pref', s.prefer ?? {})),
				h('fieldset', {class: 'weights'}, h('legend', {}, t('search.weights')), weights)),
			h('fieldset', {class: 'group'}, h('legend', {}, t('search.large')),
				h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'large', checked: s.large_sites}), h('span', {}, t('search.large.on'))),
				numberField('sitedist', 'search.large.distance', s.site_distance_m, {min: 1, max: 500})),
			h('div', {class: 'button-row'},
				h('button', {type: 'submit', class: 'button button-primary', id: 'search-run'}, t('search.run')),
				h('button', {type: 'button', class: 'button', onclick: () => {
					this.ctx.update((st) => (st.search.search = ''));
					this.render();
				}}, t('search.reset'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			const edited = this.read(form, s);
			const fromPreset = this.presetSearch(edited.preset ?? '');
			this.ctx.update((st) => {
				st.search = {preset: edited.preset ?? '', search: same(edited, fromPreset) ? '' : JSON.stringify(edited)};
			});
			this.settled = this.run(0);
		});
		return form;
	}

	/** read turns the form into a search, keeping what the form does not show (other constraint rules). */
	private read(form: HTMLFormElement, base: Search): Search {
		const fd = new FormData(form);
		const numOf = (name: string): number | undefined => {
			const v = String(fd.get(name) ?? '').trim().replace(',', '.');
			const n = Number(v);
			return v && Number.isFinite(n) && n >= 0 ? n : undefined;
		};
		const list = (name: string) => fd.getAll(name).map(String);
		const utilities = (name: string, extra: Utilities): Utilities => {
			const u: Utilities = {...extra};
			for (const {name: x} of flags()) {
				if (fd.getAll(name).includes(x)) u[x] = true;
				else delete u[x];
			}
			return u;
		};
		const distances: Record<string, number> = {};
		for (const k of distanceKinds) {
			const v = numOf(`d-${k}`);
			if (v) distances[k] = v;
		}
		const rules = (base.criteria.exclude_constraints ?? []).filter((r) => !(r.severity === 'severe' && !r.kind) && r.kind !== 'seveso');
		if (fd.get('ex-seveso')) rules.unshift({kind: 'seveso'});
		if (fd.get('ex-severe')) rules.push({severity: 'severe'});
		const weights: Record<string, number> = {};
		for (const cr of this.presets!.criteria) weights[cr.name] = Number(fd.get(`w-${cr.name}`) ?? 0);
		const require: Utilities = utilities('req', base.criteria.require ?? {});
		const power = numOf('power');
		const broadband = numOf('broadband');
		if (power) require.min_power_mw = power; else delete require.min_power_mw;
		if (broadband) require.min_broadband_mbps = Math.round(broadband); else delete require.min_broadband_mbps;
		const search: Search = {
			preset: String(fd.get('preset') ?? '') || undefined,
			criteria: {
				min_net_ha: numOf('min'), max_net_ha: numOf('max'),
				use_types: list('use'), planning_statuses: list('planning'), availabilities: list('avail'),
				available_by: String(fd.get('availby') ?? '') || undefined,
				max_distance_km: distances, exclude_constraints: rules, require,
			},
			prefer: utilities('pref', base.prefer ?? {}),
			target_net_ha: numOf('target'),
			weights,
			large_sites: Boolean(fd.get('large')),
			site_distance_m: numOf('sitedist') ?? 50,
		};
		return normalize(search);
	}

	/** run asks the API: GET for a preset as it stands (the API's own definition), POST for an edited search. */
	private async run(offset: number): Promise<void> {
		this.controller?.abort();
		const ctl = new AbortController();
		this.controller = ctl;
		const st = this.ctx.state();
		this.ranAs = JSON.stringify([st.search, this.ctx.session()?.token ?? '']);
		this.loading = true;
		this.error = '';
		this.render();
		// An enquiry is about what is on offer now: the search ignores the map's date.
		const params = {limit: pageSize, offset, excluded_limit: pageSize};
		try {
			const answer = st.search.search
				? await this.ctx.api.send<{search: Result}>('/api/v1/study/search', {method: 'POST', params, body: this.body(), signal: ctl.signal})
				: await this.ctx.api.json<{search: Result}>('/api/v1/study/search', {...params, preset: st.search.preset || undefined}, ctl.signal);
			if (ctl.signal.aborted) return;
			this.result = answer.search;
			await this.loadGeometries(this.ctx.api, ctl.signal);
		} catch (e) {
			if (ctl.signal.aborted) return;
			this.result = null;
			this.error = errorText(e);
		}
		this.loading = false;
		this.render();
		this.draw(true);
		const summary = document.getElementById('search-summary');
		summary?.scrollIntoView({block: 'start'});
		summary?.focus({preventScroll: true});
		if (this.result) announce(t('search.found', {n: num(this.result.parcels.total, 0), sites: num(this.result.large_sites?.total ?? 0, 0)}));
	}

	/**
	 * body is the edited search as the API takes it. The API decodes a body over the preset it names,
	 * and decoding merges maps (weights, distances) key by key, so a limit taken out of a preset would
	 * come back: the body names no preset and gives every field itself.
	 */
	private body(): Search {
		const s = structuredClone(this.current());
		delete s.preset;
		for (const c of this.presets!.criteria) s.weights[c.name] = s.weights[c.name] ?? 0;
		return s;
	}

	/** loadGeometries fetches the outlines of the listed parcels and of the large sites' members. */
	private async loadGeometries(api: Api, signal: AbortSignal): Promise<void> {
		const r = this.result;
		if (!r) return;
		const ids = new Set<number>();
		for (const o of r.parcels.items) if (o.id) ids.add(o.id);
		for (const o of r.large_sites?.items ?? []) for (const m of o.member_ids ?? []) ids.add(m);
		const missing = [...ids].filter((id) => !this.geometries.has(id));
		for (let i = 0; i < missing.length; i += 200) {
			const chunk = missing.slice(i, i + 200);
			const fc = await api.items('parcels', {filter: `id IN (${chunk.join(', ')})`, limit: chunk.length, properties: ['id']}, signal);
			for (const f of fc.features) if (f.geometry) this.geometries.set(Number(f.id ?? f.properties.id), f.geometry);
		}
	}

	/** draw puts the results on the map: numbered markers and outlines; merged sites dashed over their members. */
	private draw(fit = false): void {
		const r = this.result;
		if (!r || this.el.hidden) {
			void this.ctx.map().setWork([]);
			return;
		}
		const areas: GeoJSON.Feature[] = [];
		const markers: GeoJSON.Feature[] = [];
		for (const [i, o] of (r.large_sites?.items ?? []).entries()) {
			for (const m of o.member_ids ?? []) {
				const g = this.geometries.get(m);
				if (g) areas.push({type: 'Feature', geometry: g, properties: {kind: 'member', site: i + 1}});
			}
			if (o.geometry) {
				areas.push({type: 'Feature', geometry: o.geometry, properties: {kind: 'site', site: i + 1}});
				const p = labelPoint(o.geometry);
				if (p) markers.push({type: 'Feature', geometry: {type: 'Point', coordinates: p}, properties: {kind: 'site', label: `G${o.rank ?? i + 1}`, site: i + 1}});
			}
		}
		for (const o of r.parcels.items) {
			const g = o.id ? this.geometries.get(o.id) : undefined;
			if (!g) continue;
			areas.push({type: 'Feature', geometry: g, properties: {kind: 'result', id: o.id, rank: o.rank}});
			const p = labelPoint(g);
			if (p) markers.push({type: 'Feature', geometry: {type: 'Point', coordinates: p}, properties: {kind: 'result', label: o.rank ?? '', id: o.id, rank: o.rank}});
		}
		void this.ctx.map().setWork(areas, markers, fit);
	}

	/** focusResult scrolls to a result clicked on the map. */
	focusResult(props: Record<string, unknown>): void {
		const sel = props.id !== undefined ? `[data-id="${props.id}"]` : props.site !== undefined ? `[data-site="${props.site}"]` : '';
		const el = sel ? this.el.querySelector<HTMLElement>(`li${sel}`) : null;
		if (!el) return;
		el.scrollIntoView({block: 'nearest'});
		el.querySelector<HTMLElement>('button, a')?.focus();
	}

	private results(): (Node | null)[] {
		if (this.loading) return [h('p', {class: 'muted', role: 'status'}, t('search.running'))];
		if (this.error) return [h('p', {class: 'error', role: 'alert'}, this.error)];
		const r = this.result;
		if (!r) return [h('p', {class: 'muted'}, t('search.none'))];
		const criteria = new Map(this.presets!.criteria.map((c) => [c.name, c.label[lang()]]));
		const reasons = Object.entries(r.excluded.by_reason ?? {}).sort((a, b) => b[1] - a[1])
			.map(([code, n]) => `${reasonLabel(code)}: ${num(n, 0)}`).join(' · ');
		const parcels = r.parcels;
		const item = (o: Outcome, site?: number) => {
			const zoom = () => {
				const g = site ? o.geometry : o.id ? this.geometries.get(o.id) : undefined;
				if (g) this.ctx.map().showGeometry(g, {force: true});
			};
			const detail = h('details', {class: 'scores'}, h('summary', {}, t('search.scores')),
				h('ul', {}, (o.scores ?? []).filter((x) => x.weight > 0).map((x) =>
					h('li', {'data-criterion': x.criterion},
						h('span', {class: 'score-name'}, criteria.get(x.criterion) ?? x.criterion),
						h('span', {class: 'score-bar', 'aria-hidden': 'true'}, h('span', {style: `width:${Math.round(x.score * 100)}%`})),
						h('span', {class: 'score-value'}, t('search.score.of', {score: num(x.score * 100, 0), weight: num(x.weight, 1)}))))));
			return h('li', {class: 'search-result', 'data-id': o.id ?? '', 'data-site': site ?? '', 'data-rank': o.rank ?? ''},
				h('div', {class: 'result-top'},
					h('span', {class: site ? 'rank rank-site' : 'rank', 'aria-hidden': 'true'}, site ? `G${o.rank}` : String(o.rank)),
					h('button', {type: 'button', class: 'result-title', onclick: zoom, 'aria-label': t('search.zoom', {rank: o.rank ?? '', name: o.name})}, o.name),
					h('span', {class: 'result-score', 'data-score': o.score ?? 0}, t('search.score', {score: num((o.score ?? 0) * 100, 0)}))),
				h('p', {class: 'result-meta'},
					`${o.district_names.join(' / ')} · ${ha(o.net_area_ha)} ha${o.use_type ? ` · ${o.use_type}` : ''}`,
					site && o.district_names.length > 1 ? ' ' : null,
					site && o.district_names.length > 1 ? h('span', {class: 'badge'}, t('study.large.crosses')) : null),
				h('p', {class: 'explanation', 'data-explanation': ''}, o.explanation[lang()]),
				detail,
				o.id ? h('p', {}, h('a', {href: this.ctx.href({name: 'parcel', id: String(o.id)}), onclick: (e: Event) => {
					e.preventDefault();
					this.ctx.go({name: 'parcel', id: String(o.id)});
				}}, t('search.open'))) : null);
		};
		const out: (Node | null)[] = [
			h('p', {class: 'search-summary', id: 'search-summary', tabindex: -1, 'data-total': parcels.total},
				t('search.summary', {n: num(parcels.total, 0), excluded: num(r.excluded.total, 0)})),
			reasons ? h('p', {class: 'hint'}, t('search.excluded.by', {reasons})) : null,
			h('h3', {}, t('search.ranked')),
			parcels.items.length ? h('ol', {class: 'search-list', id: 'search-list'}, parcels.items.map((o) => item(o))) : h('p', {class: 'muted'}, t('search.empty')),
			pager(parcels, (offset) => void (this.settled = this.run(offset))),
		];
		if (r.large_sites) {
			out.push(
				h('h3', {}, t('search.sites')),
				h('p', {class: 'hint'}, t('search.sites.hint', {m: num(r.search.site_distance_m, 0)})),
				r.large_sites.items.length
					? h('ol', {class: 'search-list', id: 'site-list'}, r.large_sites.items.map((o, i) => item(o, i + 1)))
					: h('p', {class: 'muted'}, t('search.sites.none')));
		}
		if (r.excluded.items.length) {
			out.push(h('details', {class: 'excluded'}, h('summary', {}, t('search.excluded', {n: num(r.excluded.total, 0)})),
				h('ul', {}, r.excluded.items.map((o) => h('li', {'data-id': o.id ?? ''}, h('strong', {}, o.name), ': ', o.explanation[lang()])))));
		}
		return out;
	}
}

function pager(p: Page, go: (offset: number) => void): HTMLElement | null {
	if (p.total <= p.limit) return null;
	return h('div', {class: 'button-row pager'},
		h('button', {type: 'button', class: 'button', disabled: p.offset === 0, onclick: () => go(Math.max(0, p.offset - p.limit))}, t('search.prev')),
		h('span', {}, t('search.page', {from: num(p.offset + 1, 0), to: num(Math.min(p.total, p.offset + p.limit), 0), n: num(p.total, 0)})),
		h('button', {type: 'button', class: 'button', disabled: p.offset + p.limit >= p.total, onclick: () => go(p.offset + p.limit)}, t('search.next')));
}

function reasonLabel(code: string): string {
	const key = `reason.${code}` as MessageKey;
	const s = t(key);
	return s === key ? code : s;
}

/** normalize drops empty members, so an unchanged search compares equal to its preset. */
function normalize(s: Search): Search {
	const clean = (o: Record<string, unknown>) => {
		for (const [k, v] of Object.entries(o)) {
			if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 && k !== 'require')) delete o[k];
		}
		return o;
	};
	clean(s.criteria as Record<string, unknown>);
	clean(s.criteria.require as Record<string, unknown>);
	clean(s.prefer as Record<string, unknown>);
	return s;
}

/** same compares two searches by what they ask, ignoring order and empty members. */
function same(a: Search, b: Search): boolean {
	const canon = (s: Search) => {
		const c = normalize(structuredClone(s));
		for (const [k, v] of Object.entries(c.weights)) if (!v) delete c.weights[k];
		return JSON.stringify(sortKeys(c));
	};
	return canon(a) === canon(b);
}

function sortKeys(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(sortKeys);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
	return v;
}

