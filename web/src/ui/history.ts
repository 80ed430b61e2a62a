// A parcel's history in the fact sheet: every version, newest first, with when it began, who made
// it and through which upload (signed-in readers only; the API leaves both out for the public), and
// each changed field with its old and new value. The first version lists what the parcel started
// with, folded away.
import type {Api} from '../api.ts';
import {fieldCodes, fieldLabel} from '../catalog.ts';
import {h} from '../dom.ts';
import {date, ha, label, num, t} from '../i18n.ts';

/** ParcelVersion is one state of a parcel as GET /api/v1/parcels/{id}/history lists it. */
export interface ParcelVersion {
	version: number;
	valid_from: string;
	valid_to: string | null;
	changed_by?: string;
	upload_id?: number;
	ended_at?: string;
	changes: Record<string, {old: unknown; new: unknown}>;
}

/** loadHistory fetches a parcel's versions, oldest first as the API gives them. */
export async function loadHistory(api: Api, id: string, signal?: AbortSignal): Promise<ParcelVersion[]> {
	const res = await api.json<{versions: ParcelVersion[]}>(`/api/v1/parcels/${encodeURIComponent(id)}/history`, {}, signal);
	return res.versions ?? [];
}


/** formatValue writes a field's value for people: codes by their label, yes/no, numbers and dates in the language. */
export function formatValue(field: string, v: unknown): string {
	if (v === null || v === undefined || v === '') return '–';
	if (field === 'geometry' && typeof v === 'object') {
		const area = (v as {area_ha?: number}).area_ha;
		return area !== undefined ? t('history.outline', {ha: ha(area)}) : t('history.outline.changed');
	}
	if (fieldCodes(field).length && typeof v === 'string') return label(fieldCodes(field), v);
	if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
	if (typeof v === 'number') return field.endsWith('_ha') ? `${ha(v)} ha` : num(v, 2);
	if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(v)) return date(v);
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

// Fields whose changes say nothing to a reader: derived from others or bookkeeping.
const quiet = new Set(['id', 'size_class', 'net_area_estimated', 'gross_area_ha', 'district_name', 'municipality_name', 'site_name', 'land']);

/** historySection draws the versions; upload links go through onUpload (signed-in readers). */
export function historySection(versions: ParcelVersion[] | null, onUpload?: (id: number) => void): HTMLElement {
	const body: (Node | string)[] = [];
	if (versions === null) {
		body.push(h('p', {class: 'muted'}, t('history.error')));
	} else if (versions.length === 0) {
		body.push(h('p', {class: 'muted'}, t('history.none')));
	} else {
		body.push(h('ol', {class: 'history', reversed: true}, [...versions].reverse().map((v) => versionItem(v, onUpload))));
	}
	return h('section', {class: 'sheet-section', 'data-section': 'history'}, h('h3', {}, t('history.title')), ...body);
}

function versionItem(v: ParcelVersion, onUpload?: (id: number) => void): HTMLLIElement {
	const first = v.version === 1;
	const fields = Object.entries(v.changes ?? {}).filter(([f]) => !quiet.has(f)).sort(([a], [b]) => fieldLabel(a).localeCompare(fieldLabel(b)));
	const rows = fields.map(([f, c]) => h('li', {'data-field': f},
		h('span', {class: 'history-field'}, fieldLabel(f)), ': ',
		first ? null : h('span', {class: 'history-old'}, formatValue(f, c.old)),
		first ? null : h('span', {'aria-label': t('history.to')}, ' → '),
		h('span', {class: 'history-new'}, formatValue(f, c.new))));
	const upload = v.upload_id !== undefined && v.upload_id !== null
		? (onUpload
			? h('a', {href: `/upload/${v.upload_id}`, 'data-upload': v.upload_id, onclick: (e: Event) => {
				const me = e as MouseEvent;
				if (me.metaKey || me.ctrlKey || me.shiftKey) return;
				e.preventDefault();
				onUpload(v.upload_id!);
			}}, t('history.upload', {id: v.upload_id}))
			: t('history.upload', {id: v.upload_id}))
		: null;
	const head = h('p', {class: 'history-head'},
		h('strong', {}, date(v.valid_from)),
		' · ', first ? t('history.created') : v.ended_at ? t('history.ended') : t('history.changed', {n: num(fields.length, 0)}),
		v.changed_by ? h('span', {class: 'history-who'}, ' · ', t('history.by', {who: v.changed_by})) : null,
		upload ? h('span', {}, ' · ', upload) : null);
	const list = h('ul', {class: 'history-changes'}, rows);
	return h('li', {'data-version': v.version, 'data-upload': v.upload_id ?? ''},
		head,
		first ? h('details', {}, h('summary', {}, t('history.initial', {n: num(fields.length, 0)})), list) : list);
}
