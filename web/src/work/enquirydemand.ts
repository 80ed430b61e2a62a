// The demand from enquiries beside the study's trend forecast, for the study dashboard's balance
// (planners and admins only; the public sees no enquiry data). The figures are the server's
// (GET /api/v1/study/balance?demand=enquiries: the net area enquiries asked for per year over the
// take-up window, carried to the target year like the trend); the demand statistics add the
// latest year's unmet enquiries and the parcels asked about, one click away.
import {h} from '../dom.ts';
import {ha, num, t} from '../i18n.ts';
import type {WorkContext} from './context.ts';
import type {Balance} from './studytypes.ts';

interface Year {
	year: number;
	enquiries: number;
	ha: number;
	parcel_ids: number[];
	unmet: {enquiries: number; ha: number; list: {id: number; reference: string; ha: number; top_reason: string}[]};
}

/** EnquiryYears are the demand statistics per year, or null where the reader may not see them (or they failed). */
export type EnquiryYears = Year[] | null;

/** mayReadEnquiries says whether the signed-in reader sees the demand from enquiries: planners and admins. */
export const mayReadEnquiries = (ctx: WorkContext) => ['planner', 'admin'].includes(ctx.session()?.role ?? '');

/** loadEnquiryDemand fetches the demand statistics for planners and admins; null for others or on failure. */
export function loadEnquiryDemand(ctx: WorkContext, signal: AbortSignal): Promise<EnquiryYears> {
	if (!mayReadEnquiries(ctx)) return Promise.resolve(null);
	return ctx.api.json<{years: Year[]}>('/api/v1/enquiries/stats', {}, signal).then((r) => r.years, () => null);
}

/**
 * enquiryDemand is the section beside the balance, or null for readers who may not see enquiries.
 * asked says whether the balance was computed with the demand from enquiries.
 */
export function enquiryDemand(ctx: WorkContext, b: Balance, asked: boolean, years: EnquiryYears): HTMLElement | null {
	if (!mayReadEnquiries(ctx) || (!asked && !years)) return null;
	const section = h('section', {class: 'study-section enquiry-demand', id: 'enquiry-demand'}, h('h4', {}, t('enq.stats.demand')));
	const e = b.total.enquiry;
	const trend = ha(b.total.trend_demand_ha);
	if (!asked) {
		section.append(h('p', {class: 'hint'}, t('enq.stats.demand.off')));
	} else if (e && b.enquiry_window) {
		section.append(h('p', {'data-enquiry-demand-ha': e.demand_ha}, t('enq.stats.demand.text', {
			from: b.enquiry_window.from, to: b.enquiry_window.to, n: num(e.enquiries, 0), asked: ha(e.asked_ha), ha: ha(e.mean_ha_per_year),
			year: b.target_year, total: ha(e.demand_ha), balance: ha(e.balance_ha), trend})));
	} else {
		section.append(h('p', {'data-enquiry-demand-ha': ''}, t('enq.stats.demand.empty', {from: b.window.from, to: b.window.to, trend})));
	}
	if (!years) return section;
	if (years.length === 0) {
		section.append(h('p', {class: 'muted'}, t('enq.stats.none')));
		return section;
	}
	const last = years[years.length - 1];
	const go = (id: number) => (ev: Event) => {
		ev.preventDefault();
		ctx.go({name: 'enquiries', id: String(id)});
	};
	const unmet = last.unmet.list.length ? h('ul', {}, last.unmet.list.map((u) => h('li', {},
		h('a', {href: ctx.href({name: 'enquiries', id: String(u.id)}), onclick: go(u.id)}, u.reference), ` · ${ha(u.ha)} ha · ${u.top_reason}`))) : '';
	const parcels = last.parcel_ids.length ? h('button', {type: 'button', class: 'button', id: 'enquiry-demand-parcels',
		onclick: () => ctx.openOnMap(`id IN (${last.parcel_ids.join(',')})`, `${t('nav.enquiries')} ${last.year}`, '')}, t('enq.stats.parcels', {n: num(last.parcel_ids.length, 0)})) : '';
	section.append(
		h('p', {}, t('enq.stats.year', {year: last.year, n: num(last.enquiries, 0), ha: ha(last.ha)}), ' · ',
			t('enq.stats.unmet', {n: num(last.unmet.enquiries, 0), ha: ha(last.unmet.ha)})),
		unmet, parcels);
	return section;
}
