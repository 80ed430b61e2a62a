// App ties the pieces together: it owns the state and the session, keeps the URL in step with the
// state, and tells the map, the filter form, the list, the fact sheet, the exposé, the time slider
// and the workspace pages (study dashboard, site search, upload) what changed. The workspace pages
// take the side panel while the map stays beside them.
import type {Api, Config, FeatureCollection} from './api.ts';
import {announce, byId, debounce, h, replace} from './dom.ts';
import {flags, loadCatalog} from './catalog.ts';
import {activeCount, cql2, defaultFilters, type Filters} from './filters.ts';
import {lang, num, onLangChange, setLang, t, type Lang, type MessageKey} from './i18n.ts';
import {AtlasMap} from './map/map.ts';
import type {ParcelDossier} from './parcel.ts';
import {exportColumnNames, exportCSV, fetchAll, saveFile, type ExportQuery} from './export.ts';
import {ComparePage} from './compare.ts';
import {GlossaryPage} from './glossary.ts';
import {Favourites} from './favourites.ts';
import {ListPrintPage} from './listprint.ts';
import {PrintPage} from './print.ts';
import {identify, markExpired, storeSession, storedSession, takeExpired, uploadDistricts, type Session} from './session.ts';
import {parseLocation, toURL, workRoutes, type ColorBy, type Route, type Sort, type State, type WorkRoute} from './state.ts';
import {endOfDay} from './time.ts';
import {AccountBar} from './ui/account.ts';
import {attachBasemapSwitch, storedBasemap, type BasemapSwitch} from './ui/basemapswitch.ts';
import {FilterPanel} from './ui/filters.ts';
import {Legend} from './ui/legend.ts';
import {ResultsPanel, type Summary} from './ui/results.ts';
import {ResultTools} from './ui/resulttools.ts';
import {FavouritesPanel, markButton} from './ui/favourites.ts';
import {SearchBox} from './ui/search.ts';
import {FactSheet} from './ui/sheet.ts';
import {TimeSlider} from './ui/timeslider.ts';
import {bbox} from './geo.ts';
import type {WorkContext, WorkPage} from './work/context.ts';
import {EnquiriesPage} from './work/enquiries.ts';
import {SearchPage} from './work/search.ts';
import {StudyPage} from './work/study.ts';
import {CampaignsPage} from './work/campaigns.ts';
import {UploadPage} from './work/upload.ts';
import {EditPage} from './work/edit.ts';

const langKey = 'landatlas.lang';

/** pastLimit bounds the parcels drawn for a past date (the region holds a few thousand). */
const pastLimit = 50_000;

const isWork = (r: Route): r is Extract<Route, {name: WorkRoute}> => (workRoutes as readonly string[]).includes(r.name);

export class App {
	state: State;
	map: AtlasMap | null = null;
	session: Session | null;
	private filters: FilterPanel;
	private results: ResultsPanel;
	private sheet: FactSheet;
	private search: SearchBox;
	private legend: Legend;
	private account: AccountBar;
	private timeSlider: TimeSlider;
	private basemapSwitch: BasemapSwitch | null = null;
	private pages: Record<WorkRoute, WorkPage>;
	private activePage: WorkPage | null = null;
	private print: PrintPage | ListPrintPage | ComparePage | GlossaryPage | null = null;
	private tools: ResultTools;
	private favourites = new Favourites(browserStorage());
	private favPanel: FavouritesPanel;
	private appEl = byId('app');
	private pendingZoom = false;
	private mapErrors: string[] = [];
	private pastController: AbortController | null = null;
	private pastSettled: Promise<void> = Promise.resolve();
	private pastKey = '';

