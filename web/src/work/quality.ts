// The freshness and completeness of the records per district (GET /api/v1/study/quality), drawn
// on the study dashboard: how many parcels were confirmed within the setting's months, earlier or
// never, and how completely the fields that matter for marketing are filled.
import {h} from '../dom.ts';
import {lang, num, t} from '../i18n.ts';

interface QualityUnit {
	district_ags?: string;
	name: string;
	parcels: number;
	fresh: number;
	stale: number;
	never: number;
	fresh_share: number;
	completeness: number;
	missing: Record<string, number>;
}

/** Quality is the part of the quality answer the dashboard shows. */
export interface Quality {
	fresh_months: number;
	fields: {name: string; label: {de: string; en: string}}[];
	total: QualityUnit;
	districts: QualityUnit[];
}

const pct = (v: number) => `${num(v * 100, 0)} %`;

/** qualityFigure draws the table of freshness and completeness per district. */
export function qualityFigure(q: Quality | Error, table: (head: string[], rows: {key: string; attrs: Record<string, string | number>; cells: (string | Node)[]}[], total: {key: string; attrs: Record<string, string | number>; cells: (string | Node)[]} | null) => HTMLElement): HTMLElement {
	const section = h('section', {class: 'study-section', id: 'quality', 'aria-labelledby': 'quality-title'}, h('h3', {id: 'quality-title'}, t('quality.title')));
	if (q instanceof Error) {
		section.append(h('p', {class: 'error'}, q.message));
		return section;
	}
	const labels = new Map(q.fields.map((f) => [f.name, f.label[lang()]]));
	const gaps = (u: QualityUnit) => Object.entries(u.missing).sort((a, b) => b[1] - a[1]).slice(0, 3)
		.map(([name, n]) => `${labels.get(name) ?? name} (${num(n, 0)})`).join(', ');
	const row = (u: QualityUnit, key: string) => ({key, attrs: {'data-district': u.district_ags ?? '', 'data-fresh': u.fresh, 'data-stale': u.stale, 'data-never': u.never, 'data-completeness': u.completeness},
		cells: [u.name, num(u.parcels, 0), num(u.fresh, 0), num(u.stale, 0), num(u.never, 0), pct(u.completeness), gaps(u)]});
	section.append(
		h('p', {class: 'hint'}, t('quality.hint', {months: num(q.fresh_months, 0)})),
		table([t('study.col.district'), t('campaign.col.parcels'), t('quality.fresh', {months: num(q.fresh_months, 0)}), t('quality.stale'), t('quality.never'), t('quality.completeness'), t('quality.missing')],
			q.districts.filter((d) => d.parcels > 0).map((d) => row(d, `quality:${d.district_ags}`)), row({...q.total, name: t('study.col.total')}, 'quality:total')));
	return section;
}
