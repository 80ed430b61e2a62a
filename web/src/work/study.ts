// The study dashboard (/study): the supply by district, use type, availability, planning status and
// size class, take-up per year with the reach per district, the demand balance to a target year and
// the large sites, for a date (as_of) and a scope. Every figure that stands for parcels is clickable:
// its parcels are drawn on the map beside it (GET /api/v1/study/parcels with the figure's own CQL2
// filter and date), and one more click opens them in the map's list. Planners save a study run,
// which freezes the figures, gives the exports and the printable report, and has its own link
// (/study/run/{id}).
import {ApiError, type Params} from '../api.ts';
import {codes} from '../catalog.ts';
import {announce, h, replace} from '../dom.ts';
import {quote} from '../filters.ts';
import {date, ha, label, lang, num, t, type MessageKey} from '../i18n.ts';
import {mayRunStudies} from '../session.ts';
import type {Route} from '../state.ts';
import {today} from '../time.ts';
import {hbars, vbars, type Bar} from './charts.ts';
import {errorText, type WorkContext, type WorkPage} from './context.ts';
import {enquiryDemand, loadEnquiryDemand, mayReadEnquiries, type EnquiryYears} from './enquirydemand.ts';
import {monitorSection, type Comparison} from './compare.ts';
import {qualityFigure, type Quality} from './quality.ts';
import type {Balance, BalanceUnit, LargeSites, Run, RunSummary, Supply, SupplyGroup, TakeUp, Text} from './studytypes.ts';

/** dimensions are the groupings the dashboard shows, in the order of the issue. */
/** xlsxType is the media type of the XLSX exports. */
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const dimensions = ['district', 'use_type', 'availability', 'planning_status', 'size_class'] as const;

type Maybe<T> = T | Error;

interface Live {
	supply: Record<string, Maybe<Supply>>;
	takeUp: Maybe<TakeUp>;
	balance: Maybe<Balance>;
	large: Maybe<LargeSites>;
	/** enquiries is the demand from enquiries (planners and admins; null for others). */
	enquiries: EnquiryYears;
	quality: Maybe<Quality>;
}

/** FigureRef is what a figure stands for: the CQL2 filter of its parcels at a date, or a site outline. */
interface FigureRef {
	label: string;
	filter: string;
	asOf: string;
	site?: GeoJSON.Geometry;
	/** note says how the parcels shown relate to the figure, where they are not exactly its parcels. */
	note?: string;
}

const text = (x: Text | undefined, fallback = '') => (x ? x[lang()] : fallback);
const haText = (v: number) => `${ha(v)} ha`;
const pct = (v: number) => `${num(v * 100, 1)} %`;

/** berlinDate is the region's calendar date of a timestamp. */
function berlinDate(ts: string): string {
	return new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit'}).format(new Date(ts));
}

export class StudyPage implements WorkPage {
	private el: HTMLElement;
	private route: Extract<Route, {name: 'study'}> = {name: 'study'};
	private live: Live | null = null;
	private run: Run | null = null;
	private runs: RunSummary[] | null = null;
	private error = '';
	private loadedFor = '';
	private controller: AbortController | null = null;
	private figures = new Map<string, FigureRef>();
	/** figureStatus is what the figure line says, kept as facts so it is written in the language shown. */
	private figureStatus: {key: string; state: 'loading' | 'ready' | 'error'; count?: number; netHa?: number; msg?: string} | null = null;
	private figureController: AbortController | null = null;
	private saving = false;
	/** compare is the last comparison of two dates shown in the monitoring section. */
	private compare: {from: string; to: string; result: Comparison | Error | null} = {from: '', to: '', result: null};
	private saveError = '';
	settled: Promise<void> = Promise.resolve();

	constructor(root: HTMLElement, private ctx: WorkContext) {
		this.el = h('div', {class: 'work-page study', id: 'study', hidden: true});
		root.append(this.el);
	}

	show(route: Route): void {
		if (route.name !== 'study') return;
		this.route = route;
		this.el.hidden = false;
		const s = this.ctx.state();
		const signature = JSON.stringify([route.run ?? '', s.study.scope, s.asOf, s.study.targetYear, s.study.demand, this.ctx.session()?.token ?? '']);
		if (signature !== this.loadedFor) {
			this.loadedFor = signature;
			this.settled = this.load();
		} else {
			this.render();
			void this.restoreFigure();
		}
	}

	hide(): void {
		this.el.hidden = true;
		this.controller?.abort();
		this.figureController?.abort();
		this.loadedFor = '';
		void this.ctx.map().setWork([]);
	}

	rerender(): void {
		if (!this.el.hidden) this.render();
	}

	/** scopeParams are the scope of the dashboard as API parameters. */
	private scopeParams(): Params {
		const scope = this.ctx.state().study.scope;
		const ds = scope.filter((s) => /^\d{5}$/.test(s));
		const ls = scope.filter((s) => !/^\d{5}$/.test(s));
		return {district: ds.join(',') || undefined, land: ls.join(',') || undefined};
	}

