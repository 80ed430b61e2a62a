// The read-only views of an upload: its check report grouped by rule, the preview of what would
// change (or changed), and a district's upload history. The upload page puts them together.
import {codes, fieldLabel} from '../catalog.ts';
import {h} from '../dom.ts';
import {date, ha, label, lang, num, t, type MessageKey} from '../i18n.ts';
import {workColors} from '../map/work.ts';
import {formatValue} from '../ui/history.ts';

export interface Issue {
	feature?: number;
	external_id?: string;
	field?: string;
	severity: 'error' | 'warning';
	rule: string;
	de: string;
	en: string;
	/** suggest is the value that fixes the issue, e.g. the CRS the coordinates fit. */
	suggest?: string;
}

export interface Report {
	format: string;
	layer?: string;
	crs: {srid?: number; name?: string; source?: string};
	features: number;
	errors: number;
	warnings: number;
	by_rule: {rule: string; severity: string; count: number}[];
	columns: {column: string; field?: string; note?: string}[];
	issues: Issue[];
	issues_not_listed?: number;
}

export interface ParcelRef {
	feature?: number;
	parcel_id?: number;
	external_id: string;
	name?: string;
	area_ha: number;
	net_area_ha?: number;
}

export interface Preview {
	mode: string;
	new: number;
	changed: number;
	unchanged: number;
	ended: number;
	new_parcels: ParcelRef[];
	changed_parcels: (ParcelRef & {fields: Record<string, {old: unknown; new: unknown}>})[];
	ended_parcels: ParcelRef[];
	listed_per_kind: number;
	district_current?: number;
	confirm_ended_required?: boolean;
}

/** RevertPlan is what undoing an upload would change (GET /api/v1/uploads/{id}/revert). */
export interface RevertPlan {
	upload_id: number;
	preview: Preview;
	conflicts: {upload_id?: number; kind?: string; filename?: string; by: string; at: string; parcels: number}[];
}

/** Upload is an upload resource of the API. */
export interface Upload {
	id: number;
	district: string;
	district_name: string;
	mode: 'replace' | 'upsert';
	filename: string;
	format?: string;
	status: 'received' | 'reading' | 'checking' | 'ready' | 'invalid' | 'failed' | 'applied';
	message?: string;
	progress: {phase: string; read: number; validated: number; total?: number};
	by: string;
	created_at: string;
	updated_at: string;
	previewed_at?: string;
	applied_at?: string;
	report?: Report;
	preview?: Preview;
	kind?: 'file' | 'revert' | 'edit' | 'confirm';
	reverts?: number;
	reverted_by?: number;
	confirms_unchanged?: boolean;
	links: {rel: string; href: string; method?: string}[];
}

/** busy says whether the server is still reading or checking an upload. */
export const busy = (s: Upload['status']) => s === 'received' || s === 'reading' || s === 'checking';

