// Editing in the browser (issue 12), /edit/{id} and /edit (a new parcel): the attribute form is
// built from the upload fields (GET /api/v1/uploads/fields), the outline is changed or drawn on the
// map with terra-draw, and the edit goes through the upload pipeline: POST /api/v1/edits checks it
// and answers with an upload, whose page shows the report and the preview and publishes it (and
// can undo it). A parcel is ended with a reason in one step; its ending is undone the same way.
import {TerraDraw, TerraDrawPolygonMode, TerraDrawSelectMode} from 'terra-draw';
import {TerraDrawMapLibreGLAdapter} from 'terra-draw-maplibre-gl-adapter';
import {ApiError} from '../api.ts';
import {announce, h, replace} from '../dom.ts';
import {lang, t} from '../i18n.ts';
import {uploadDistricts} from '../session.ts';
import type {Route} from '../state.ts';
import {errorText, type WorkContext, type WorkPage} from './context.ts';
import type {FieldInfo, UploadFields} from './mapping.ts';
import type {Upload} from './uploadviews.ts';

type Props = Record<string, unknown>;

/** editedFeature is the id terra-draw gives the outline being edited. */
const editedFeature = 'parcel-outline';

export class EditPage implements WorkPage {
	private el: HTMLElement;
	private route: Extract<Route, {name: 'edit'}> = {name: 'edit'};
	private fields: FieldInfo[] | null = null;
	private parcel: {geometry: GeoJSON.Geometry | null; properties: Props | null} | null = null;
	private values: Record<string, string> = {};
	private initial: Record<string, string> = {};
	private district = '';
	private draw: TerraDraw | null = null;
	private outlineChanged = false;
	private error = '';
	private conflict: Record<string, string> = {};
	private sending = false;
	settled: Promise<void> = Promise.resolve();

	constructor(root: HTMLElement, private ctx: WorkContext) {
		this.el = h('div', {class: 'work-page edit-page', id: 'edit', hidden: true});
		root.append(this.el);
	}

	show(route: Route): void {
		if (route.name !== 'edit') return;
		// Shown again for the same parcel (a new date, a session check): keep what is being drawn.
		const same = !this.el.hidden && this.draw !== null && route.id === this.route.id;
		this.route = route;
		this.el.hidden = false;
		if (same) this.render();
		else this.settled = this.start();
	}

	hide(): void {
		this.el.hidden = true;
		this.stopDrawing();
	}

	rerender(): void {
		if (!this.el.hidden) this.render();
	}

	private async start(): Promise<void> {
		this.error = '';
		this.conflict = {};
		this.parcel = null;
		this.values = {};
		this.initial = {};
		this.outlineChanged = false;
		if (!this.ctx.session()) {
			this.render();
			return;
		}
		if (!this.fields) {
			this.fields = await this.ctx.api.json<UploadFields>('/api/v1/uploads/fields').then((r) => r.fields, () => null);
		}
		const allowed = uploadDistricts(this.ctx.session());
		if (this.route.id) {
			try {
				this.parcel = await this.ctx.api.item('parcels', this.route.id);
				const p = this.parcel.properties ?? {};
				this.district = String(p.district_ags ?? '');
				for (const f of this.fields ?? []) this.initial[f.name] = valueText(p[f.name]);
				this.values = {...this.initial};
			} catch (e) {
				this.error = errorText(e);
			}
		} else {
			this.district = allowed.includes('*') ? this.ctx.state().uploadDistrict || this.ctx.state().filters.district : allowed[0] ?? '';
		}
		this.render();
		if (this.parcel || !this.route.id) await this.startDrawing();
	}

	/** startDrawing puts terra-draw on the map: the parcel's outline to edit, or the polygon tool for a new one. */
	private async startDrawing(): Promise<void> {
		this.stopDrawing();
		const atlas = this.ctx.map();
		const map = atlas.map;
		if (!map.isStyleLoaded()) await new Promise<void>((resolve) => map.once('idle', () => resolve()));
		const draw = new TerraDraw({
			adapter: new TerraDrawMapLibreGLAdapter({map}),
			modes: [
				new TerraDrawPolygonMode(),
				new TerraDrawSelectMode({flags: {polygon: {feature: {draggable: true, coordinates: {midpoints: true, draggable: true, deletable: true}}}}}),
			],
		});
		draw.start();
		this.draw = draw;
		const g = this.parcel?.geometry;
		const polygon = g?.type === 'Polygon' ? g : g?.type === 'MultiPolygon' && g.coordinates.length === 1 ? {type: 'Polygon' as const, coordinates: g.coordinates[0]} : null;
		if (polygon) {
			draw.addFeatures([{id: editedFeature, type: 'Feature', geometry: polygon, properties: {mode: 'polygon'}}]);
			draw.setMode('select');
			atlas.showGeometry(polygon, {force: true, maxZoom: 17});
		} else if (!this.parcel) {
			draw.setMode('polygon');
		}
		draw.on('change', (_ids, type) => {
			if (type === 'update' || type === 'create') this.outlineChanged = true;
		});
		draw.on('finish', () => {
			this.outlineChanged = true;
			draw.setMode('select');
			this.render();
			announce(t('edit.drawn'));
		});
		(window as unknown as {__landatlasDraw: TerraDraw}).__landatlasDraw = draw;
	}