	private async load(): Promise<void> {
		this.controller?.abort();
		const ctl = new AbortController();
		this.controller = ctl;
		const signal = ctl.signal;
		const api = this.ctx.api;
		this.error = '';
		this.live = null;
		this.run = null;
		this.figures.clear();
		this.figureStatus = null;
		this.el.dataset.state = 'loading';
		this.render();
		const catchErr = <T>(p: Promise<T>): Promise<Maybe<T>> => p.catch((e) => (e instanceof Error ? e : new Error(String(e))));
		const runs = this.ctx.session()
			? api.json<{runs: RunSummary[]}>('/api/v1/study/runs', {limit: 20}, signal).then((r) => r.runs, () => null)
			: Promise.resolve(null);
		try {
			if (this.route.run) {
				const [run, list] = await Promise.all([api.json<Run>(`/api/v1/study/runs/${this.route.run}`, {}, signal), runs]);
				if (signal.aborted) return;
				this.run = run;
				this.runs = list;
			} else {
				const s = this.ctx.state();
				const base: Params = {...this.scopeParams(), as_of: s.asOf || undefined};
				const supply = Promise.all(dimensions.map((d) => catchErr(api.json<{supply: Supply}>('/api/v1/study/supply', {...base, group_by: d}, signal).then((r) => r.supply))));
				const [sup, takeUp, balance, large, quality, list, enquiries] = await Promise.all([
					supply,
					catchErr(api.json<{take_up: TakeUp}>('/api/v1/study/take-up', base, signal).then((r) => r.take_up)),
					catchErr(api.json<{balance: Balance}>('/api/v1/study/balance', {...base, target_year: s.study.targetYear, demand: this.withEnquiries() ? 'enquiries' : undefined}, signal).then((r) => r.balance)),
					catchErr(api.json<{large_sites: LargeSites}>('/api/v1/study/large-sites', base, signal).then((r) => r.large_sites)),
					catchErr(api.json<{quality: Quality}>('/api/v1/study/quality', {...base, limit: 1}, signal).then((r) => r.quality)),
					runs,
					loadEnquiryDemand(this.ctx, signal),
				]);
				if (signal.aborted) return;
				this.live = {supply: Object.fromEntries(dimensions.map((d, i) => [d, sup[i]])), takeUp, balance, large, quality, enquiries};
				this.runs = list;
			}
		} catch (e) {
			if (signal.aborted) return;
			this.error = e instanceof ApiError && e.status === 404 ? t('study.run.notFound') : errorText(e);
		}
		this.el.dataset.state = this.error ? 'error' : 'ready';
		this.render();
		announce(t('study.loaded'));
		await this.restoreFigure();
	}

	/** withEnquiries says whether the dashboard's balance counts the demand from enquiries: the reader's choice, for planners and admins. */
	private withEnquiries(): boolean {
		return this.ctx.state().study.demand === 'enquiries' && mayReadEnquiries(this.ctx);
	}

	/** asOf is the date the figures are for: the run's, or the dashboard's ('' for today). */
	private asOf(): string {
		if (this.run) return berlinDate(this.run.as_of);
		return this.ctx.state().asOf;
	}

	private render(): void {
		this.figures.clear();
		const s = this.ctx.state();
		const body: (Node | null)[] = [];
		if (this.error) {
			body.push(h('p', {class: 'error', role: 'alert'}, this.error));
		} else if (this.el.dataset.state === 'loading') {
			body.push(h('p', {class: 'muted', role: 'status'}, t('study.loading')));
		} else if (this.run) {
			const r = this.run.results;
			body.push(
				this.supplyFigure(r.supply.group_by.join(','), r.supply),
				this.takeUpFigure(r.take_up),
				this.balanceFigure(r.balance),
				this.largeFigure(r.large_sites));
		} else if (this.live) {
			const sup = this.live.supply;
			if (!(sup.district instanceof Error)) body.push(this.keyFigures(sup.district));
			for (const d of dimensions) body.push(this.supplyFigure(d, sup[d]));
			body.push(this.takeUpFigure(this.live.takeUp), this.balanceFigure(this.live.balance), this.largeFigure(this.live.large),
				qualityFigure(this.live.quality, (head, rows, total) => table(head, rows, total, this.downloads('quality'))),
				this.monitorFigure());
		}
		if (!this.run && mayRunStudies(this.ctx.session())) body.push(this.saveForm());
		body.push(this.runList());
		// The figure line names the figure shown on the map; it is drawn after the figures registered.
		replace(this.el,
			h('div', {class: 'work-head'},
				h('h2', {id: 'study-title', tabindex: -1}, this.run ? this.run.title : t('study.title')),
				h('p', {class: 'muted'}, this.run ? t('study.run.intro') : t('study.intro'))),
			this.run ? this.runHead(this.run) : this.controls(),
			s.asOf && !this.run ? h('p', {class: 'note'}, t('study.asof.note', {date: date(s.asOf)})) : null,
			this.figureLine(),
			body);
	}

