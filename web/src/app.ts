// App ties the pieces together: it owns the state, keeps the URL in step with it, and tells the
// map, the filter form, the list, the fact sheet and the exposé what changed. New pages (issue 8:
// study dashboard, site search, upload, history) plug in as routes beside 'map', 'parcel', 'print'.
import type {Api, Config} from './api.ts';
import {byId, debounce} from './dom.ts';
import {activeCount, cql2, type Filters} from './filters.ts';
import {lang, onLangChange, setLang, t, type Lang} from './i18n.ts';
import {AtlasMap} from './map/map.ts';
import type {ParcelDossier} from './parcel.ts';
import {PrintPage} from './print.ts';
import {parseLocation, toURL, type ColorBy, type Route, type Sort, type State} from './state.ts';
import {FilterPanel} from './ui/filters.ts';
import {Legend} from './ui/legend.ts';
import {ResultsPanel} from './ui/results.ts';
import {SearchBox} from './ui/search.ts';
import {FactSheet} from './ui/sheet.ts';
import {bbox} from './geo.ts';

const langKey = 'landatlas.lang';

export class App {
	state: State;
	map: AtlasMap | null = null;
	private filters: FilterPanel;
	private results: ResultsPanel;
	private sheet: FactSheet;
	private search: SearchBox;
	private legend: Legend;
	private print: PrintPage | null = null;
	private appEl = byId('app');
	private pendingZoom = false;
	private mapErrors: string[] = [];

	constructor(private api: Api, private config: Config) {
		this.state = parseLocation(window.location, storedLang());
		setLang(this.state.lang);
		document.documentElement.lang = this.state.lang;

		this.filters = new FilterPanel(byId('filters-root'), api, (f) => this.setFilters(f));
		this.results = new ResultsPanel(byId('results-root'), byId('summary-root'), api, {
			onHover: (id) => this.map?.setHover(id),
			onSelect: (id, geometry) => {
				this.closePanelOnPhone();
				this.go({name: 'parcel', id});
				if (geometry) this.map?.showGeometry(geometry);
			},
			onSort: (sort) => this.setSort(sort),
		});
		this.sheet = new FactSheet(byId('sheet'), api, {
			onClose: () => this.go({name: 'map'}),
			onLoaded: (d) => this.parcelLoaded(d),
			onZoom: (d) => d.feature.geometry && this.map?.showGeometry(d.feature.geometry, {force: true}),
			shareUrl: (id) => this.absolute({name: 'parcel', id}),
			printUrl: (id) => toURL(this.state, {name: 'print', id}),
			onNavigate: () => this.go({name: 'print', id: this.sheet.current()!}),
		});
		this.search = new SearchBox(byId('search-root'), api, {
			onPlace: (ags, geometry) => {
				this.setFilters({...this.state.filters, district: ags.slice(0, 5), municipality: ags}, true);
				const b = geometry && bbox(geometry);
				if (b) this.map?.fitBBox(b);
			},
			onParcel: (id, geometry) => {
				this.go({name: 'parcel', id});
				if (geometry) this.map?.showGeometry(geometry, {force: true});
			},
		});
		this.legend = new Legend(byId('map-overlay'), {
			onColorBy: (by) => this.setColorBy(by),
			onConstraints: (on) => this.setConstraints(on),
		});

		byId('lang-switch').addEventListener('click', () => this.toggleLang());
		byId('panel-toggle').addEventListener('click', () => this.togglePanel());
		byId('panel-close').addEventListener('click', () => {
			this.closePanelOnPhone();
			byId('panel-toggle').focus();
		});
		window.addEventListener('popstate', () => this.fromURL());
		onLangChange((l) => this.langChanged(l));
	}

	/** start draws the page for the URL it was opened with. */
	start(): void {
		this.renderChrome();
		this.filters.render(this.state.filters);
		this.legend.render(this.state.colorBy, this.state.constraints);
		this.results.render();
		this.showRoute(this.state.route, true);
		if (this.state.route.name !== 'print') this.query();
	}

