// The map's time slider: which date the map, the list and the count show. Today is the live state
// from the tiles; any earlier date is drawn from the parcels' history (see AtlasMap.showPast). The
// slider moves by month end (its last step is today); the date field takes any day.
import {h, replace} from '../dom.ts';
import {dateInput} from './dateinput.ts';
import {date, t} from '../i18n.ts';
import {addDays, today} from '../time.ts';

/** historyStart is where the slider begins; the date field accepts earlier dates too. */
const historyStart = '2015-01-01';

export interface TimeSliderEvents {
	onChange: (asOf: string) => void;
}

/** monthEnds lists the last day of each month from historyStart up to today, then today. */
function steps(now: string): string[] {
	const out: string[] = [];
	let y = Number(historyStart.slice(0, 4));
	let m = Number(historyStart.slice(5, 7));
	for (;;) {
		const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`;
		const end = addDays(next, -1);
		if (end >= now) break;
		out.push(end);
		[y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
	}
	out.push(now);
	return out;
}

export class TimeSlider {
	private el: HTMLElement;
	private asOf = '';
	private loading = false;
	private count = '';

	constructor(root: HTMLElement, private ev: TimeSliderEvents) {
		this.el = h('div', {class: 'timebar', id: 'timebar'});
		root.append(this.el);
	}

	/** render draws the slider for a date ('' is today), whether the past is loading, and what it shows. */
	render(asOf: string, loading = this.loading, count = this.count): void {
		this.asOf = asOf;
		this.loading = loading;
		this.count = count;
		const now = today();
		const list = steps(now);
		const current = asOf || now;
		let index = list.findIndex((d) => d >= current);
		if (index < 0) index = list.length - 1;
		const out = h('output', {id: 'asof-output', for: 'asof-range', class: 'timebar-value'}, asOf ? date(asOf) : t('time.today'));
		const range = h('input', {
			id: 'asof-range', type: 'range', min: 0, max: list.length - 1, step: 1, value: index,
			'aria-label': t('time.slider'), 'aria-valuetext': asOf ? date(asOf) : t('time.today'),
		});
		range.addEventListener('input', () => {
			const d = list[Number(range.value)];
			out.textContent = d === now ? t('time.today') : date(d);
			range.setAttribute('aria-valuetext', out.textContent);
		});
		range.addEventListener('change', () => {
			const d = list[Number(range.value)];
			this.ev.onChange(d === now ? '' : d);
		});
		const field = dateInput({id: 'asof-date', value: asOf, min: '1990-01-01', max: now, label: t('time.date'), onChange: (v) => {
			if (!v || v >= now) this.ev.onChange('');
			else this.ev.onChange(v);
		}});
		replace(this.el,
			h('div', {class: 'timebar-row'},
				h('label', {for: 'asof-range', class: 'timebar-title'}, t('time.title')),
				out,
				asOf ? h('button', {type: 'button', class: 'link', id: 'asof-today', onclick: () => this.ev.onChange('')}, t('time.back')) : null),
			h('div', {class: 'timebar-row'}, range, field),
			asOf ? h('p', {class: 'timebar-note', role: 'status', 'data-state': loading ? 'loading' : 'ready'},
				loading ? t('time.loading') : t('time.note', {date: date(asOf), count})) : null);
		this.el.classList.toggle('timebar-past', Boolean(asOf));
	}

	/** rerender draws again in the current language. */
	rerender(): void {
		this.render(this.asOf);
	}
}
