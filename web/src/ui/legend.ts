// The legend and layer switches over the map: what the parcel colours mean (and by which attribute
// they are coloured), the transport symbols, sites, boundaries and the constraint layer.
import {codes, fieldCodes, fieldLabel} from '../catalog.ts';
import {h, replace} from '../dom.ts';
import {term} from '../glossary.ts';
import {lang, t} from '../i18n.ts';
import {constraintColors, infrastructureColors, infrastructureSymbols, parcelColors} from '../map/colors.ts';
import {colorBys, type ColorBy} from '../state.ts';

export interface LegendEvents {
	onColorBy: (by: ColorBy) => void;
	onConstraints: (on: boolean) => void;
}

export class Legend {
	private details: HTMLDetailsElement;
	/** internal adds the key of internal parcels (hatched), for signed-in readers. */
	internal = false;
	/** sitesFiltered says the map draws only the sites holding a matching parcel. */
	sitesFiltered = false;

	constructor(root: HTMLElement, private ev: LegendEvents) {
		this.details = h('details', {class: 'legend', open: window.matchMedia('(min-width: 48rem) and (min-height: 40rem)').matches});
		root.append(this.details);
	}

	/** collapse folds the legend away, e.g. when the fact sheet leaves the map narrow. */
	collapse(): void {
		this.details.open = false;
	}

	render(colorBy: ColorBy, constraints: boolean): void {
		const select = h('select', {id: 'color-by'}, colorBys.map((c) => h('option', {value: c, selected: c === colorBy}, fieldLabel(c))));
		select.addEventListener('change', () => this.ev.onColorBy(select.value as ColorBy));
		const box = h('input', {type: 'checkbox', id: 'layer-constraints', checked: constraints});
		box.addEventListener('change', () => this.ev.onConstraints(box.checked));
		const item = (color: string, text: string, shape = 'square') =>
			h('li', {}, h('span', {class: `key key-${shape}`, style: `--key:${color}`, 'aria-hidden': 'true'}), text);
		const glyph = (kind: string, text: string) =>
			h('li', {}, h('span', {class: 'key key-glyph', style: `color:${infrastructureColors[kind]}`, 'aria-hidden': 'true'}, infrastructureSymbols[kind]), text);
		replace(this.details,
			h('summary', {}, t('legend.title')),
			h('div', {class: 'field'}, h('label', {for: 'color-by'}, t('legend.colorBy')), select),
			h('ul', {class: 'legend-list legend-cols', 'data-legend': colorBy},
				fieldCodes(colorBy).map((c) => item(parcelColors[colorBy][c.value], c[lang()])),
				h('li', {}, h('span', {class: 'key key-cluster', style: '--key:#bdbdbd', 'aria-hidden': 'true'}), term('cluster', t('legend.cluster'))),
				this.internal && item('#5b2a86', t('legend.internal'), 'internal')),
			h('ul', {class: 'legend-list legend-cols'},
				codes('infrastructure_kind').map((k) => glyph(k.value, k[lang()])),
				h('li', {'data-legend': 'sites'},
					h('span', {class: 'key key-site', 'aria-hidden': 'true'}), h('span', {class: 'key key-dashed', style: '--key:#2b2b2b', 'aria-hidden': 'true'}),
					this.sitesFiltered ? `${t('legend.sites.circle')}; ${t('legend.sites.filtered')}` : t('legend.sites.circle')),
				item('#4a4a4a', t('legend.boundaries'), 'line')),
			h('label', {class: 'check'}, box, h('span', {}, t('legend.constraints'))),
			constraints && h('ul', {class: 'legend-list legend-cols'},
				item(constraintColors.severe, t('legend.severe'), 'hatched'),
				item(constraintColors.minor, t('legend.minor'), 'hatched')));
	}
}