	private ensureMap(): AtlasMap {
		if (this.map) return this.map;
		const writeView = debounce(() => this.writeURL(false), 300);
		this.map = new AtlasMap({
			container: byId('map'),
			api: this.api,
			basemapStyle: this.config.basemap_style || undefined,
			view: this.state.view,
			colorBy: this.state.colorBy,
			constraints: this.state.constraints,
			filter: cql2(this.state.filters),
			onParcelClick: (id) => this.go({name: 'parcel', id}),
			onMove: (view) => {
				this.state.view = view;
				writeView();
			},
			onError: (msg) => this.mapMessage(msg),
		});
		(window as unknown as {__landatlasMap: unknown}).__landatlasMap = this.map.map;
		return this.map;
	}

	private mapMessage(msg: string): void {
		this.mapErrors.push(msg);
		const el = byId('map-message');
		el.textContent = t('map.error', {msg: this.mapErrors.join('; ')});
		el.hidden = false;
	}

	/** go shows a route and records it in the history. */
	go(route: Route): void {
		if (JSON.stringify(route) === JSON.stringify(this.state.route)) return;
		this.state.route = route;
		this.writeURL(true);
		this.showRoute(route, false);
	}

	private showRoute(route: Route, initial: boolean): void {
		this.appEl.dataset.route = route.name;
		if (route.name === 'print') {
			this.appEl.hidden = true;
			this.print?.destroy();
			this.print = new PrintPage({
				root: byId('print-root'), api: this.api, id: route.id, basemapStyle: this.config.basemap_style || undefined,
				shareUrl: this.absolute({name: 'parcel', id: route.id}),
				onBack: () => this.go({name: 'parcel', id: route.id}),
				onLang: () => this.toggleLang(),
			});
			window.scrollTo(0, 0);
			return;
		}
		if (this.print) {
			this.print.destroy();
			this.print = null;
			this.appEl.hidden = false;
			if (!this.map) this.query();
		}
		this.appEl.hidden = false;
		this.ensureMap();
		if (route.name === 'parcel') {
			this.pendingZoom = initial && this.state.view === null;
			this.appEl.classList.add('sheet-open');
			if (byId('main').clientWidth < 800) this.legend.collapse();
			void this.sheet.open(route.id, !initial);
		} else {
			this.appEl.classList.remove('sheet-open');
			const wasOpen = this.sheet.current();
			this.sheet.close();
			this.results.select(null);
			void this.map?.select(null);
			document.title = t('app.title');
			if (wasOpen) byId('results-root').querySelector<HTMLElement>(`li[data-id="${CSS.escape(wasOpen)}"] button`)?.focus();
		}
	}

	private parcelLoaded(d: ParcelDossier): void {
		const id = String(d.feature.properties.id);
		document.title = `${d.feature.properties.name} – landatlas`;
		this.results.select(id);
		void this.map?.select(d.feature.geometry);
		if (this.pendingZoom && d.feature.geometry) {
			this.pendingZoom = false;
			void this.map?.whenReady().then(() => this.map?.showGeometry(d.feature.geometry!, {force: true, animate: false}));
		}
	}

	/** setFilters applies new filters everywhere: tiles, list, counts and the URL. */
	setFilters(f: Filters, redraw = false): void {
		this.state.filters = f;
		if (redraw) this.filters.render(f);
		this.writeURL(false);
		this.query();
	}

	private query(): void {
		const cql = cql2(this.state.filters);
		this.map?.setFilter(cql);
		void this.results.query(cql, this.state.sort);
		this.renderPanelToggle();
	}

	private setSort(sort: Sort): void {
		this.state.sort = sort;
		this.writeURL(false);
		void this.results.query(cql2(this.state.filters), sort);
	}

	private setColorBy(by: ColorBy): void {
		this.state.colorBy = by;
		this.map?.setColorBy(by);
		this.legend.render(by, this.state.constraints);
		document.getElementById('color-by')?.focus();
		this.writeURL(false);
	}

	private setConstraints(on: boolean): void {
		this.state.constraints = on;
		this.map?.setConstraints(on);
		this.legend.render(this.state.colorBy, on);
		document.getElementById('layer-constraints')?.focus();
		this.writeURL(false);
	}

	private toggleLang(): void {
		setLang(lang() === 'de' ? 'en' : 'de');
	}

