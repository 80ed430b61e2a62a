// The base map switch over the map (map / grey / aerial / none) and its discreet status line:
// loading, or "basemap.de unreachable – our own layers" when the map fell back.
import type * as maplibregl from 'maplibre-gl';
import {h, replace} from '../dom.ts';
import {t, type MessageKey} from '../i18n.ts';
import type {BasemapChoice, BasemapStatus} from '../map/basemap.ts';
import type {AtlasMap} from '../map/map.ts';

const storageKey = 'landatlas.basemap';
const choices: BasemapChoice[] = ['map', 'grey', 'aerial', 'none'];

/** storedBasemap is the reader's last choice, if it is still offered; else the first offered. */
export function storedBasemap(offered: string[]): BasemapChoice {
	try {
		const v = localStorage.getItem(storageKey) as BasemapChoice | null;
		if (v === 'none' || (v && offered.includes(v))) return v;
	} catch {
		// storage may be off
	}
	return (offered[0] as BasemapChoice | undefined) ?? 'none';
}

/** BasemapSwitch is a MapLibre control: radio buttons for the offered base maps and a status line. */
export class BasemapSwitch implements maplibregl.IControl {
	private root = h('div', {class: 'maplibregl-ctrl maplibregl-ctrl-group basemap-switch', id: 'basemap-switch'});
	private details = h('details', {});
	private status: BasemapStatus = 'own';

	constructor(private atlas: AtlasMap) {}

	onAdd(): HTMLElement {
		this.render();
		return this.root;
	}

	onRemove(): void {
		this.root.remove();
	}

	/** update shows what the map draws now, leaving the radio buttons (and the focus) alone. */
	update(status: BasemapStatus): void {
		this.status = status;
		const note = this.root.querySelector<HTMLElement>('#basemap-note');
		const current = this.root.querySelector<HTMLElement>('.basemap-current');
		if (!note || !current) return this.render();
		note.textContent = this.note();
		note.dataset.status = status;
		const choice = this.atlas.basemap.choice;
		current.textContent = t(`basemap.${choice}` as MessageKey);
		for (const input of this.root.querySelectorAll<HTMLInputElement>('input[name=basemap]')) input.checked = input.value === choice;
		this.root.dataset.status = status;
	}

	private note(): string {
		switch (this.status) {
			case 'fallback': return t('basemap.fallback');
			case 'loading': return t('basemap.loading');
			case 'own': return t('basemap.own');
			default: return t('basemap.source');
		}
	}

	render(): void {
		const current = this.atlas.basemap.choice;
		const offered = choices.filter((c) => c === 'none' || this.atlas.basemap.entry(c));
		replace(this.details,
			h('summary', {}, `${t('basemap.title')}: `, h('span', {class: 'basemap-current'}, t(`basemap.${current}` as MessageKey))),
			h('fieldset', {},
				h('legend', {}, t('basemap.title')),
				offered.map((c) => {
					const input = h('input', {type: 'radio', name: 'basemap', value: c, checked: c === current, id: `basemap-${c}`});
					input.addEventListener('change', () => {
						try {
							localStorage.setItem(storageKey, c);
						} catch {
							// storage may be off; the choice holds for this page
						}
						void this.atlas.basemap.show(c);
					});
					return h('label', {class: 'check', for: `basemap-${c}`}, input, h('span', {}, t(`basemap.${c}` as MessageKey)));
				})));
		replace(this.root, this.details,
			h('p', {class: 'basemap-note', id: 'basemap-note', 'data-status': this.status, role: 'status'}, this.note()));
		this.root.dataset.status = this.status;
	}
}

/** attachBasemapSwitch adds the switch to the map when the server offers external base maps. */
export function attachBasemapSwitch(atlas: AtlasMap): BasemapSwitch | null {
	if (!atlas.basemap.entry('map') && !atlas.basemap.entry('grey') && !atlas.basemap.entry('aerial')) return null;
	const sw = new BasemapSwitch(atlas);
	atlas.map.addControl(sw, 'top-right');
	return sw;
}