	private stopDrawing(): void {
		if (this.draw) {
			this.draw.stop();
			this.draw = null;
		}
	}

	/** outline is the polygon drawn or edited, or null. */
	private outline(): GeoJSON.Polygon | null {
		const f = this.draw?.getSnapshot().find((x) => x.geometry.type === 'Polygon');
		return f ? (f.geometry as GeoJSON.Polygon) : null;
	}

	private render(): void {
		const parts: (Node | null)[] = [h('div', {class: 'work-head'},
			h('h2', {id: 'edit-title', tabindex: -1}, this.route.id ? t('edit.title', {name: String(this.parcel?.properties?.name ?? this.route.id)}) : t('edit.new')),
			h('p', {class: 'muted'}, this.route.id ? t('edit.intro') : t('edit.new.intro')))];
		if (!this.ctx.session()) {
			parts.push(h('p', {class: 'note'}, t('upload.signin')));
			replace(this.el, parts);
			return;
		}
		if (this.error) parts.push(h('p', {class: 'error', role: 'alert', id: 'edit-error', tabindex: -1}, this.error,
			Object.keys(this.conflict).length ? h('ul', {id: 'edit-conflict'}, Object.entries(this.conflict).map(([k, v]) => h('li', {'data-field': k}, `${k}: ${v}`))) : null));
		if (this.fields && (this.parcel || !this.route.id)) {
			parts.push(this.form());
			if (this.parcel) parts.push(this.endBox());
		}
		replace(this.el, parts);
	}

