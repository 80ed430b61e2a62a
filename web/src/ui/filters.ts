// The filter form. It is drawn from a Filters value (on start, language switch, reset, back/forward)
// and read back into one on every user change; the app turns that into the one CQL2 filter.
import {dateInput} from './dateinput.ts';
import type {Api} from '../api.ts';
import {codes, flags, type Code} from '../catalog.ts';
import {debounce, h, replace} from '../dom.ts';
import {buildingRights, defaultFilters, type Filters} from '../filters.ts';
import {lang, locale, t, type MessageKey} from '../i18n.ts';

export class FilterPanel {
	private form: HTMLFormElement;
	private filters: Filters = defaultFilters();
	private municipalities = new Map<string, {ags: string; name: string}[]>();

	constructor(root: HTMLElement, private api: Api, private onChange: (f: Filters) => void) {
		this.form = h('form', {class: 'filters', 'aria-labelledby': 'filters-title', novalidate: true});
		this.form.addEventListener('submit', (e) => e.preventDefault());
		const changed = () => this.emit();
		const typed = debounce(changed, 450);
		this.form.addEventListener('change', changed);
		this.form.addEventListener('input', (e) => {
			const el = e.target as HTMLInputElement;
			if (el.type === 'number' || el.type === 'text' || el.type === 'search') typed();
		});
		root.append(this.form);
	}

	/** render draws the form for filters in the current language. */
	render(f: Filters): void {
		this.filters = structuredClone(f);
		const id = (name: string) => `f-${name}`;
		const num = (name: string, labelKey: MessageKey, value: number | null, attrs: Record<string, string | number> = {}) =>
			h('div', {class: 'field'},
				h('label', {for: id(name)}, t(labelKey)),
				h('input', {id: id(name), name, type: 'number', inputmode: 'decimal', min: 0, step: 'any', value: value ?? '', ...attrs}));
		const checks = (name: string, legendKey: MessageKey, codes: Code[], selected: string[], extra?: Node) =>
			h('fieldset', {class: 'checks', 'data-filter': name},
				h('legend', {}, t(legendKey)),
				extra,
				codes.map((c) => h('label', {class: 'check'},
					h('input', {type: 'checkbox', name, value: c.value, checked: selected.includes(c.value)}),
					h('span', {}, c[lang()]))));

		const districtSelect = h('select', {id: id('district'), name: 'district'},
			h('option', {value: ''}, t('filters.any')),
			codes('district').map((d) => h('option', {value: d.value, selected: d.value === f.district}, d[lang()])));
		const munSelect = h('select', {id: id('municipality'), name: 'municipality', disabled: !f.district && !f.municipality},
			h('option', {value: ''}, t('filters.any')));
		if (f.municipality) munSelect.append(h('option', {value: f.municipality, selected: true}, f.municipality));
		districtSelect.addEventListener('change', () => {
			munSelect.value = '';
			void this.fillMunicipalities(munSelect, districtSelect.value, '');
		});
		const district = f.district || f.municipality.slice(0, 5);
		if (district) {
			districtSelect.value = district;
			void this.fillMunicipalities(munSelect, district, f.municipality);
		}

		const rights = h('label', {class: 'check check-strong'},
			h('input', {type: 'checkbox', name: 'rights', checked: sameSet(f.planning, buildingRights)}),
			h('span', {}, t('filters.planning.rights')));
		rights.querySelector('input')!.addEventListener('change', (e) => {
			const on = (e.target as HTMLInputElement).checked;
			for (const box of this.form.querySelectorAll<HTMLInputElement>('input[name=planning]')) box.checked = on && buildingRights.includes(box.value);
		});

		const servicedValue = f.serviced.join(',') === 'full' ? 'full' : f.serviced.length ? 'some' : '';
		const distance = (name: string, labelKey: MessageKey, value: number | null) =>
			h('div', {class: 'field field-inline field-distance'},
				h('label', {for: id(name)}, t(labelKey)),
				h('input', {id: id(name), name, type: 'number', inputmode: 'decimal', min: 0, step: 'any', value: value ?? ''}));
		const more = h('details', {class: 'more', open: hasMore(f)},
			h('summary', {}, t('filters.more')),
			checks('status', 'filters.status', codes('parcel_status'), f.status),
			h('div', {class: 'field field-inline'},
				h('label', {for: id('availby')}, t('filters.availableBy')),
				dateInput({id: id('availby'), name: 'availby', value: f.availableBy})),
			h('fieldset', {class: 'radios'},
				h('legend', {}, t('filters.serviced')),
				(['', 'full', 'some'] as const).map((v) => h('label', {class: 'check'},
					h('input', {type: 'radio', name: 'serviced', value: v, checked: servicedValue === v}),
					h('span', {}, t(v === '' ? 'filters.serviced.any' : v === 'full' ? 'filters.serviced.full' : 'filters.serviced.some'))))),
			h('fieldset', {class: 'checks'},
				h('legend', {}, t('filters.utilities')),
				flags().map((u) => h('label', {class: 'check', title: u.description[lang()]},
					h('input', {type: 'checkbox', name: 'utility', value: u.name, checked: f.flags.includes(u.name)}),
					h('span', {}, u.label[lang()])))),
			h('div', {class: 'row'},
				num('power', 'filters.power', f.minPowerMw),
				num('broadband', 'filters.broadband', f.minBroadbandMbps, {step: 1})),
			h('div', {class: 'field'},
				h('label', {for: id('name')}, t('filters.name')),
				h('input', {id: id('name'), name: 'name', type: 'search', value: f.name, autocomplete: 'off'})));

		replace(this.form,
			h('div', {class: 'filters-head'},
				h('h2', {id: 'filters-title'}, t('filters.title')),
				h('button', {type: 'button', class: 'link', onclick: () => this.reset()}, t('filters.reset'))),
			h('div', {class: 'row'},
				h('div', {class: 'field'}, h('label', {for: id('district')}, t('filters.district')), districtSelect),
				h('div', {class: 'field'}, h('label', {for: id('municipality')}, t('filters.municipality')), munSelect)),
			h('fieldset', {class: 'row'},
				h('legend', {}, t('filters.area')),
				num('minha', 'filters.area.min', f.minHa),
				num('maxha', 'filters.area.max', f.maxHa)),
			checks('use', 'filters.use', codes('use_type'), f.use),
			checks('planning', 'filters.planning', codes('planning_status'), f.planning, rights),
			checks('availability', 'filters.availability', codes('availability'), f.availability),
			h('fieldset', {class: 'distances'},
				h('legend', {}, t('filters.distance')),
				distance('motorway', 'filters.dist.motorway', f.maxMotorwayKm),
				distance('rail', 'filters.dist.rail', f.maxRailKm),
				distance('airport', 'filters.dist.airport', f.maxAirportKm)),
			more);
	}

