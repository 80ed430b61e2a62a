// The printable exposé of a parcel (/parcel/{id}/print): the fact sheet's sections on paper, with a
// small map of the parcel and its surroundings. The map is turned into an image once drawn, since
// browsers print a WebGL canvas unreliably.
import type {Api} from './api.ts';
import {h, replace} from './dom.ts';
import {date, t} from './i18n.ts';
import type {BasemapEntry} from './map/basemap.ts';
import {AtlasMap} from './map/map.ts';
import {factSections, keyFacts, loadDossier, dl} from './parcel.ts';

export interface PrintOptions {
	root: HTMLElement;
	api: Api;
	id: string;
	basemaps?: BasemapEntry[];
	shareUrl: string;
	onBack: () => void;
	onLang: () => void;
}

/** PrintPage draws the exposé; render() redraws it in the current language. */
export class PrintPage {
	private map: AtlasMap | null = null;
	private mapImage: string | null = null;
	private state: 'loading' | 'ready' | 'error' = 'loading';
	settled: Promise<void>;
	private dossier: Awaited<ReturnType<typeof loadDossier>> | null = null;
	private error = '';

	constructor(private opts: PrintOptions) {
		opts.root.hidden = false;
		opts.root.dataset.state = 'loading';
		this.render();
		this.settled = loadDossier(opts.api, opts.id).then(async (d) => {
			this.dossier = d;
			this.render();
			await this.drawMap();
			this.state = 'ready';
			this.render();
		}, (e) => {
			this.state = 'error';
			this.error = e instanceof Error ? e.message : String(e);
			this.render();
		});
	}

	private async drawMap(): Promise<void> {
		const d = this.dossier;
		const container = this.opts.root.querySelector<HTMLElement>('.print-map-live');
		if (!d?.feature.geometry || !container) return;
		const map = new AtlasMap({
			container, api: this.opts.api, basemaps: this.opts.basemaps, basemap: this.opts.basemaps?.[0]?.id ?? 'none', view: null,
			colorBy: 'availability', constraints: false, filter: '', interactive: false,
		});
		this.map = map;
		await map.basemapSettled();
		map.select(d.feature.geometry);
		map.showGeometry(d.feature.geometry, {force: true, animate: false, maxZoom: 15, padding: 40});
		await new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, 15000);
			map.map.once('idle', () => {
				clearTimeout(timer);
				resolve();
			});
		});
		try {
			this.mapImage = map.map.getCanvas().toDataURL('image/png');
		} catch {
			this.mapImage = null;
		}
		map.remove();
		this.map = null;
	}

	render(): void {
		const root = this.opts.root;
		root.dataset.state = this.state;
		const d = this.dossier;
		const toolbar = h('div', {class: 'print-toolbar'},
			h('button', {type: 'button', class: 'button', onclick: () => this.opts.onBack()}, t('print.back')),
			h('button', {type: 'button', class: 'button button-primary', onclick: () => window.print(), disabled: this.state !== 'ready'}, t('print.print')),
			h('button', {type: 'button', class: 'button button-quiet', lang: t('lang.switch') === 'English' ? 'en' : 'de', 'aria-label': t('lang.switch.label'), onclick: () => this.opts.onLang()}, t('lang.switch')));
		if (!d) {
			replace(root, toolbar, h('h1', {}, this.state === 'error' ? t('sheet.notFound') : t('sheet.loading')),
				this.error && h('p', {class: 'error'}, this.error));
			return;
		}
		const p = d.feature.properties;
		const live = root.querySelector('.print-map-live');
		const mapBox = this.mapImage
			? h('img', {class: 'print-map', src: this.mapImage, alt: `${t('map.label')}: ${p.name}`})
			: live ?? h('div', {class: 'print-map print-map-live', 'aria-hidden': 'true'});
		document.title = `${t('print.title')}: ${p.name} – landatlas`;
		replace(root,
			toolbar,
			h('article', {class: 'expose'},
				h('header', {class: 'expose-head'},
					h('p', {class: 'expose-kicker'}, `landatlas · ${t('print.title')}`),
					h('h1', {'data-field': 'name'}, p.name),
					h('p', {class: 'expose-place'}, [p.municipality_name, p.district_name].filter(Boolean).join(', '))),
				h('p', {class: 'expose-demo'}, t('print.demo')),
				h('div', {class: 'expose-top'}, mapBox, h('section', {class: 'sheet-section sheet-key'}, dl(keyFacts(p)))),
				h('div', {class: 'expose-sections'}, factSections(d, false)),
				h('footer', {class: 'expose-foot'},
					h('p', {}, t('print.generated', {date: date(new Date().toISOString()), url: this.opts.shareUrl})),
					h('p', {}, '© GeoBasis-DE / BKG · ', t('attribution.demo')))));
	}

	destroy(): void {
		this.map?.remove();
		this.opts.root.hidden = true;
		replace(this.opts.root);
	}
}