	private controls(): HTMLElement {
		const s = this.ctx.state();
		const current = s.study.scope.join(',');
		const option = (value: string, text: string) => h('option', {value, selected: value === current}, text);
		const scope = h('select', {id: 'study-scope', name: 'scope'},
			option('', t('study.scope.region')),
			h('optgroup', {label: t('study.scope.lands')}, codes('land').map((l) => option(l.value, l[lang()]))),
			h('optgroup', {label: t('study.scope.districts')}, codes('district').map((d) => option(d.value, d[lang()]))));
		const asOf = h('input', {id: 'study-asof', name: 'asof', type: 'date', value: s.asOf, max: today(), min: '1990-01-01'});
		const target = h('input', {id: 'study-target', name: 'target', type: 'number', min: 1991, max: 2200, step: 1, value: s.study.targetYear});
		// Only planners and admins may count enquiries; for others the balance is the trend's.
		const demand = mayReadEnquiries(this.ctx) ? h('select', {id: 'study-demand', name: 'demand'},
			h('option', {value: 'trend', selected: s.study.demand === 'trend'}, t('enq.demand.trend')),
			h('option', {value: 'enquiries', selected: s.study.demand === 'enquiries'}, t('enq.demand.enquiries'))) : null;
		const form = h('form', {class: 'work-form study-controls', 'aria-label': t('study.controls')},
			h('div', {class: 'field'}, h('label', {for: 'study-asof'}, t('study.asof')), asOf, h('span', {class: 'hint'}, t('study.asof.hint'))),
			h('div', {class: 'field'}, h('label', {for: 'study-scope'}, t('study.scope')), scope),
			h('div', {class: 'field'}, h('label', {for: 'study-target'}, t('study.target')), target),
			demand ? h('div', {class: 'field'}, h('label', {for: 'study-demand'}, t('enq.demand')), demand) : null);
		form.addEventListener('submit', (e) => e.preventDefault());
		form.addEventListener('change', () => {
			const year = Number(target.value);
			const date = asOf.value && asOf.value < today() ? asOf.value : '';
			this.ctx.update((st) => {
				st.study.scope = scope.value ? scope.value.split(',') : [];
				if (Number.isInteger(year) && year >= 1991 && year <= 2200) st.study.targetYear = year;
				if (demand) st.study.demand = demand.value === 'enquiries' ? 'enquiries' : 'trend';
				st.study.figure = '';
			});
			// The date is the map's too: the map beside the dashboard shows the same state.
			if (date !== this.ctx.state().asOf) this.ctx.setAsOf(date);
			else this.show(this.route);
		});
		return form;
	}

	private runHead(run: Run): HTMLElement {
		const export_ = (rel: string, type: string) => run.links.filter((l) => l.rel === rel && l.type === type);
		const file = (href: string) => href.split('/').pop() ?? 'export';
		// The CSV is made for German Excel when the app speaks German.
		const excel = (href: string) => (lang() === 'de' && href.endsWith('.csv') ? `${href}?format=csv-excel` : href);
		const button = (key: MessageKey, href: string, name: string, vars: Record<string, string> = {}) =>
			h('button', {type: 'button', class: 'button', 'data-export': href, onclick: () => void this.ctx.api.download(excel(href), name).catch((e) => this.exportFailed(e))}, t(key, vars));
		return h('div', {class: 'run-head'},
			h('dl', {class: 'facts'},
				h('dt', {}, t('study.run.asof')), h('dd', {}, date(berlinDate(run.as_of))),
				h('dt', {}, t('study.run.created')), h('dd', {}, `${date(run.created_at)}${run.created_by ? ` · ${run.created_by}` : ''}`),
				h('dt', {}, t('study.run.audience')), h('dd', {}, t(run.audience === 'public' ? 'study.audience.public' : 'study.audience.internal')),
				h('dt', {}, t('study.run.parcels')), h('dd', {}, num(run.parcels, 0))),
			run.data_changed ? h('p', {class: 'note'}, t('study.run.changed')) : null,
			this.saveError ? h('p', {class: 'error', role: 'alert'}, this.saveError) : null,
			h('div', {class: 'button-row'},
				h('button', {type: 'button', class: 'button button-primary', id: 'open-report', onclick: () => this.openReport(run.id)}, t('study.report')),
				...export_('enclosure', 'text/csv').map((l) => button('study.export.csv', l.href, `study-${run.id}-${file(l.href)}`, {table: t(`study.table.${file(l.href).replace('.csv', '')}` as MessageKey)})),
				...export_('enclosure', xlsxType).filter((l) => l.href.endsWith('/tables.xlsx')).map((l) => button('study.export.xlsx', l.href, `study-${run.id}.xlsx`)),
				...export_('enclosure', 'application/geo+json').map((l) => button(l.href.includes('large') ? 'study.export.geojson.sites' : 'study.export.geojson', l.href, `study-${run.id}-${file(l.href)}`)),
				...export_('enclosure', 'application/geopackage+sqlite3').map((l) => button('study.export.gpkg', l.href, `study-${run.id}.gpkg`))),
			h('p', {}, h('a', {href: this.ctx.href({name: 'study'}), onclick: (e: Event) => {
				e.preventDefault();
				this.ctx.go({name: 'study'});
			}}, t('study.run.back'))));
	}

	private exportFailed(e: unknown): void {
		announce(t('study.export.failed', {msg: errorText(e)}));
		this.saveError = t('study.export.failed', {msg: errorText(e)});
		this.render();
	}

	/**
	 * openReport opens a run's printable report in a new tab at its own address, which can be
	 * bookmarked; the new tab inherits this tab's session, so an internal run's report loads there too.
	 */
	private openReport(id: number): void {
		const w = window.open(`/study/run/${id}/report`, '_blank');
		if (!w) this.exportFailed(new Error(t('study.report.blocked')));
	}

