// The printable exposé of a parcel (/parcel/{id}/print): a locator map of the region, a detail map
// with scale bar and north arrow, the fact sheet's sections (each fact once), the sender, the date
// and the data's "Stand", and a QR code to the online fact sheet. The detail map is turned into an
// image once drawn, since browsers print a WebGL canvas unreliably.
import QRCode from 'qrcode';
import type {Api, FeatureCollection} from './api.ts';
import {formatDate} from './dates.ts';
import {h, replace} from './dom.ts';
import {labelPoint} from './geo.ts';
import {lang, num, t} from './i18n.ts';
import type {BasemapEntry} from './map/basemap.ts';
import {AtlasMap} from './map/map.ts';
import {email, factSections, loadDossier} from './parcel.ts';
import {locator, metresPerPixel, niceLength} from './sketch.ts';

export interface PrintOptions {
	root: HTMLElement;
	api: Api;
	id: string;
	basemaps?: BasemapEntry[];
	shareUrl: string;
	onBack: () => void;
	onLang: () => void;
}

/** The sender when the district names no contact of its own: the region's project group. */
const regionSender = 'Europäische Metropolregion Mitteldeutschland · Projektgruppe Industrie- und Gewerbeflächen';

/** PrintPage draws the exposé; render() redraws it in the current language. */
export class PrintPage {
	private map: AtlasMap | null = null;
	private mapImage: string | null = null;
	private scale: {px: number; label: string} | null = null;
	private qr = '';
	private districts: FeatureCollection | null = null;
	private state: 'loading' | 'ready' | 'error' = 'loading';
	settled: Promise<void>;
	private dossier: Awaited<ReturnType<typeof loadDossier>> | null = null;
	private error = '';

	constructor(private opts: PrintOptions) {
		opts.root.hidden = false;
		opts.root.dataset.state = 'loading';
		this.render();
		this.settled = Promise.all([
			loadDossier(opts.api, opts.id),
			opts.api.districts().catch(() => null),
			QRCode.toString(opts.shareUrl, {type: 'svg', margin: 0, errorCorrectionLevel: 'M'}).catch(() => ''),
		]).then(async ([d, districts, qr]) => {
			this.dossier = d;
			this.districts = districts;
			this.qr = qr;
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
		const mpp = metresPerPixel(map.map.getZoom(), map.map.getCenter().lat);
		const len = niceLength(mpp * container.clientWidth * 0.25);
		this.scale = {px: len / mpp, label: len >= 1000 ? `${num(len / 1000, 1)} km` : `${num(len, 0)} m`};
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
			h('button', {type: 'button', class: 'button button-quiet', lang: lang() === 'de' ? 'en' : 'de', 'aria-label': t('lang.switch.label'), onclick: () => this.opts.onLang()}, t('lang.switch')));
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
		const figure = h('figure', {class: 'print-map-figure'}, mapBox,
			this.scale && h('div', {class: 'map-scale', 'data-scale': this.scale.label}, h('span', {class: 'map-scale-bar', style: `width:${this.scale.px.toFixed(0)}px`}), this.scale.label),
			h('div', {class: 'map-north', 'aria-label': t('expose.north'), role: 'img'}, h('span', {'aria-hidden': 'true'}, '▲'), 'N'));
		const point = d.feature.geometry && labelPoint(d.feature.geometry);
		const today = formatDate(new Date().toISOString().slice(0, 10), lang());
		const qr = this.qr ? h('div', {class: 'expose-qr', role: 'img', 'aria-label': t('expose.qr')}) : null;
		if (qr) qr.innerHTML = this.qr; // SVG made by the QR library from our own URL, not from user input
		document.title = `${t('print.title')}: ${p.name} – landatlas`;
		replace(root,
			toolbar,
			h('article', {class: 'expose'},
				h('header', {class: 'expose-head'},
					h('div', {},
						h('p', {class: 'expose-kicker'}, `landatlas · ${t('print.title')}`),
						h('h1', {'data-field': 'name'}, p.name),
						h('p', {class: 'expose-place'}, [p.municipality_name, p.district_name].filter(Boolean).join(', '))),
					h('div', {class: 'expose-meta'},
						h('p', {'data-field': 'expose-date'}, t('expose.date', {date: today})),
						h('p', {'data-field': 'expose-stand'}, t('expose.stand', {date: p.last_confirmed ? formatDate(p.last_confirmed, lang()) : t('sheet.unknown')})))),
				h('p', {class: 'expose-demo'}, t('print.demo')),
				h('div', {class: 'expose-top'},
					figure,
					h('div', {class: 'expose-side'},
						this.districts && locator(this.districts as GeoJSON.FeatureCollection, point, {width: 220, height: 170, label: t('expose.locator', {name: p.name})}),
						h('p', {class: 'muted'}, t('expose.locator.caption')))),
				h('div', {class: 'expose-sections'}, factSections(d, false)),
				h('footer', {class: 'expose-foot'},
					h('div', {class: 'expose-sender', 'data-field': 'sender'},
						h('h2', {}, t('expose.sender')),
						h('p', {}, p.contact_name || p.district_name || regionSender),
						p.contact_name && p.district_name ? h('p', {}, p.district_name) : null,
						p.contact_email ? h('p', {}, email(p.contact_email)) : null,
						p.contact_phone ? h('p', {}, p.contact_phone) : null,
						h('p', {class: 'muted'}, regionSender)),
					h('div', {class: 'expose-online'},
						qr,
						h('p', {}, t('expose.online')),
						h('p', {class: 'expose-url'}, h('a', {href: this.opts.shareUrl}, this.opts.shareUrl))),
					h('p', {class: 'expose-credits'}, t('print.generated', {date: today, url: ''}).replace(/ · $/, ''), ' · © GeoBasis-DE / BKG · ', t('attribution.demo')))));
	}

	destroy(): void {
		this.map?.remove();
		this.opts.root.hidden = true;
		replace(this.opts.root);
	}
}