/** reportView shows the check report grouped by rule; a problem with a feature can be shown on the map. */
export function reportView(u: Upload, changes: GeoJSON.FeatureCollection | null, onLocate: (f: GeoJSON.Feature) => void, fix: HTMLElement | null,
	onSuggest: (i: Issue) => void = () => {}): HTMLElement {
	const r = u.report!;
	const byRule = new Map<string, Issue[]>();
	for (const i of r.issues) byRule.set(i.rule, [...(byRule.get(i.rule) ?? []), i]);
	const order = [...r.by_rule].sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1));
	const features = new Map<number, GeoJSON.Feature>();
	for (const f of changes?.features ?? []) if (f.properties?.feature) features.set(Number(f.properties.feature), f);
	const groups = order.map((g) => {
		const issues = byRule.get(g.rule) ?? [];
		const title = ruleTitle(g.rule);
		return h('details', {class: `issue-group issue-${g.severity}`, open: g.severity === 'error', 'data-rule': g.rule},
			h('summary', {},
				h('span', {class: `badge badge-${g.severity}`}, t(g.severity === 'error' ? 'upload.error' : 'upload.warning')), ' ',
				title, ' ', h('span', {class: 'count'}, `(${num(g.count, 0)})`)),
			h('ul', {class: 'issues'}, issues.map((i) => {
				const f = i.feature ? features.get(i.feature) : undefined;
				return h('li', {'data-feature': i.feature ?? '', 'data-field': i.field ?? ''},
					i.feature ? h('strong', {}, t('upload.feature', {n: i.feature, id: i.external_id ?? '–'}), ': ') : null,
					i[lang()],
					f?.geometry ? h('button', {type: 'button', class: 'link locate', 'data-locate': i.feature ?? '', onclick: () => onLocate(f)}, t('upload.locate')) : null,
					i.suggest && i.rule.startsWith('crs.') ? h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'button button-primary', 'data-suggest': i.suggest,
						onclick: () => onSuggest(i)}, t('publish.crs.choose', {crs: i.suggest}))) : null);
			})));
	});
	return h('section', {class: 'report', id: 'upload-report', 'aria-labelledby': 'report-title'},
		h('h3', {id: 'report-title'}, t('upload.report')),
		h('p', {id: 'report-summary', 'data-errors': r.errors, 'data-warnings': r.warnings},
			t('upload.report.summary', {n: num(r.features, 0), errors: num(r.errors, 0), warnings: num(r.warnings, 0), format: r.format, crs: r.crs.name ?? t('upload.crs.unknown')})),
		r.errors === 0 && r.warnings === 0 ? h('p', {class: 'ok'}, t('upload.report.clean')) : null,
		groups,
		r.issues_not_listed ? h('p', {class: 'hint'}, t('upload.report.more', {n: num(r.issues_not_listed, 0)})) : null,
		h('details', {class: 'columns'}, h('summary', {}, t('upload.columns')),
			h('table', {class: 'mapping-table'}, h('tbody', {}, r.columns.map((c) => h('tr', {},
				h('th', {scope: 'row'}, h('code', {}, c.column)),
				h('td', {}, c.field ? fieldLabel(c.field) : h('span', {class: 'muted'}, t('upload.columns.unused')), c.note === 'mapping' ? h('span', {class: 'hint'}, ` (${t('upload.columns.mapped')})`) : null)))))),
		fix);
}

/** previewView shows what publishing would change (or changed): counts, lists, old → new values. */
export function previewView(u: Upload, changes: GeoJSON.FeatureCollection | null, onLocate: (f: GeoJSON.Feature) => void): HTMLElement {
	const p = u.preview!;
	const features = new Map<string, GeoJSON.Feature>();
	for (const f of changes?.features ?? []) {
		const pr = f.properties ?? {};
		if (pr.feature) features.set(`f${pr.feature}`, f);
		if (pr.parcel_id && pr.action === 'ended') features.set(`p${pr.parcel_id}`, f);
	}
	const locate = (ref: ParcelRef) => {
		const f = features.get(ref.feature ? `f${ref.feature}` : `p${ref.parcel_id}`);
		return f?.geometry ? h('button', {type: 'button', class: 'link locate', onclick: () => onLocate(f)}, t('upload.locate')) : null;
	};
	const name = (ref: ParcelRef) => `${ref.name || ref.external_id} (${ref.external_id}, ${t('publish.area.geometry')} ${ha(ref.area_ha)} ha${
		ref.net_area_ha ? `, ${t('publish.area.net')} ${ha(ref.net_area_ha)} ha` : ''})`;
	const swatch = (kind: string) => h('span', {class: 'key-swatch', style: `background:${workColors[kind]}`, 'aria-hidden': 'true'});
	const list = (kind: string, refs: ParcelRef[], total: number) => refs.length === 0 ? null :
		h('details', {class: `change-group change-${kind}`, open: kind !== 'ended' || refs.length <= 10, 'data-kind': kind},
			h('summary', {}, swatch(kind), t(`upload.preview.${kind}` as MessageKey, {n: num(total, 0)})),
			h('ul', {}, refs.map((r) => h('li', {'data-external-id': r.external_id}, name(r), ' ', locate(r)))),
			total > refs.length ? h('p', {class: 'hint'}, t('upload.preview.more', {n: num(total - refs.length, 0)})) : null);
	return h('section', {class: 'preview', id: 'upload-preview', 'aria-labelledby': 'preview-title'},
		h('h3', {id: 'preview-title'}, u.status === 'applied' ? t('upload.preview.applied') : t('upload.preview')),
		h('ul', {class: 'change-counts', id: 'change-counts', 'data-new': p.new, 'data-changed': p.changed, 'data-ended': p.ended, 'data-unchanged': p.unchanged},
			h('li', {}, swatch('new'), t('upload.preview.new', {n: num(p.new, 0)})),
			h('li', {}, swatch('changed'), t('upload.preview.changed', {n: num(p.changed, 0)})),
			h('li', {}, swatch('ended'), t('upload.preview.ended', {n: num(p.ended, 0)})),
			h('li', {}, swatch('none'), t('upload.preview.unchanged', {n: num(p.unchanged, 0)}))),
		p.mode === 'replace' && p.ended > 0 ? h('p', {class: 'warn'}, t('upload.preview.replaceWarn', {n: num(p.ended, 0)})) : null,
		u.confirms_unchanged && p.unchanged > 0 ? h('p', {class: 'note', id: 'preview-confirms'}, t('publish.confirms', {n: num(p.unchanged, 0)})) : null,
		p.changed_parcels.length ? h('details', {class: 'change-group change-changed', open: true, 'data-kind': 'changed'},
			h('summary', {}, swatch('changed'), t('upload.preview.changed', {n: num(p.changed, 0)})),
			h('ul', {}, p.changed_parcels.map((c) => h('li', {'data-external-id': c.external_id, 'data-parcel': c.parcel_id ?? ''},
				name(c), ' ', locate(c),
				h('ul', {class: 'history-changes'}, Object.entries(c.fields).map(([f, v]) => h('li', {'data-field': f},
					h('span', {class: 'history-field'}, fieldLabel(f)), ': ',
					h('span', {class: 'history-old'}, formatValue(f, v.old)), ' → ',
					h('span', {class: 'history-new'}, formatValue(f, v.new))))))))) : null,
		list('new', p.new_parcels, p.new),
		list('ended', p.ended_parcels, p.ended));
}