	private langChanged(l: Lang): void {
		this.state.lang = l;
		try {
			localStorage.setItem(langKey, l);
		} catch {
			// storage may be off; the URL still carries the language
		}
		this.renderChrome();
		this.filters.render(this.state.filters);
		this.legend.render(this.state.colorBy, this.state.constraints);
		this.results.render();
		this.sheet.render();
		this.search.render();
		this.print?.render();
		this.map?.map.getCanvas().setAttribute('aria-label', t('map.label'));
		this.writeURL(false);
	}

	private renderChrome(): void {
		byId('skip-link').textContent = t('app.skip');
		byId('tagline').textContent = t('app.tagline');
		this.renderPanelToggle();
		byId('panel-close').textContent = t('panel.close');
		const sw = byId('lang-switch');
		sw.textContent = t('lang.switch');
		sw.setAttribute('lang', lang() === 'de' ? 'en' : 'de');
		sw.setAttribute('aria-label', t('lang.switch.label'));
		byId('sidebar').setAttribute('aria-label', t('panel.toggle'));
		byId('sheet').setAttribute('aria-label', t('sheet.label'));
		if (this.state.route.name === 'map') document.title = t('app.title');
	}

	private renderPanelToggle(): void {
		const n = activeCount(this.state.filters);
		byId('panel-toggle').textContent = n ? `${t('panel.toggle')} (${n})` : t('panel.toggle');
	}

	private togglePanel(): void {
		const open = !this.appEl.classList.contains('sidebar-open');
		this.appEl.classList.toggle('sidebar-open', open);
		byId('panel-toggle').setAttribute('aria-expanded', String(open));
		if (open) byId('sidebar').querySelector<HTMLElement>('select, input, button')?.focus();
	}

	private closePanelOnPhone(): void {
		if (this.appEl.classList.contains('sidebar-open')) this.togglePanel();
	}

	/** absolute is the full link to a route with the current view and filters. */
	private absolute(route: Route): string {
		return window.location.origin + toURL(this.state, route);
	}

	private writeURL(push: boolean): void {
		const url = toURL(this.state);
		if (url === window.location.pathname + window.location.search) return;
		if (push) history.pushState(null, '', url);
		else history.replaceState(null, '', url);
		const share = document.getElementById('share-url') as HTMLInputElement | null;
		const id = this.sheet.current();
		if (share && id) share.value = this.absolute({name: 'parcel', id});
	}

	/** fromURL applies a state read from the address bar (back and forward). */
	private fromURL(): void {
		const next = parseLocation(window.location, this.state.lang);
		const prev = this.state;
		this.state = next;
		if (next.lang !== prev.lang) setLang(next.lang);
		if (JSON.stringify(next.filters) !== JSON.stringify(prev.filters)) {
			this.filters.render(next.filters);
			this.query();
		} else if (next.sort !== prev.sort) {
			void this.results.query(cql2(next.filters), next.sort);
		}
		if (next.colorBy !== prev.colorBy) this.map?.setColorBy(next.colorBy);
		if (next.constraints !== prev.constraints) this.map?.setConstraints(next.constraints);
		this.legend.render(next.colorBy, next.constraints);
		if (next.view && this.map) this.map.map.jumpTo({center: next.view.center, zoom: next.view.zoom});
		if (JSON.stringify(next.route) !== JSON.stringify(prev.route)) this.showRoute(next.route, false);
	}

	/** idle resolves when the list, the count, the fact sheet and the map have settled (for tests). */
	async idle(timeoutMs = 20000): Promise<void> {
		const map = this.map?.map;
		const mapIdle = map
			? new Promise<void>((resolve) => {
				const check = () => (map.loaded() && map.areTilesLoaded() && !map.isMoving() ? resolve() : map.once('idle', () => resolve()));
				void this.map!.whenReady().then(check);
			})
			: Promise.resolve();
		await Promise.race([
			Promise.all([this.results.settled, this.sheet.settled, this.print?.settled, mapIdle]),
			new Promise((_, reject) => setTimeout(() => reject(new Error('landatlas did not settle in time')), timeoutMs)),
		]);
	}
}

function storedLang(): Lang {
	try {
		const v = localStorage.getItem(langKey);
		return v === 'en' ? 'en' : 'de';
	} catch {
		return 'de';
	}
}