	constructor(private api: Api, private config: Config) {
		this.state = parseLocation(window.location, storedLang());
		setLang(this.state.lang);
		document.documentElement.lang = this.state.lang;
		this.session = storedSession();
		api.setToken(this.session?.token ?? null);
		// A token revoked while signed in: forget it and start again signed out, saying why.
		api.onUnauthorized = () => {
			api.onUnauthorized = null;
			storeSession(null);
			markExpired();
			window.location.reload();
		};

		this.filters = new FilterPanel(byId('filters-root'), api, (f) => this.setFilters(f));
		this.results = new ResultsPanel(byId('results-root'), byId('summary-root'), api, {
			onHover: (id) => this.map?.setHover(id),
			onSelect: (id, geometry) => {
				this.closePanelOnPhone();
				this.go({name: 'parcel', id});
				if (geometry) this.map?.showGeometry(geometry);
			},
			onSort: (sort) => this.setSort(sort),
			onSummary: (summary) => this.showSummary(summary),
		});
		this.tools = new ResultTools(byId('results-root'), {
			onInView: (on) => this.setInView(on),
			onCSV: () => this.downloadCSV(),
			printUrl: () => toURL(this.state, {name: 'list'}),
			onPrint: () => this.go({name: 'list'}),
		});
		const favRoot = h('div', {class: 'favourites-root'});
		byId('result-tools').after(favRoot);
		this.favPanel = new FavouritesPanel(favRoot, this.favourites, {
			onOpen: (id) => {
				this.closePanelOnPhone();
				this.go({name: 'parcel', id});
			},
			onCompare: (ids) => this.go({name: 'compare', ids}),
			shareUrl: (params) => `${window.location.origin}/?${params}${this.state.lang !== 'de' ? `&lang=${this.state.lang}` : ''}`,
		});
		this.sheet = new FactSheet(byId('sheet'), api, {
			onClose: () => this.go({name: 'map'}),
			onLoaded: (d) => this.parcelLoaded(d),
			onZoom: (d) => d.feature.geometry && this.map?.showGeometry(d.feature.geometry, {force: true}),
			shareUrl: (id) => this.absolute({name: 'parcel', id}),
			printUrl: (id) => toURL(this.state, {name: 'print', id}),
			onNavigate: () => this.go({name: 'print', id: this.sheet.current()!}),
			onUpload: () => (this.session ? (id: number) => this.go({name: 'upload', id: String(id)}) : undefined),
			onEdit: (district: string) => {
				const allowed = uploadDistricts(this.session);
				return allowed.includes('*') || allowed.includes(district) ? (id: string) => this.go({name: 'edit', id}) : undefined;
			},
			actions: (id, name) => h('span', {class: 'sheet-more'}, markButton(this.favourites, id, name),
				h('a', {class: 'button button-quiet', href: toURL(this.state, {name: 'glossary'}), onclick: (e: Event) => {
					e.preventDefault();
					this.go({name: 'glossary'});
				}}, t('glossary.link'))),
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
			onAddress: (geometry, box) => {
				if (box && box.length === 4) this.map?.fitBBox(box as [number, number, number, number]);
				else this.map?.showGeometry(geometry, {force: true, maxZoom: 15});
			},
		}, config.geocoder === true);
		this.legend = new Legend(byId('map-overlay'), {
			onColorBy: (by) => this.setColorBy(by),
			onConstraints: (on) => this.setConstraints(on),
		});
		this.legend.internal = this.session !== null;
		this.account = new AccountBar(byId('work-nav'), byId('account-root'), {
			onSignIn: (token) => this.signIn(token),
			onSignOut: () => this.signOut(),
			onNavigate: (r) => this.go(r),
			href: (r) => toURL(this.state, r),
		});
		this.timeSlider = new TimeSlider(byId('timebar-root'), {onChange: (d) => this.setAsOf(d)});
		const ctx: WorkContext = {
			api,
			session: () => this.session,
			state: () => this.state,
			update: (fn) => {
				fn(this.state);
				this.writeURL(false);
			},
			go: (r) => this.go(r),
			href: (r) => toURL(this.state, r),
			map: () => this.ensureMap(),
			openOnMap: (cql, label, asOf) => this.openOnMap(cql, label, asOf),
			setAsOf: (asOf) => this.setAsOf(asOf),
		};
		const workRoot = byId('work-root');
		this.pages = {study: new StudyPage(workRoot, ctx), search: new SearchPage(workRoot, ctx), upload: new UploadPage(workRoot, ctx),
			edit: new EditPage(workRoot, ctx), enquiries: new EnquiriesPage(workRoot, ctx), campaigns: new CampaignsPage(workRoot, ctx)};

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
		this.tools.render(this.state.inView);
		this.favPanel.render();
		void this.takeSharedFavourites();
		this.renderCqlChip();
		this.showRoute(this.state.route, true);
		if (!['print', 'list', 'compare', 'glossary'].includes(this.state.route.name)) this.query();
		if (takeExpired()) this.account.open(t('account.expired'));
	}