	private form(): HTMLElement {
		const fields = this.fields ?? [];
		const rows = fields.filter((f) => !(this.parcel && f.name === 'external_id')).map((f) => {
			const id = `edit-${f.name}`;
			const labelText = `${lang() === 'de' ? f.de : f.en}${f.required ? ' *' : ''}`;
			const current = this.values[f.name] ?? '';
			let control: HTMLInputElement | HTMLSelectElement;
			if (f.codes?.length) {
				control = h('select', {id, name: f.name},
					h('option', {value: ''}, t('edit.none')),
					f.codes.map((c) => h('option', {value: c.value, selected: c.value === current}, lang() === 'de' ? c.de : c.en)));
			} else if (f.type === 'yes/no') {
				control = h('select', {id, name: f.name},
					h('option', {value: ''}, t('edit.none')),
					h('option', {value: 'true', selected: current === 'true'}, t('yes')),
					h('option', {value: 'false', selected: current === 'false'}, t('no')));
			} else {
				const type = f.type === 'number' || f.type === 'integer' ? 'number' : f.type === 'date' ? 'date' : 'text';
				control = h('input', {id, name: f.name, type, value: current, step: f.type === 'number' ? 'any' : undefined});
			}
			control.addEventListener('change', () => (this.values[f.name] = control.value));
			return h('div', {class: 'field', 'data-field': f.name}, h('label', {for: id}, labelText), control);
		});
		const outlineHint = this.parcel
			? (this.outline() ? t('edit.outline.edit') : t('edit.outline.fixed'))
			: (this.outline() ? t('edit.drawn') : t('edit.outline.draw'));
		const form = h('form', {class: 'work-form edit-form', id: 'edit-form', novalidate: true, 'aria-labelledby': 'edit-title'},
			h('p', {class: 'hint', id: 'edit-outline'}, outlineHint),
			!this.parcel ? h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'button', id: 'edit-redraw', onclick: () => {
				this.draw?.clear();
				this.draw?.setMode('polygon');
				this.outlineChanged = false;
				this.render();
			}}, t('edit.redraw'))) : null,
			...rows,
			h('div', {class: 'button-row'},
				h('button', {type: 'submit', class: 'button button-primary', id: 'edit-check', disabled: this.sending}, this.sending ? t('upload.sending') : t('edit.check'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			this.settled = this.send();
		});
		return form;
	}

	/** properties are the fields to send: for a parcel the changed ones, for a new one all given. */
	private properties(): Props {
		const out: Props = {};
		for (const f of this.fields ?? []) {
			const v = this.values[f.name] ?? '';
			if (this.parcel ? v === (this.initial[f.name] ?? '') : v === '') continue;
			out[f.name] = v === '' ? null : f.type === 'number' || f.type === 'integer' ? Number(v) : f.type === 'yes/no' ? v === 'true' : v;
		}
		return out;
	}

	private async send(): Promise<void> {
		this.error = '';
		this.conflict = {};
		const geometry = this.outline();
		if (!this.parcel && !geometry) {
			this.error = t('edit.outline.draw');
			this.render();
			return;
		}
		const body: Props = {properties: this.properties()};
		if (this.parcel) {
			body.parcel_id = Number(this.route.id);
			body.base = this.parcel.properties?.valid_from;
		} else {
			body.district = this.district;
		}
		if (geometry && (this.outlineChanged || !this.parcel)) body.geometry = geometry;
		this.sending = true;
		this.render();
		try {
			const u = await this.ctx.api.send<Upload>('/api/v1/edits', {method: 'POST', body});
			this.sending = false;
			this.stopDrawing();
			this.ctx.go({name: 'upload', id: String(u.id)});
		} catch (e) {
			this.sending = false;
			this.failed(e);
		}
	}

	private failed(e: unknown): void {
		this.error = e instanceof ApiError && e.status === 409 ? t('edit.conflict', {msg: e.message}) : errorText(e);
		this.conflict = e instanceof ApiError && e.status === 409 ? e.fields : {};
		if (e instanceof ApiError && e.status !== 409 && Object.keys(e.fields).length) {
			this.error += ` (${Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join('; ')})`;
		}
		this.render();
		document.getElementById('edit-error')?.focus();
	}

	/** endBox ends the parcel with a reason, after a confirmation. */
	private endBox(): HTMLElement {
		const reason = h('select', {id: 'end-reason'},
			h('option', {value: 'sold'}, t('edit.end.sold')),
			h('option', {value: 'withdrawn'}, t('edit.end.withdrawn')),
			h('option', {value: 'error'}, t('edit.end.error')));
		return h('section', {class: 'end-box', id: 'end-box', 'aria-labelledby': 'end-title'},
			h('h3', {id: 'end-title'}, t('edit.end')),
			h('p', {class: 'hint'}, t('edit.end.hint')),
			h('div', {class: 'field'}, h('label', {for: 'end-reason'}, t('edit.end.reason')), reason),
			h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'button button-danger', id: 'end-parcel', onclick: () => this.confirmEnd(reason.value)}, t('edit.end.button'))));
	}

	private confirmEnd(reason: string): void {
		const name = String(this.parcel?.properties?.name ?? this.route.id);
		const dialog = h('dialog', {class: 'dialog dialog-danger', id: 'end-dialog', 'aria-labelledby': 'end-dialog-title'});
		const close = () => {
			dialog.close();
			dialog.remove();
		};
		replace(dialog, h('form', {method: 'dialog', class: 'dialog-form'},
			h('h2', {id: 'end-dialog-title'}, t('edit.end.confirm', {name})),
			h('p', {}, t('edit.end.text', {reason: t(`edit.end.${reason}` as 'edit.end.sold')})),
			h('div', {class: 'dialog-actions'},
				h('button', {type: 'button', class: 'button', onclick: close}, t('dialog.cancel')),
				h('button', {type: 'button', class: 'button button-danger', id: 'end-confirm', onclick: () => {
					close();
					this.settled = this.end(reason);
				}}, t('edit.end.button')))));
		dialog.addEventListener('cancel', () => dialog.remove());
		document.body.append(dialog);
		dialog.showModal();
	}

	private async end(reason: string): Promise<void> {
		try {
			const u = await this.ctx.api.send<Upload>(`/api/v1/parcels/${this.route.id}/end`, {method: 'POST', body: {base: this.parcel?.properties?.valid_from, reason}});
			this.stopDrawing();
			await this.ctx.map().refreshTiles();
			this.ctx.go({name: 'upload', id: String(u.id)});
		} catch (e) {
			this.failed(e);
		}
	}
}

/** valueText is a property's value as the form shows it. */
function valueText(v: unknown): string {
	if (v === null || v === undefined) return '';
	return String(v);
}
