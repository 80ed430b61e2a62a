// The demand from enquiries beside the study's trend forecast, for the study dashboard's balance
// (planners and admins only; the public sees no enquiry data): the mean net area enquiries ask
// for each year, carried to the target year, against the trend demand, with the unmet enquiries
// and the parcels asked about one click away.
import {h, replace} from '../dom.ts';
import {ha, num, t} from '../i18n.ts';
import type {WorkContext} from './context.ts';

interface Year {
	year: number;
	enquiries: number;
	ha: number;
	parcel_ids: number[];
	unmet: {enquiries: number; ha: number; list: {id: number; reference: string; ha: number; top_reason: string}[]};
}

/** BalanceLike is what the section needs of the study's balance. */
export interface BalanceLike {
	target_year: number;
	years: number;
	total: {trend_demand_ha: number};
}

/** enquiryDemand returns the section (filled when the statistics arrive), or null for readers who may not see enquiries. */
export function enquiryDemand(ctx: WorkContext, b: BalanceLike): HTMLElement | null {
	const role = ctx.session()?.role;
	if (role !== 'planner' && role !== 'admin') return null;
	const section = h('section', {class: 'study-section enquiry-demand', id: 'enquiry-demand'}, h('h4', {}, t('enq.stats.demand')));
	void ctx.api.json<{years: Year[]}>('/api/v1/enquiries/stats').then(({years}) => {
		if (years.length === 0) {
			section.append(h('p', {class: 'muted'}, t('enq.stats.none')));
			return;
		}
		const mean = years.reduce((s, y) => s + y.ha, 0) / years.length;
		const last = years[years.length - 1];
		const go = (id: number) => (e: Event) => {
			e.preventDefault();
			ctx.go({name: 'enquiries', id: String(id)});
		};
		replace(section, h('h4', {}, t('enq.stats.demand')),
			h('p', {'data-enquiry-demand-ha': mean * b.years}, t('enq.stats.demand.text', {ha: ha(mean), year: b.target_year, total: ha(mean * b.years), trend: ha(b.total.trend_demand_ha)})),
			h('p', {}, t('enq.stats.year', {year: last.year, n: num(last.enquiries, 0), ha: ha(last.ha)}), ' · ',
				t('enq.stats.unmet', {n: num(last.unmet.enquiries, 0), ha: ha(last.unmet.ha)})),
			last.unmet.list.length ? h('ul', {}, last.unmet.list.map((u) => h('li', {},
				h('a', {href: ctx.href({name: 'enquiries', id: String(u.id)}), onclick: go(u.id)}, u.reference), ` · ${ha(u.ha)} ha · ${u.top_reason}`))) : null,
			last.parcel_ids.length ? h('button', {type: 'button', class: 'button', id: 'enquiry-demand-parcels',
				onclick: () => ctx.openOnMap(`id IN (${last.parcel_ids.join(',')})`, t('nav.enquiries') + ` ${last.year}`, '')}, t('enq.stats.parcels', {n: num(last.parcel_ids.length, 0)})) : null);
	}, () => section.remove());
	return section;
}
