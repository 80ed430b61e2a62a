// The monitoring on the study dashboard: the report for a reference date beside the previous one
// (its own address, /monitoring/report, to print or bookmark; PDF and XLSX downloads), and the
// comparison of two dates (GET /api/v1/study/compare): the key indicators at both with the
// change, and each kind of changed parcels clickable to the map.
import type {Api} from '../api.ts';
import {h} from '../dom.ts';
import {date, ha, lang, num, t} from '../i18n.ts';
import {today} from '../time.ts';

interface IndicatorChange {
	key: string;
	label: {de: string; en: string};
	unit: string;
	from: number | null;
	to: number | null;
	change: number | null;
}

/** Comparison is the compare API's answer. */
export interface Comparison {
	from: string;
	to: string;
	units: {district_ags?: string; name: string; indicators: IndicatorChange[]}[];
	changes: {kind: string; label: {de: string; en: string}; parcels: number; net_ha: number; ids: number[]}[];
	restrictions: {de: string; en: string};
}

const key = ['reserve_ha', 'marketable_ha', 'take_up_mean_ha', 'reach_years', 'large_sites.20', 'balance_ha', 'completeness', 'fresh_share'];

function value(unit: string, v: number | null, signed = false): string {
	if (v === null) return '–';
	// A change too small to show in its unit's decimals is no change, not "-0".
	const shown = unit === 'share' ? Math.round(v * 1000) : unit === 'count' ? Math.round(v) : Math.round(v * 10);
	if (signed && shown === 0) return '±0';
	const sign = signed && v > 0 ? '+' : '';
	switch (unit) {
	case 'ha': return `${sign}${ha(v)} ha`;
	case 'count': return sign + num(v, 0);
	case 'share': return signed ? `${sign}${num(v * 100, 1)} ${t('monitor.pp')}` : `${num(v * 100, 1)} %`;
	}
	return `${sign}${num(v, 1)} ${t('monitor.years')}`;
}

/** MonitorOptions are what the section needs from the dashboard. */
export interface MonitorOptions {
	api: Api;
	result: Comparison | Error | null;
	from: string;
	to: string;
	onCompare: (from: string, to: string) => void;
	/** figure makes a button that shows parcels on the map (a dashboard figure). */
	figure: (key: string, label: string, filter: string, asOf: string, content: string) => HTMLElement;
	onDownload: (href: string, name: string) => void;
}

/** monitorSection draws the monitoring report's links and the comparison. */
export function monitorSection(o: MonitorOptions): HTMLElement {
	const to = h('input', {id: 'monitor-to', type: 'date', value: o.to, max: today()});
	const from = h('input', {id: 'monitor-from', type: 'date', value: o.from, max: today()});
	const params = () => new URLSearchParams({as_of: to.value, previous: from.value}).toString();
	const form = h('form', {class: 'work-form study-controls', id: 'monitor-form'},
		h('div', {class: 'field'}, h('label', {for: 'monitor-to'}, t('monitor.to')), to),
		h('div', {class: 'field'}, h('label', {for: 'monitor-from'}, t('monitor.from')), from),
		h('div', {class: 'button-row'},
			h('button', {type: 'submit', class: 'button button-primary', id: 'monitor-compare'}, t('monitor.compare')),
			h('button', {type: 'button', class: 'button', id: 'monitor-report', onclick: () => window.open(`/monitoring/report?${params()}`, '_blank')}, t('monitor.report')),
			h('button', {type: 'button', class: 'button', id: 'monitor-pdf', onclick: () => o.onDownload(`/api/v1/study/monitoring/report.pdf?${params()}`, `monitoring-${to.value}.pdf`)}, 'PDF'),
			h('button', {type: 'button', class: 'button', id: 'monitor-xlsx', onclick: () => o.onDownload(`/api/v1/study/monitoring/indicators.xlsx?${params()}`, `monitoring-${to.value}.xlsx`)}, 'XLSX'),
			h('button', {type: 'button', class: 'button', id: 'monitor-csv', onclick: () => o.onDownload(`/api/v1/study/monitoring/indicators.csv?${params()}${lang() === 'de' ? '&format=csv-excel' : ''}`, `monitoring-${to.value}.csv`)}, 'CSV')));
	form.addEventListener('submit', (e) => {
		e.preventDefault();
		if (from.value && to.value) o.onCompare(from.value, to.value);
	});
	const section = h('section', {class: 'study-section', id: 'monitor', 'aria-labelledby': 'monitor-title'},
		h('h3', {id: 'monitor-title'}, t('monitor.title')), h('p', {class: 'hint'}, t('monitor.hint')), form);
	const r = o.result;
	if (r instanceof Error) {
		section.append(h('p', {class: 'error', role: 'alert'}, r.message));
	} else if (r) {
		const region = r.units[0];
		section.append(
			h('table', {class: 'figure-table', id: 'compare-table'},
				h('caption', {}, t('monitor.caption', {from: date(o.from), to: date(o.to)})),
				h('thead', {}, h('tr', {}, [t('monitor.indicator'), date(o.from), date(o.to), t('monitor.change')].map((c, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, c)))),
				h('tbody', {}, region.indicators.filter((i) => key.includes(i.key)).map((i) => h('tr', {'data-indicator': i.key, 'data-change': i.change ?? ''},
					h('th', {scope: 'row'}, i.label[lang()]), h('td', {class: 'num'}, value(i.unit, i.from)), h('td', {class: 'num'}, value(i.unit, i.to)),
					h('td', {class: 'num'}, value(i.unit, i.change, true)))))),
			h('ul', {class: 'compare-changes', id: 'compare-changes'}, r.changes.map((c) => h('li', {'data-kind': c.kind, 'data-parcels': c.parcels},
				c.parcels > 0
					? o.figure(`change:${c.kind}`, `${c.label[lang()]} (${date(o.from)}–${date(o.to)})`, `id IN (${c.ids.slice(0, 2000).join(', ')})`, c.kind === 'ended' ? o.from : o.to,
						`${c.label[lang()]}: ${num(c.parcels, 0)} · ${num(c.net_ha, 1)} ha`)
					: `${c.label[lang()]}: 0`))),
			h('p', {class: 'note'}, r.restrictions[lang()]));
	}
	return section;
}