	/**
	 * downloads offers a figure's table as CSV and XLSX from the server: a run's stored table, or the
	 * live table for the dashboard's scope and date. The CSV is made for German Excel (semicolon,
	 * decimal comma) when the app speaks German, for programs otherwise.
	 */
	private downloads(table: string, params: Params = {}): HTMLElement {
		const format = lang() === 'de' ? 'csv-excel' : 'csv';
		let base: string;
		let query: Params;
		if (this.run) {
			base = `/api/v1/study/runs/${this.run.id}/tables/${table}`;
			query = {};
		} else {
			base = `/api/v1/study/tables/${table}`;
			query = {...this.scopeParams(), as_of: this.ctx.state().asOf || undefined, ...params};
		}
		const file = this.run ? `study-${this.run.id}-${table}` : `study-${table}`;
		const button = (ext: 'csv' | 'xlsx', key: MessageKey) => {
			const href = this.ctx.api.url(`${base}.${ext}`, ext === 'csv' ? {...query, format} : query);
			return h('button', {type: 'button', class: 'link table-download', 'data-table-export': `${table}.${ext}`, 'data-href': href,
				onclick: () => void this.ctx.api.download(href, `${file}.${ext}`).catch((e) => this.exportFailed(e))}, t(key));
		};
		return h('span', {class: 'table-downloads'}, button('csv', 'study.table.csv'), ' · ', button('xlsx', 'study.table.xlsx'));
	}

	private figureLine(): HTMLElement {
		const f = this.figureStatus;
		const el = h('div', {class: 'figure-status', id: 'figure-status', role: 'status', 'data-state': f?.state ?? 'none', 'data-figure': f?.key ?? ''});
		if (!f) {
			el.append(h('span', {class: 'muted'}, t('study.figure.hint')));
			return el;
		}
		const ref = this.figures.get(f.key);
		el.append(h('span', {}, this.figureText()));
		if (f.state === 'ready' && ref?.filter !== undefined && !ref.site) {
			el.append(' ', h('button', {type: 'button', class: 'button', id: 'figure-open', onclick: () => this.ctx.openOnMap(ref.filter, ref.label, ref.asOf)}, t('study.figure.open')));
		}
		el.append(' ', h('button', {type: 'button', class: 'link', onclick: () => this.clearFigure()}, t('study.figure.clear')));
		return el;
	}

	/** register names a figure and returns its key; the figure's parcels are shown on click. */
	private register(key: string, ref: FigureRef): string {
		this.figures.set(key, ref);
		return key;
	}

	private figureButton(key: string, content: string | Node, extra: Record<string, string | number> = {}): HTMLButtonElement {
		const current = this.ctx.state().study.figure === key;
		return h('button', {type: 'button', class: current ? 'figure-link current' : 'figure-link', 'data-figure': key, 'aria-pressed': String(current), onclick: () => void this.selectFigure(key), ...extra}, content);
	}

	/** selectFigure shows a figure's parcels on the map and remembers it in the URL. */
	private async selectFigure(key: string): Promise<void> {
		this.ctx.update((s) => (s.study.figure = key));
		this.settled = this.showFigure(key);
		await this.settled;
	}

	private async restoreFigure(): Promise<void> {
		const key = this.ctx.state().study.figure;
		if (key && this.figures.has(key)) await this.showFigure(key);
		else void this.ctx.map().setWork([]);
	}

	private clearFigure(): void {
		this.figureController?.abort();
		this.ctx.update((s) => (s.study.figure = ''));
		this.figureStatus = null;
		void this.ctx.map().setWork([]);
		this.render();
	}

	private async showFigure(key: string): Promise<void> {
		const ref = this.figures.get(key);
		if (!ref) return;
		this.figureController?.abort();
		const ctl = new AbortController();
		this.figureController = ctl;
		this.figureStatus = {key, state: 'loading'};
		this.render();
		try {
			const features: GeoJSON.Feature[] = [];
			let matched = 0;
			for (let offset = 0; offset < 50_000; offset += 10_000) {
				const page = await this.ctx.api.json<GeoJSON.FeatureCollection & {numberMatched: number}>('/api/v1/study/parcels', {filter: ref.filter || undefined, as_of: ref.asOf || undefined, limit: 10_000, offset}, ctl.signal);
				matched = page.numberMatched;
				features.push(...page.features);
				if (features.length >= matched || page.features.length === 0) break;
			}
			if (ctl.signal.aborted) return;
			const areas: GeoJSON.Feature[] = features.map((f) => ({...f, properties: {...f.properties, kind: ref.site ? 'member' : 'figure'}}));
			if (ref.site) areas.unshift({type: 'Feature', geometry: ref.site, properties: {kind: 'site'}});
			await this.ctx.map().setWork(areas, [], true);
			const net = features.reduce((sum, f) => sum + (Number(f.properties?.net_area_ha) || 0), 0);
			this.figureStatus = {key, state: 'ready', count: matched, netHa: net};
		} catch (e) {
			if (ctl.signal.aborted) return;
			this.figureStatus = {key, state: 'error', msg: errorText(e)};
		}
		this.render();
		announce(this.figureText());
	}

