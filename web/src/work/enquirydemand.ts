// The demand from enquiries beside the study's trend forecast, for the study dashboard's balance
// (planners and admins only; the public sees no enquiry data): the mean net area enquiries ask
// for each year, carried to the target year, against the trend demand, with the unmet enquiries
// and the parcels asked about one click away. The dashboard loads it with its other figures.
import {h} from '../dom.ts';
import {ha, num, t} from '../i18n.ts';
import type {WorkContext} from './context.ts';

interface Year {
	year: number;
	enquiries: number;
	ha: number;
	parcel_ids: number[];
	unmet: {enquiries: number; ha: number; list: {id: number; reference: string; ha: number; top_reason: string}[]};
}

/** EnquiryYears are the demand statistics per year, or null where the reader may not see them (or they failed). */
export type EnquiryYears = Year[] | null;

/** BalanceLike is what the section needs of the study's balance. */
export interface BalanceLike {
	target_year: number;
	years: number;
	total: {trend_demand_ha: number};
}

const mayRead = (ctx: WorkContext) => ['planner', 'admin'].includes(ctx.session()?.role ?? '');

/** loadEnquiryDemand fetches the demand statistics for planners and admins; null for others or on failure. */
export function loadEnquiryDemand(ctx: WorkContext, signal: AbortSignal): Promise<EnquiryYears> {
	if (!mayRead(ctx)) return Promise.resolve(null);
	return ctx.api.json<{years: Year[]}>('/api/v1/enquiries/stats', {}, signal).then((r) => r.years, () => null);
}

/** enquiryDemand is the section beside the balance, or null for readers who may not see enquiries. */
export function enquiryDemand(ctx: WorkContext, b: BalanceLike, years: EnquiryYears): HTMLElement | null {
	if (!years || !mayRead(ctx)) return null;
	const section = h('section', {class: 'study-section enquiry-demand', id: 'enquiry-demand'}, h('h4', {}, t('enq.stats.demand')));
	if (years.length === 0) {
		section.append(h('p', {class: 'muted'}, t('enq.stats.none')));
		return section;
	}
	const mean = years.reduce((s, y) => s + y.ha, 0) / years.length;
	const last = years[years.length - 1];
	const go = (id: number) => (e: Event) => {
		e.preventDefault();
		ctx.go({name: 'enquiries', id: String(id)});
	};
	const unmet = last.unmet.list.length ? h('ul', {}, last.unmet.list.map((u) => h('li', {},
		h('a', {href: ctx.href({name: 'enquiries', id: String(u.id)}), onclick: go(u.id)}, u.reference), ` · ${ha(u.ha)} ha · ${u.top_reason}`))) : '';
	const parcels = last.parcel_ids.length ? h('button', {type: 'button', class: 'button', id: 'enquiry-demand-parcels',
		onclick: () => ctx.openOnMap(`id IN (${last.parcel_ids.join(',')})`, `${t('nav.enquiries')} ${last.year}`, '')}, t('enq.stats.parcels', {n: num(last.parcel_ids.length, 0)})) : '';
	section.append(
		h('p', {'data-enquiry-demand-ha': mean * b.years}, t('enq.stats.demand.text', {ha: ha(mean), year: b.target_year, total: ha(mean * b.years), trend: ha(b.total.trend_demand_ha)})),
		h('p', {}, t('enq.stats.year', {year: last.year, n: num(last.enquiries, 0), ha: ha(last.ha)}), ' · ',
			t('enq.stats.unmet', {n: num(last.unmet.enquiries, 0), ha: ha(last.unmet.ha)})),
		unmet, parcels);
	return section;
}