/** historyView lists a district's uploads, newest first, each linked, with an undo action where allowed. */
export function historyView(district: string, list: Upload[] | null, current: string, link: (id: number, text: string) => HTMLElement,
	undo: (u: Upload) => HTMLElement | null): HTMLElement {
	return h('section', {class: 'upload-history', id: 'upload-history', 'aria-labelledby': 'uh-title'},
		h('h3', {id: 'uh-title'}, t('upload.history', {district: label(codes('district'), district)})),
		!list ? h('p', {class: 'muted'}, t('upload.history.error')) : list.length === 0 ? h('p', {class: 'muted'}, t('upload.history.none')) :
			h('table', {class: 'figure-table'},
				h('thead', {}, h('tr', {},
					h('th', {scope: 'col'}, t('upload.history.upload')), h('th', {scope: 'col'}, t('upload.history.when')),
					h('th', {scope: 'col'}, t('upload.history.who')), h('th', {scope: 'col'}, t('upload.history.status')),
					h('th', {scope: 'col', class: 'num'}, t('upload.history.changes')), h('th', {scope: 'col'}, ''))),
				h('tbody', {}, list.map((x) => {
					const a = link(x.id, x.kind === 'revert' ? `#${x.id} ${t('publish.revertOf', {id: x.reverts ?? ''})}` : `#${x.id} ${x.filename}`);
					const p = x.preview;
					return h('tr', {'data-upload': x.id, 'data-status': x.status, class: String(x.id) === current ? 'current' : ''},
						h('th', {scope: 'row'}, a),
						h('td', {}, date(x.applied_at ?? x.created_at)),
						h('td', {}, x.by),
						h('td', {}, t(`upload.state.${x.status}` as MessageKey), x.reverted_by ? h('span', {class: 'hint'}, ` · ${t('publish.reverted', {id: x.reverted_by})}`) : null),
						h('td', {class: 'num', 'data-counts': p ? `${p.new}/${p.changed}/${p.ended}` : ''}, p ? `+${num(p.new, 0)} / ~${num(p.changed, 0)} / −${num(p.ended, 0)}` : '–'),
						h('td', {}, undo(x)));
				}))));
}

/** ruleTitle names a validation rule in words (the issues themselves carry the details). */
function ruleTitle(rule: string): string {
	const key = `rule.${rule}` as MessageKey;
	const s = t(key);
	return s === key ? rule : s;
}