	private ensureMap(): AtlasMap {
		if (this.map) return this.map;
		const writeView = debounce(() => this.writeURL(false), 300);
		const requeryInView = debounce(() => this.queryResults(), 300);
		this.map = new AtlasMap({
			container: byId('map'),
			api: this.api,
			basemaps: this.config.basemaps,
			basemap: storedBasemap((this.config.basemaps ?? []).map((b) => b.id)),
			onBasemap: (status) => this.basemapSwitch?.update(status),
			view: this.state.view,
			colorBy: this.state.colorBy,
			constraints: this.state.constraints,
			filter: this.filter(),
			onParcelClick: (id) => this.go({name: 'parcel', id}),
			onMove: (view) => {
				this.state.view = view;
				writeView();
				if (this.state.inView) requeryInView();
			},
			onError: (msg) => this.mapMessage(msg),
			onWorkClick: (props) => {
				if (this.activePage instanceof SearchPage) this.activePage.focusResult(props);
			},
		});
		this.basemapSwitch = attachBasemapSwitch(this.map);
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
		this.account.render(this.session, route);
		this.renderPanelToggle();
		if (route.name === 'glossary') {
			this.appEl.hidden = true;
			this.print?.destroy();
			this.print = new GlossaryPage(byId('print-root'), () => history.length > 1 ? history.back() : this.go({name: 'map'}), () => this.toggleLang());
			window.scrollTo(0, 0);
			return;
		}
		if (route.name === 'compare') {
			this.appEl.hidden = true;
			this.print?.destroy();
			this.print = new ComparePage({
				root: byId('print-root'), api: this.api, ids: route.ids, favourites: this.favourites,
				parcelUrl: (id) => toURL(this.state, {name: 'parcel', id}),
				onBack: () => this.go({name: 'map'}),
				onOpen: (id) => this.go({name: 'parcel', id}),
				onLang: () => this.toggleLang(),
			});
			window.scrollTo(0, 0);
			return;
		}
		if (route.name === 'list') {
			this.appEl.hidden = true;
			this.print?.destroy();
			this.print = new ListPrintPage({
				root: byId('print-root'), api: this.api, query: this.exportQuery(), inView: this.state.inView,
				mapUrl: this.absolute({name: 'map'}),
				parcelUrl: (id) => this.absolute({name: 'parcel', id}),
				onBack: () => this.go({name: 'map'}),
				onLang: () => this.toggleLang(),
			});
			window.scrollTo(0, 0);
			return;
		}
		if (route.name === 'print') {
			this.appEl.hidden = true;
			this.print?.destroy();
			this.print = new PrintPage({
				root: byId('print-root'), api: this.api, id: route.id, basemaps: this.config.basemaps,
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
		const work = isWork(route);
		for (const id of ['summary-root', 'filters-root', 'results-root', 'cql-root']) byId(id).hidden = work;
		byId('work-root').hidden = !work;
		const page = work ? this.pages[route.name] : null;
		if (this.activePage && this.activePage !== page) this.activePage.hide();
		this.activePage = page;
		if (page) {
			this.appEl.classList.remove('sheet-open');
			if (byId('main').clientWidth < 900) this.legend.collapse();
			this.sheet.close();
			void this.map?.select(null);
			document.title = `${t(`nav.${route.name}` as MessageKey)} – landatlas`;
			page.show(route);
			if (!initial) byId('work-root').querySelector<HTMLElement>('.work-page:not([hidden]) h2')?.focus();
			this.map?.resize();
			return;
		}
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
		this.map?.resize();
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

	/** filter is the one CQL2 filter of the map, the list and the count: the form's and a study figure's. */
	private filter(): string {
		return [cql2(this.state.filters, flags().map((f) => f.name)), this.state.cql ? `(${this.state.cql})` : ''].filter(Boolean).join(' AND ');
	}

	/** setFilters applies new filters everywhere: tiles, list, counts and the URL. */
	setFilters(f: Filters, redraw = false): void {
		this.state.filters = f;
		if (redraw) this.filters.render(f);
		this.writeURL(false);
		this.query();
	}

	private query(): void {
		const cql = this.filter();
		const datetime = this.state.asOf ? endOfDay(this.state.asOf) : undefined;
		this.map?.setFilter(cql);
		void this.results.query(cql, this.state.sort, {datetime, internal: this.session !== null, bbox: this.viewBBox()});
		this.renderPanelToggle();
		// The time slider is for planners; the public sees it only when a link carries a date.
		byId('timebar-root').hidden = this.session === null && !this.state.asOf;
		this.pastSettled = this.loadPast(cql);
	}

	/**
	 * loadPast draws the parcels of the chosen past date. Vector tiles hold only the current state,
	 * so for a past date the map asks the features API for the state at the end of that day
	 * (datetime, paged) and draws it as GeoJSON in place of the tiles.
	 */
	private async loadPast(cql: string): Promise<void> {
		const asOf = this.state.asOf;
		const key = JSON.stringify([asOf, cql, this.session?.token ?? '']);
		if (key === this.pastKey) return;
		this.pastKey = key;
		this.pastController?.abort();
		const map = this.ensureMap();
		if (!asOf) {
			this.timeSlider.render('');
			if (map.showingPast()) await map.showPast(null);
			return;
		}
		const ctl = new AbortController();
		this.pastController = ctl;
		this.timeSlider.render(asOf, true);
		const properties = ['id', 'name', 'net_area_ha', 'availability', 'use_type', 'planning_status', 'status', ...(this.session ? ['publication'] : [])];
		const features: FeatureCollection['features'] = [];
		try {
			let page: FeatureCollection | null = await this.api.items('parcels', {filter: cql, datetime: endOfDay(asOf), limit: 5000, properties}, ctl.signal);
			const matched = page.numberMatched ?? 0;
			while (page) {
				features.push(...page.features);
				page = features.length < Math.min(matched, pastLimit) ? await this.api.nextPage(page, ctl.signal) : null;
			}
			if (ctl.signal.aborted) return;
			await map.showPast({type: 'FeatureCollection', features: features as GeoJSON.Feature[]});
			this.timeSlider.render(asOf, false, t('time.count', {n: features.length.toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB')}));
		} catch (e) {
			if (ctl.signal.aborted) return;
			this.pastKey = '';
			this.timeSlider.render(asOf, false, t('time.error', {msg: e instanceof Error ? e.message : String(e)}));
		}
	}

	private setAsOf(asOf: string): void {
		this.state.asOf = asOf;
		this.writeURL(false);
		this.query();
		if (this.activePage) this.activePage.show(this.state.route);
	}

	/** openOnMap shows parcels of a figure in the map's list: its filter alone, at its date. */
	private openOnMap(cql: string, label: string, asOf: string): void {
		this.state.filters = {...defaultFilters(), status: []};
		this.state.cql = cql;
		this.state.cqlLabel = label;
		this.state.asOf = asOf;
		this.filters.render(this.state.filters);
		this.renderCqlChip();
		this.go({name: 'map'});
		this.query();
	}

	private renderCqlChip(): void {
		const root = byId('cql-root');
		if (!this.state.cql) {
			replace(root);
			return;
		}
		replace(root, h('p', {class: 'cql-chip', id: 'cql-chip'},
			h('span', {}, t('cql.label', {label: this.state.cqlLabel || t('cql.unnamed')})),
			h('button', {type: 'button', class: 'link', id: 'cql-remove', onclick: () => {
				this.state.cql = '';
				this.state.cqlLabel = '';
				this.renderCqlChip();
				this.writeURL(false);
				this.query();
			}}, t('cql.remove'))));
	}

	// --- sign-in --------------------------------------------------------------------------------

	private async signIn(token: string): Promise<void> {
		const account = await identify(this.api, token);
		this.session = {...account, token};
		storeSession(this.session);
		this.api.setToken(token);
		await loadCatalog(this.api);
		this.account.render(this.session, this.state.route);
		this.legend.internal = true;
		this.legend.render(this.state.colorBy, this.state.constraints);
		await this.map?.refreshTiles();
		this.pastKey = '';
		this.query();
		const id = this.sheet.current();
		if (id && this.state.route.name === 'parcel') {
			this.sheet.close();
			void this.sheet.open(id, false);
		}
		if (this.activePage) this.activePage.show(this.state.route);
	}

	/** signOut forgets the token and reloads the page, so nothing internal stays in memory. */
	private signOut(): void {
		storeSession(null);
		this.api.setToken(null);
		const r = this.state.route;
		window.location.assign(r.name === 'upload' || r.name === 'edit' ? toURL(this.state, {name: 'map'}) : toURL(this.state));
	}

	// --- map settings, language, panel ------------------------------------------------------------

	private setSort(sort: Sort): void {
		this.state.sort = sort;
		this.writeURL(false);
		this.queryResults();
	}

	/** queryResults asks again for the list and the count only (after a move with "in the map view", or a new order). */
	private queryResults(): void {
		void this.results.query(this.filter(), this.state.sort, {datetime: this.state.asOf ? endOfDay(this.state.asOf) : undefined, internal: this.session !== null, bbox: this.viewBBox()});
	}

	/** viewBBox is the map view as west, south, east, north when the list is limited to it. */
	private viewBBox(): [number, number, number, number] | undefined {
		if (!this.state.inView || !this.map) return undefined;
		const b = this.map.map.getBounds();
		return [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -85), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 85)];
	}

	private setInView(on: boolean): void {
		this.state.inView = on;
		this.writeURL(false);
		this.tools.render(on);
		this.queryResults();
	}

	/** exportQuery is the selection of the list, for exports: filter, date and (if chosen) the map view. */
	private exportQuery(): ExportQuery {
		return {filter: this.filter(), datetime: this.state.asOf ? endOfDay(this.state.asOf) : undefined, bbox: this.viewBBox() ?? this.storedViewBBox()};
	}

	/** storedViewBBox is the view of the URL when no map is drawn (the printable list opened by a link). */
	private storedViewBBox(): [number, number, number, number] | undefined {
		const v = this.state.view;
		if (!this.state.inView || !v) return undefined;
		// Half the width and height of a 1400 × 900 px view at that zoom, in degrees.
		const degPerPx = 360 / (512 * Math.pow(2, v.zoom));
		const [lng, lat] = v.center;
		const dx = 700 * degPerPx;
		const dy = 450 * degPerPx * Math.cos((lat * Math.PI) / 180);
		return [lng - dx, lat - dy, lng + dx, lat + dy];
	}

	private async downloadCSV(): Promise<void> {
		const rows = await fetchAll(this.api, this.exportQuery(), ['id', ...exportColumnNames()]);
		const day = new Date().toISOString().slice(0, 10);
		saveFile(exportCSV(rows, (id) => this.absolute({name: 'parcel', id})), `${t('export.filename')}-${day}.csv`, 'text/csv;charset=utf-8');
	}

	/** takeSharedFavourites keeps the parcels a shared link (fav=) brings, with their names, and drops fav= from the URL. */
	private async takeSharedFavourites(): Promise<void> {
		const ids = this.state.sharedFavourites;
		if (!ids.length) return;
		this.state.sharedFavourites = [];
		this.writeURL(false);
		const page = await this.api.items<{id: number; name: string}>('parcels', {filter: `id IN (${ids.join(',')})`, properties: ['id', 'name'], skipGeometry: true, limit: ids.length}).catch(() => null);
		const names = new Map((page?.features ?? []).map((f) => [String(f.properties.id ?? f.id), f.properties.name]));
		const n = this.favourites.add(ids.filter((id) => names.has(id)).map((id) => ({id, name: names.get(id) ?? ''})));
		this.favPanel.open();
		announce(t('fav.fromLink', {n: num(n, 0)}));
	}

	/** showSummary draws only the sites holding a matching parcel while a filter is set. */
	private showSummary(summary: Summary): void {
		const filtered = activeCount(this.state.filters) > 0 || this.state.cql !== '';
		void this.map?.showSites(filtered ? summary.siteIds : null);
		this.legend.sitesFiltered = filtered;
		this.legend.render(this.state.colorBy, this.state.constraints);
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
		this.tools.render(this.state.inView);
		this.favPanel.render();
		this.sheet.render();
		this.search.render();
		this.print?.render();
		this.account.rerender();
		this.timeSlider.rerender();
		this.basemapSwitch?.render();
		this.renderCqlChip();
		this.activePage?.rerender();
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
		if (isWork(this.state.route)) {
			byId('panel-toggle').textContent = t('nav.panel');
			return;
		}
		const n = activeCount(this.state.filters) + (this.state.cql ? 1 : 0);
		// Phones get the short label, so the header stays on two rows.
		replace(byId('panel-toggle'), h('span', {class: 'wide-only'}, t('panel.toggle')), h('span', {class: 'narrow-only'}, t('panel.toggle.short')), n ? ` (${n})` : '');
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
		// What a link leaves out for a page (the map's filters on a workspace page) stays as it was.
		if (isWork(next.route)) {
			next.filters = prev.filters;
			next.cql = prev.cql;
			next.cqlLabel = prev.cqlLabel;
			next.sort = prev.sort;
		} else {
			next.study = prev.study;
			next.search = prev.search;
			next.uploadDistrict = prev.uploadDistrict;
		}
		this.state = next;
		if (next.lang !== prev.lang) setLang(next.lang);
		const filtersChanged = JSON.stringify([next.filters, next.cql]) !== JSON.stringify([prev.filters, prev.cql]);
		if (filtersChanged) {
			this.filters.render(next.filters);
			this.renderCqlChip();
		}
		if (filtersChanged || next.asOf !== prev.asOf) this.query();
		else if (next.sort !== prev.sort) void this.results.query(this.filter(), next.sort, {datetime: next.asOf ? endOfDay(next.asOf) : undefined, internal: this.session !== null});
		if (next.colorBy !== prev.colorBy) this.map?.setColorBy(next.colorBy);
		if (next.constraints !== prev.constraints) this.map?.setConstraints(next.constraints);
		this.legend.render(next.colorBy, next.constraints);
		if (next.view && this.map) this.map.map.jumpTo({center: next.view.center, zoom: next.view.zoom});
		if (JSON.stringify(next.route) !== JSON.stringify(prev.route)) this.showRoute(next.route, false);
		else if (this.activePage) this.activePage.show(next.route);
	}

	/** idle resolves when the list, the count, the fact sheet, the workspace page and the map have settled (for tests). */
	async idle(timeoutMs = 20000): Promise<void> {
		const map = this.map?.map;
		const mapIdle = map
			? new Promise<void>((resolve) => {
				// MapLibre says idle after a frame that found nothing left to load; a map that finished
				// loading between frames draws none, so one more frame is asked for.
				const check = () => {
					if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) return resolve();
					map.once('idle', () => resolve());
					map.triggerRepaint();
				};
				void this.map!.whenReady().then(check);
			})
			: Promise.resolve();
		const parts: Record<string, Promise<unknown> | undefined> = {
			list: this.results.settled, 'fact sheet': this.sheet.settled, print: this.print?.settled, 'past state': this.pastSettled,
			page: this.activePage?.settled, map: mapIdle, 'base map': this.map?.basemapSettled(),
		};
		const pending = new Set(Object.keys(parts));
		for (const [name, p] of Object.entries(parts)) void Promise.resolve(p).finally(() => pending.delete(name));
		await Promise.race([
			Promise.all(Object.values(parts)),
			new Promise((_, reject) => setTimeout(() => reject(new Error(`landatlas did not settle in time: waiting for ${[...pending].join(', ')}`)), timeoutMs)),
		]);
	}
}

/** browserStorage is localStorage, or null where the browser refuses it. */
function browserStorage(): Storage | null {
	try {
		return window.localStorage;
	} catch {
		return null;
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