	/** figureText is the figure line in the current language, from the figure's current label. */
	private figureText(): string {
		const f = this.figureStatus;
		if (!f) return '';
		const ref = this.figures.get(f.key);
		const label = ref?.label ?? f.key;
		switch (f.state) {
		case 'loading': return t('study.figure.loading', {label});
		case 'error': return t('study.figure.error', {msg: f.msg ?? ''});
		}
		const vars = {label, n: num(f.count ?? 0, 0), ha: ha(f.netHa ?? 0), date: ref?.asOf ? date(ref.asOf) : t('time.today')};
		return t(f.count === 1 ? 'study.figure.shown.one' : 'study.figure.shown', vars) + (ref?.note ? ` ${ref.note}` : '');
	}

	/** scopeFilter is the CQL2 filter of the dashboard's scope, to narrow a district's or reserve's parcels. */
	private scopeFilter(): string {
		const scope = this.run ? [...(this.run.params.scope.district ?? []), ...(this.run.params.scope.land ?? [])] : this.ctx.state().study.scope;
		const ds = scope.filter((s) => /^\d{5}$/.test(s));
		const ls = scope.filter((s) => !/^\d{5}$/.test(s));
		return [ds.length ? `district_ags IN (${ds.map(quote).join(', ')})` : '', ls.length ? `land IN (${ls.map(quote).join(', ')})` : ''].filter(Boolean).join(' AND ');
	}