	private async fillMunicipalities(select: HTMLSelectElement, district: string, selected: string): Promise<void> {
		select.disabled = !district;
		if (!district) {
			replace(select, h('option', {value: ''}, t('filters.any')));
			return;
		}
		let list = this.municipalities.get(district);
		if (!list) {
			try {
				const fc = await this.api.items<{ags: string; name: string}>('municipalities', {
					filter: `district_ags = '${district}'`, limit: 500, properties: ['ags', 'name'],
				});
				list = fc.features.map((f) => ({ags: String(f.properties.ags ?? f.id), name: String(f.properties.name)}));
				list.sort((a, b) => a.name.localeCompare(b.name, locale()));
				this.municipalities.set(district, list);
			} catch {
				list = [];
			}
		}
		replace(select,
			h('option', {value: ''}, t('filters.any')),
			list.map((m) => h('option', {value: m.ags, selected: m.ags === selected}, m.name)));
	}

	/** read turns the form into Filters. */
	read(): Filters {
		const fd = new FormData(this.form);
		const numOf = (name: string): number | null => {
			const v = String(fd.get(name) ?? '').trim().replace(',', '.');
			if (!v) return null;
			const n = Number(v);
			return Number.isFinite(n) && n >= 0 ? n : null;
		};
		const serviced = String(fd.get('serviced') ?? '');
		const district = String(fd.get('district') ?? '');
		const municipality = String(fd.get('municipality') ?? '');
		return {
			district,
			municipality: municipality.startsWith(district) ? municipality : '',
			minHa: numOf('minha'),
			maxHa: numOf('maxha'),
			use: fd.getAll('use').map(String),
			planning: fd.getAll('planning').map(String),
			availability: fd.getAll('availability').map(String),
			availableBy: String(fd.get('availby') ?? ''),
			status: fd.getAll('status').map(String),
			maxMotorwayKm: numOf('motorway'),
			maxRailKm: numOf('rail'),
			maxAirportKm: numOf('airport'),
			serviced: serviced === 'full' ? ['full'] : serviced === 'some' ? ['full', 'partial'] : [],
			flags: fd.getAll('utility').map(String),
			minPowerMw: numOf('power'),
			minBroadbandMbps: numOf('broadband'),
			name: String(fd.get('name') ?? '').trim(),
		};
	}

	private emit(): void {
		const f = this.read();
		const rights = this.form.querySelector<HTMLInputElement>('input[name=rights]');
		if (rights) rights.checked = sameSet(f.planning, buildingRights);
		if (JSON.stringify(f) === JSON.stringify(this.filters)) return;
		this.filters = f;
		this.onChange(f);
	}

	private reset(): void {
		this.render(defaultFilters());
		this.onChange(defaultFilters());
		this.form.querySelector<HTMLElement>('select')?.focus();
	}
}

function sameSet(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}

function hasMore(f: Filters): boolean {
	return f.status.join(',') !== defaultFilters().status.join(',') || f.availableBy !== '' || f.serviced.length > 0 || f.flags.length > 0 || f.minPowerMw !== null || f.minBroadbandMbps !== null || f.name !== '';
}