	private keyFigures(s: Supply): HTMLElement {
		const asOf = this.asOf();
		const all = this.register('total', {label: t('study.total.parcels'), filter: s.total.parcels_filter, asOf});
		const reserveFilter = [s.total.parcels_filter, "status = 'offered'"].filter(Boolean).join(' AND ');
		const reserve = this.register('total:reserve', {label: t('study.total.reserve'), filter: reserveFilter, asOf});
		// The severe-constraint condition of the rule is no parcel field, so the map shows the
		// candidates (on offer, soon available) and the line says so.
		const internal = this.ctx.session() !== null;
		const candidates = [reserveFilter, "availability IN ('now', 'short_term')", internal ? "owner_willing = 'yes'" : ''].filter(Boolean).join(' AND ');
		const marketableHa = s.total.shares.marketable?.net_ha ?? 0;
		const marketable = this.register('total:marketable', {label: t('study.total.marketable.candidates'), filter: candidates, asOf,
			note: t('study.total.marketable.note', {ha: ha(marketableHa)})});
		const tile = (key: string | null, labelKey: MessageKey, value: string, detail: string, data: Record<string, number>) => {
			const body = [h('span', {class: 'kpi-value'}, value), h('span', {class: 'kpi-label'}, t(labelKey)), h('span', {class: 'kpi-detail'}, detail)];
			return h('li', {class: 'kpi', ...Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]))}, key ? this.figureButton(key, h('span', {class: 'kpi-body'}, body)) : h('span', {class: 'kpi-body'}, body));
		};
		return h('section', {class: 'study-section', 'aria-labelledby': 'kpi-title', 'data-figure-group': 'total'},
			h('h3', {id: 'kpi-title'}, t('study.kpi')),
			h('ul', {class: 'kpis'},
				tile(all, 'study.total.net', haText(s.total.net_ha), t(s.total.parcels === 1 ? 'study.parcels.one' : 'study.parcels.n', {n: num(s.total.parcels, 0)}), {'net-ha': s.total.net_ha, parcels: s.total.parcels}),
				tile(reserve, 'study.total.reserve', haText(s.total.reserve.net_ha), t(s.total.reserve.parcels === 1 ? 'study.parcels.one' : 'study.parcels.n', {n: num(s.total.reserve.parcels, 0)}), {'net-ha': s.total.reserve.net_ha, parcels: s.total.reserve.parcels}),
				tile(marketable, 'study.total.marketable', haText(marketableHa), t('study.total.marketable.share', {pct: pct(s.total.shares.marketable?.share ?? 0), ha: ha(s.total.net_ha)}), {'net-ha': marketableHa}),
				tile(null, 'study.total.sites', num(s.total.sites_at_least_min.count, 0), t('study.sites.min', {min: num(s.min_site_ha, 0), ha: ha(s.total.sites_at_least_min.gross_ha), all: num(s.total.sites.count, 0)}), {count: s.total.sites_at_least_min.count})),
			h('p', {class: 'hint'}, t('study.marketable.rule', {rule: text(s.marketable_rule)})));
	}

	/** supplyFigure draws the supply grouped by one dimension (or a run's groupings) as bars and a table. */
	private supplyFigure(dim: string, s: Maybe<Supply>): HTMLElement {
		const id = `supply-${dim.replace(/,/g, '-')}`;
		const titleKey = `study.by.${dim}` as MessageKey;
		const title = t(titleKey) === titleKey ? t('study.by.other', {dims: dim}) : t(titleKey);
		const section = h('section', {class: 'study-section', id, 'data-dimension': dim, 'aria-labelledby': `${id}-title`}, h('h3', {id: `${id}-title`}, title));
		if (s instanceof Error) {
			section.append(h('p', {class: 'error'}, s.message));
			return section;
		}
		const asOf = this.asOf();
		const groupLabel = (g: SupplyGroup) => s.group_by.map((d) => text(g.label?.[d], g.key?.[d] ?? '')).join(' · ');
		const rows = s.groups.map((g) => {
			const keyValue = s.group_by.map((d) => g.key?.[d] ?? '').join('|');
			const key = this.register(`${dim}:${keyValue}`, {label: groupLabel(g), filter: g.parcels_filter, asOf});
			return {g, key, label: groupLabel(g)};
		});
		const bars: Bar[] = rows.map((r) => ({key: r.key, label: r.label, value: r.g.net_ha, second: r.g.reserve.net_ha}));
		section.append(
			h('div', {class: 'chart-box'}, hbars(bars, {title: `${title}: ${t('study.chart.net')}`, format: (v) => `${ha(v)} ha`, onClick: (k) => void this.selectFigure(k)})),
			h('p', {class: 'chart-legend', 'aria-hidden': 'true'},
				h('span', {class: 'key-swatch', style: 'background:#9ec1f2'}), t('study.chart.net'), ' ',
				h('span', {class: 'key-swatch', style: 'background:#0b57d0'}), t('study.chart.reserve')),
			table(
				[t('study.col.group'), t('study.col.parcels'), t('study.col.net'), t('study.col.reserve'), t('study.col.marketable'), t('study.col.sites', {min: num(s.min_site_ha, 0)})],
				rows.map(({g, key, label}) => ({
					key,
					attrs: {'data-parcels': g.parcels, 'data-net-ha': g.net_ha, 'data-reserve-ha': g.reserve.net_ha},
					cells: [this.figureButton(key, label), num(g.parcels, 0), haText(g.net_ha), haText(g.reserve.net_ha), haText(g.shares.marketable?.net_ha ?? 0), num(g.sites_at_least_min.count, 0)],
				})),
				{key: 'total', attrs: {'data-parcels': s.total.parcels, 'data-net-ha': s.total.net_ha},
					cells: [t('study.col.total'), num(s.total.parcels, 0), haText(s.total.net_ha), haText(s.total.reserve.net_ha), haText(s.total.shares.marketable?.net_ha ?? 0), num(s.total.sites_at_least_min.count, 0)]},
				this.downloads('supply', {group_by: dim})),
		);
		return section;
	}

	private takeUpFigure(tu: Maybe<TakeUp>): HTMLElement {
		const section = h('section', {class: 'study-section', id: 'take-up', 'aria-labelledby': 'take-up-title'}, h('h3', {id: 'take-up-title'}, t('study.takeup')));
		if (tu instanceof Error) {
			section.append(h('p', {class: 'error'}, tu.message));
			return section;
		}
		const bars: Bar[] = tu.total.series.map((v) => ({key: String(v.year), label: v.partial ? `${v.year}*` : String(v.year), value: v.net_ha, muted: v.partial || v.year < tu.window.from || v.year > tu.window.to}));
		const asOf = this.asOf();
		const scope = this.scopeFilter();
		const reach = (v: number | null) => (v === null ? t('study.reach.infinite') : t('study.reach.years', {n: num(v, 1)}));
		section.append(
			h('p', {class: 'hint'}, t('study.takeup.hint', {from: tu.window.from, to: tu.window.to}),
				tu.total.series.some((v) => v.partial) ? ` ${t('study.takeup.partial')}` : ''),
			h('div', {class: 'chart-box'}, vbars(bars, {title: t('study.takeup.chart'), format: (v) => num(v, 0), mean: tu.total.mean_net_ha_per_year, meanLabel: t('study.takeup.mean', {ha: ha(tu.total.mean_net_ha_per_year)})})),
			table(
				[t('study.col.district'), t('study.col.mean'), t('study.col.marketable'), t('study.col.reach')],
				tu.districts.map((d) => {
					const key = this.register(`reserve:${d.district_ags}`, {label: t('study.reserve.of', {name: d.name}), filter: [scope, `district_ags = ${quote(d.district_ags ?? '')}`, "status = 'offered'"].filter(Boolean).join(' AND '), asOf});
					return {key, attrs: {'data-district': d.district_ags ?? '', 'data-mean-ha': d.mean_net_ha_per_year, 'data-reach': d.reach_years ?? ''},
						cells: [this.figureButton(key, d.name), haText(d.mean_net_ha_per_year), haText(d.marketable_net_ha), reach(d.reach_years)]};
				}),
				{key: 'total', attrs: {'data-mean-ha': tu.total.mean_net_ha_per_year, 'data-reach': tu.total.reach_years ?? ''},
					cells: [t('study.col.total'), haText(tu.total.mean_net_ha_per_year), haText(tu.total.marketable_net_ha), reach(tu.total.reach_years)]},
				this.downloads('reach')),
			h('p', {class: 'hint'}, t('study.marketable.rule', {rule: text(tu.marketable_rule)})));
		return section;
	}

	private balanceFigure(b: Maybe<Balance>): HTMLElement {
		const section = h('section', {class: 'study-section', id: 'balance', 'aria-labelledby': 'balance-title'});
		if (b instanceof Error) {
			section.append(h('h3', {id: 'balance-title'}, t('study.balance', {year: this.ctx.state().study.targetYear})), h('p', {class: 'error'}, b.message));
			return section;
		}
		section.append(h('h3', {id: 'balance-title'}, t('study.balance', {year: b.target_year})));
		const asOf = this.asOf();
		const scope = this.scopeFilter();
		const bars: Bar[] = b.districts.map((d) => ({key: `balance:${d.district_ags}`, label: d.name, value: d.trend_balance_ha}));
		// The demand from enquiries, where the balance counts it, stands in two columns beside the trend's.
		const enquiries = b.total.enquiry !== undefined;
		const enquiryCells = (u: BalanceUnit) => (u.enquiry ? [haText(u.enquiry.demand_ha), balanceCell(u.enquiry.balance_ha)] : []);
		section.append(
			h('p', {class: 'hint'}, t('study.balance.years', {from: b.first_year ?? b.target_year - b.years + 1, to: b.target_year, n: b.years}), ' ', b.inputs_used.map((x) => text(x)).join(' · ')),
			h('div', {class: 'chart-box'}, hbars(bars, {title: t('study.balance.chart'), format: (v) => `${ha(v)} ha`, colors: ['#7fbf3f', '#1a7f37'], onClick: (k) => void this.selectFigure(`reserve:${k.slice('balance:'.length)}`)})),
			table(
				[t('study.col.district'), t('study.col.reserve'), t('study.col.mean'), t('study.col.demand', {year: b.target_year}), t('study.col.balance'),
					...(enquiries ? [t('enq.col.demand', {year: b.target_year}), t('enq.col.balance')] : [])],
				b.districts.map((d) => {
					const key = this.register(`reserve:${d.district_ags}`, {label: t('study.reserve.of', {name: d.name}), filter: [scope, `district_ags = ${quote(d.district_ags ?? '')}`, "status = 'offered'"].filter(Boolean).join(' AND '), asOf});
					return {key, attrs: {'data-district': d.district_ags ?? '', 'data-balance-ha': d.trend_balance_ha, 'data-enquiry-balance-ha': d.enquiry?.balance_ha ?? ''},
						cells: [this.figureButton(key, d.name), haText(d.reserve_net_ha), haText(d.mean_take_up_net_ha_per_year), haText(d.trend_demand_ha), balanceCell(d.trend_balance_ha), ...enquiryCells(d)]};
				}),
				{key: 'total', attrs: {'data-balance-ha': b.total.trend_balance_ha, 'data-enquiry-balance-ha': b.total.enquiry?.balance_ha ?? ''},
					cells: [t('study.col.total'), haText(b.total.reserve_net_ha), haText(b.total.mean_take_up_net_ha_per_year), haText(b.total.trend_demand_ha), balanceCell(b.total.trend_balance_ha), ...enquiryCells(b.total)]},
				this.downloads('balance', {target_year: b.target_year, demand: this.withEnquiries() ? 'enquiries' : undefined})));
		const asked = this.run ? this.run.params.demand?.enquiries === true : this.withEnquiries();
		const demand = enquiryDemand(this.ctx, b, asked, this.run ? null : this.live?.enquiries ?? null);
		if (demand) section.append(demand);
		return section;
	}

	private largeFigure(ls: Maybe<LargeSites>): HTMLElement {
		const section = h('section', {class: 'study-section', id: 'large-sites', 'aria-labelledby': 'large-title'}, h('h3', {id: 'large-title'}, t('study.large')));
		if (ls instanceof Error) {
			section.append(h('p', {class: 'error'}, ls.message));
			return section;
		}
		const asOf = this.asOf();
		section.append(
			h('p', {class: 'hint'}, t('study.large.hint', {min: num(ls.min_net_ha, 0), m: num(ls.distance_m, 0), n: num(ls.sites.length, 0), ha: ha(ls.total_net_ha)})),
			table(
				[t('study.col.site'), t('study.col.net'), t('study.col.available'), t('study.col.planning')],
				ls.sites.map((site) => {
					const n = site.member_ids.length;
					const name = `${site.district_names.join(' / ')} (${t(n === 1 ? 'study.parcels.one' : 'study.parcels.n', {n: num(n, 0)})})`;
					const key = this.register(`site:${site.id}`, {label: name, filter: `id IN (${site.member_ids.join(', ')})`, asOf, site: site.geometry});
					return {key, attrs: {'data-net-ha': site.net_ha},
						cells: [h('span', {}, this.figureButton(key, name),
							site.crosses_districts ? ' ' : null,
							site.crosses_districts ? h('span', {class: 'badge'}, t(site.crosses_lands ? 'study.large.crossesLands' : 'study.large.crosses')) : null,
							site.strategic_reserve ? ' ' : null,
							site.strategic_reserve ? h('span', {class: 'badge'}, t('study.large.joker')) : null),
						haText(site.net_ha), haText(site.available_net_ha), label(codes('planning_status'), site.best_planning_status)]};
				}),
				null, this.downloads('large_sites')));
		return section;
	}

	/** monitorFigure offers the monitoring report for a reference date and compares two dates. */
	private monitorFigure(): HTMLElement {
		const to = this.compare.to || this.ctx.state().asOf || today();
		const from = this.compare.from || `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
		return monitorSection({
			api: this.ctx.api, result: this.compare.result, from, to,
			onCompare: (f, tt) => void this.runCompare(f, tt),
			figure: (key, label, filter, asOf, content) => this.figureButton(this.register(key, {label, filter, asOf}), content),
			onDownload: (href, name) => void this.ctx.api.download(href, name).catch((e) => this.exportFailed(e)),
		});
	}

	private async runCompare(from: string, to: string): Promise<void> {
		this.compare = {from, to, result: null};
		this.settled = this.ctx.api.json<{compare: Comparison}>('/api/v1/study/compare', {from, to})
			.then((r) => {
				this.compare.result = r.compare;
			}, (e) => {
				this.compare.result = e instanceof Error ? e : new Error(String(e));
			})
			.then(() => this.render());
		await this.settled;
	}

	private saveForm(): HTMLElement {
		const s = this.ctx.state();
		const scopeName = s.study.scope.length
			? s.study.scope.map((x) => label(codes('district'), x) || label(codes('land'), x)).join(', ')
			: t('study.scope.region');
		const title = h('input', {id: 'run-title', type: 'text', required: true, maxlength: 200,
			value: t('study.run.defaultTitle', {scope: scopeName, date: date(s.asOf || today())})});
		const audience = h('select', {id: 'run-audience'},
			h('option', {value: 'internal'}, t('study.audience.internal')),
			h('option', {value: 'public'}, t('study.audience.public')));
		const form = h('form', {class: 'study-section work-form', id: 'run-form', 'aria-labelledby': 'run-form-title'},
			h('h3', {id: 'run-form-title'}, t('study.save')),
			h('p', {class: 'hint'}, t('study.save.hint')),
			h('div', {class: 'field'}, h('label', {for: 'run-title'}, t('study.run.title')), title),
			h('div', {class: 'field'}, h('label', {for: 'run-audience'}, t('study.run.audience')), audience),
			this.saveError ? h('p', {class: 'error', role: 'alert'}, this.saveError) : null,
			h('div', {class: 'button-row'},
				h('button', {type: 'submit', class: 'button button-primary', id: 'run-save', disabled: this.saving}, this.saving ? t('study.saving') : t('study.save.button'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.saveRun(title.value.trim(), audience.value);
		});
		return form;
	}

	private async saveRun(title: string, audience: string): Promise<void> {
		const s = this.ctx.state();
		const scope = this.scopeParams();
		this.saving = true;
		this.saveError = '';
		this.render();
		try {
			const run = await this.ctx.api.send<Run>('/api/v1/study/runs', {method: 'POST', body: {
				title, audience, as_of: s.asOf || undefined,
				scope: {district: scope.district ? String(scope.district).split(',') : undefined, land: scope.land ? String(scope.land).split(',') : undefined},
				group_by: ['district'], demand: {target_year: s.study.targetYear, enquiries: this.withEnquiries() || undefined},
			}});
			this.saving = false;
			announce(t('study.saved', {title: run.title}));
			this.ctx.go({name: 'study', run: String(run.id)});
		} catch (e) {
			this.saving = false;
			this.saveError = errorText(e);
			this.render();
		}
	}

	private runList(): HTMLElement {
		const section = h('section', {class: 'study-section', id: 'runs', 'aria-labelledby': 'runs-title'}, h('h3', {id: 'runs-title'}, t('study.runs')));
		if (!this.ctx.session()) {
			section.append(h('p', {class: 'muted'}, t('study.runs.signin')));
			return section;
		}
		if (!this.runs || this.runs.length === 0) {
			section.append(h('p', {class: 'muted'}, t('study.runs.none')));
			return section;
		}
		section.append(h('ul', {class: 'run-list'}, this.runs.map((r) => {
			const route: Route = {name: 'study', run: String(r.id)};
			const a = h('a', {href: this.ctx.href(route), 'data-run': r.id, 'aria-current': this.route.run === String(r.id) ? 'page' : null}, r.title);
			a.addEventListener('click', (e) => {
				if (e.metaKey || e.ctrlKey || e.shiftKey) return;
				e.preventDefault();
				this.ctx.go(route);
			});
			return h('li', {}, a, h('span', {class: 'muted'}, ` · ${t('study.run.asof')} ${date(berlinDate(r.as_of))} · ${date(r.created_at)}${r.created_by ? ` · ${r.created_by}` : ''}`));
		})));
		return section;
	}
}

function balanceCell(v: number): HTMLElement {
	return h('span', {class: v < 0 ? 'negative' : 'positive'}, `${v > 0 ? '+' : ''}${ha(v)} ha`);
}

interface Row {
	key: string;
	attrs: Record<string, string | number>;
	cells: (string | Node)[];
}

/** table draws a figure's numbers with a total row and the downloads of its table. */
function table(head: string[], rows: Row[], total: Row | null, downloads: HTMLElement): HTMLElement {
	const tbl = h('table', {class: 'figure-table'},
		h('thead', {}, h('tr', {}, head.map((c, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, c)))),
		h('tbody', {}, rows.map((r) => h('tr', {'data-key': r.key, ...prefixed(r.attrs)}, r.cells.map((c, i) => (i ? h('td', {class: 'num'}, c) : h('th', {scope: 'row'}, c)))))),
		total ? h('tfoot', {}, h('tr', {'data-key': total.key, ...prefixed(total.attrs)}, total.cells.map((c, i) => (i ? h('td', {class: 'num'}, c) : h('th', {scope: 'row'}, c))))) : null);
	return h('div', {class: 'table-box'}, tbl, downloads);
}

function prefixed(attrs: Record<string, string | number>): Record<string, string | number> {
	return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.startsWith('data-') ? k : `data-${k}`, v]));
}
