// The upload for district staff (/upload, /upload/{id}): choose or drop a file, say whether it is
// the district's full data set or only some parcels, give the CRS when the file has none, map its
// columns (remembered per district), then follow the check with a progress bar, read the report
// grouped by problem (each problem locatable on the map), see what would change (on the map in
// colours and as a list with old → new values), publish with one confirmation, and see the
// district's upload history.
import {ApiError} from '../api.ts';
import {codes} from '../catalog.ts';
import {announce, h, replace} from '../dom.ts';
import {date, label, lang, num, t, type MessageKey} from '../i18n.ts';
import {uploadDistricts} from '../session.ts';
import type {Route} from '../state.ts';
import {errorText, type WorkContext, type WorkPage} from './context.ts';
import {sniff, type CRSChoice, type FieldInfo, type Mapping, type Sniff, type UploadFields} from './mapping.ts';
import {busy, historyView, previewView, reportView, type RevertPlan, type Upload} from './uploadviews.ts';
import {zipStore} from './zip.ts';
import {ConfirmSection} from './confirm.ts';
import {ContactSection} from './contact.ts';

const pollMs = 400;
const pollLimitMs = 15 * 60_000;

export class UploadPage implements WorkPage {
	private el: HTMLElement;
	private route: Extract<Route, {name: 'upload'}> = {name: 'upload'};
	private fields: FieldInfo[] | null = null;
	private crsChoices: CRSChoice[] = [];
	private usualCRS: Record<string, string> = {};
	private saved = new Map<string, Mapping>();
	private file: File | null = null;
	private sniffed: Sniff | null = null;
	private mode: 'upsert' | 'replace' = 'upsert';
	private crs = '';
	private edits: Record<string, string> = {};
	/** guesses are the fields the server's upload rule gives the columns (POST /api/v1/uploads/guess-mapping), for guessedFor. */
	private guesses = new Map<string, string>();
	private guessedFor = '';
	/** defaultEdits are values for fields the file lacks ('' removes a saved one). */
	private defaultEdits: Record<string, string> = {};
	/** valueEdits map, per code field, the file's values to codes ('' removes a saved one). */
	private valueEdits: Record<string, Record<string, string>> = {};
	private publication = '';
	private remember = true;
	/** current: "Datei ist aktueller Stand", chosen per file like the mode. */
	private current = false;
	private confirmSection: ConfirmSection;
	private contactSection: ContactSection;
	private upload: Upload | null = null;
	private changes: GeoJSON.FeatureCollection | null = null;
	private history: Upload[] | null = null;
	/** lastColumns are the columns the last report named, for the mapping of the next try. */
	private lastColumns: string[] = [];
	private error = '';
	private notice = '';
	private sending = false;
	private applying = false;
	private pollTimer: ReturnType<typeof setTimeout> | undefined;
	private loadedId = '';
	settled: Promise<void> = Promise.resolve();

	constructor(root: HTMLElement, private ctx: WorkContext) {
		this.el = h('div', {class: 'work-page upload-page', id: 'upload', hidden: true});
		this.confirmSection = new ConfirmSection(ctx, () => this.render());
		this.contactSection = new ContactSection(ctx, () => this.render());
		root.append(this.el);
	}

	show(route: Route): void {
		if (route.name !== 'upload') return;
		this.route = route;
		this.el.hidden = false;
		this.settled = this.start();
	}

	hide(): void {
		this.el.hidden = true;
		clearTimeout(this.pollTimer);
		this.loadedId = '';
		void this.ctx.map().setWork([]);
		void this.ctx.map().select(null);
	}

	rerender(): void {
		if (!this.el.hidden) this.render();
	}

	/** allowed lists the districts the account may upload for. */
	private allowed(): string[] {
		const a = uploadDistricts(this.ctx.session());
		return a.includes('*') ? codes('district').map((d) => d.value) : a;
	}

	/** district is the one the form uploads for: the editor's own, or the admin's choice. */
	private district(): string {
		const allowed = this.allowed();
		const chosen = this.ctx.state().uploadDistrict;
		if (allowed.length === 1) return allowed[0];
		return allowed.includes(chosen) ? chosen : '';
	}

	private async start(): Promise<void> {
		clearTimeout(this.pollTimer);
		if (!this.ctx.session()) {
			this.render();
			return;
		}
		const api = this.ctx.api;
		if (!this.fields) {
			const offer = await api.json<UploadFields>('/api/v1/uploads/fields').catch(() => null);
			this.fields = offer?.fields ?? null;
			this.crsChoices = offer?.crs ?? [];
			this.usualCRS = offer?.usual_crs ?? {};
		}
		if (this.route.id) {
			if (this.loadedId !== this.route.id || !this.upload) {
				this.loadedId = this.route.id;
				this.changes = null;
				this.error = '';
				try {
					this.upload = await api.json<Upload>(`/api/v1/uploads/${this.route.id}`);
				} catch (e) {
					this.upload = null;
					this.error = e instanceof ApiError && e.status === 404 ? t('upload.notFound') : errorText(e);
				}
			}
		} else {
			this.loadedId = '';
			this.upload = null;
			this.changes = null;
		}
		const district = this.upload?.district ?? this.district();
		await Promise.all([this.loadMapping(district), this.loadHistory(district), this.route.id ? null : this.confirmSection.load(district),
			this.contactSection.load(district)]);
		this.render();
		if (this.upload) await this.follow();
		else void this.ctx.map().setWork([]);
	}

	private async loadMapping(district: string): Promise<void> {
		if (!district || this.saved.has(district)) return;
		try {
			this.saved.set(district, await this.ctx.api.json<Mapping>(`/api/v1/districts/${district}/mapping`));
		} catch {
			this.saved.set(district, {});
		}
	}

	private async loadHistory(district: string): Promise<void> {
		if (!district) {
			this.history = null;
			return;
		}
		this.history = await this.ctx.api.json<{uploads: Upload[]}>('/api/v1/uploads', {district, limit: 20}).then((r) => r.uploads, () => null);
	}

	/** follow polls a busy upload until it is checked, then loads its changes for the map. */
	private async follow(): Promise<void> {
		const started = Date.now();
		const id = this.upload!.id;
		while (this.upload && this.upload.id === id && busy(this.upload.status) && !this.el.hidden) {
			if (Date.now() - started > pollLimitMs) {
				this.error = t('upload.poll.timeout');
				this.render();
				return;
			}
			await new Promise<void>((resolve) => (this.pollTimer = setTimeout(resolve, pollMs)));
			if (this.el.hidden || this.upload?.id !== id) return;
			try {
				this.upload = await this.ctx.api.json<Upload>(`/api/v1/uploads/${id}`);
			} catch (e) {
				this.error = errorText(e);
			}
			this.render();
		}
		if (!this.upload || this.upload.id !== id) return;
		if (this.upload.report?.columns.length) this.lastColumns = this.upload.report.columns.map((c) => c.column);
		if (this.upload.links.some((l) => l.rel === 'changes')) {
			try {
				this.changes = await this.ctx.api.json<GeoJSON.FeatureCollection>(`/api/v1/uploads/${id}/changes.geojson`);
			} catch (e) {
				this.changes = null;
				this.notice = t('upload.changes.error', {msg: errorText(e)});
			}
		}
		await this.loadHistory(this.upload.district);
		this.render();
		this.drawChanges(true);
		announce(this.statusText(this.upload));
	}

	/** drawChanges puts the upload's changes on the map: new, changed and ended in their colours, errors marked. */
	private drawChanges(fit: boolean): void {
		const fc = this.changes;
		if (!fc || this.el.hidden) {
			void this.ctx.map().setWork([]);
			return;
		}
		const areas = fc.features.filter((f) => f.geometry).map((f) => {
			const p = f.properties ?? {};
			const kind = Number(p.errors) > 0 ? 'error' : p.action === 'none' ? 'none' : String(p.action);
			return {...f, properties: {...p, kind}};
		});
		void this.ctx.map().setWork(areas, [], fit);
	}

	private statusText(u: Upload): string {
		return t(`upload.status.${u.status}` as MessageKey, {n: num(u.progress.read, 0)});
	}

	private render(): void {
		const session = this.ctx.session();
		const parts: (Node | null)[] = [
			h('div', {class: 'work-head'},
				h('h2', {id: 'upload-title', tabindex: -1}, t('upload.title')),
				h('p', {class: 'muted'}, t('upload.intro'))),
		];
		if (!session) {
			parts.push(h('p', {class: 'note'}, t('upload.signin')));
			replace(this.el, parts);
			return;
		}
		const showing = Boolean(this.route.id && this.upload);
		if (this.error && !showing) parts.push(this.errorLine());
		if (this.route.id && this.upload) {
			parts.push(this.uploadView(this.upload));
		} else if (!this.route.id) {
			parts.push(this.allowed().length ? this.form() : h('p', {class: 'note', id: 'upload-not-allowed'}, t('upload.notAllowed')));
			if (this.allowed().length) parts.push(h('p', {}, h('a', {href: this.ctx.href({name: 'edit'}), id: 'upload-draw', onclick: (e: Event) => {
				e.preventDefault();
				this.ctx.go({name: 'edit'});
			}}, t('upload.drawNew'))));
		}
		parts.push(this.historyView());
		const district = this.district();
		if (!this.route.id && district) parts.push(this.confirmSection.view(district), this.contactSection.view());
		replace(this.el, parts);
	}

	private errorLine(): HTMLElement {
		return h('p', {class: 'error', role: 'alert', id: 'upload-error', tabindex: -1}, this.error);
	}

	// --- the form -------------------------------------------------------------------------------

	private form(): HTMLElement {
		const allowed = this.allowed();
		const district = this.district();
		const districtSelect = h('select', {id: 'upload-district', name: 'district', required: true, disabled: allowed.length === 1},
			allowed.length > 1 ? h('option', {value: ''}, t('upload.district.choose')) : null,
			allowed.map((ags) => h('option', {value: ags, selected: ags === district}, `${label(codes('district'), ags)} (${ags})`)));
		districtSelect.addEventListener('change', () => {
			this.ctx.update((s) => (s.uploadDistrict = districtSelect.value));
			this.edits = {};
			this.defaultEdits = {};
			this.valueEdits = {};
			this.settled = Promise.all([this.loadMapping(districtSelect.value), this.loadHistory(districtSelect.value),
				this.confirmSection.load(districtSelect.value), this.contactSection.load(districtSelect.value)]).then(() => this.render());
		});
		const input = h('input', {id: 'upload-file', name: 'file', type: 'file', class: 'visually-hidden', multiple: true, tabindex: -1,
			accept: '.zip,.gpkg,.geojson,.json,.csv,.kml,.kmz,.gml,.fgb,.dxf,.shp,.shx,.dbf,.prj,.cpg'});
		input.addEventListener('change', () => void this.choose([...(input.files ?? [])]));
		const drop = h('label', {for: 'upload-file', class: 'dropzone', id: 'dropzone', tabindex: 0,
			onkeydown: (e: Event) => {
				const k = (e as KeyboardEvent).key;
				if (k === 'Enter' || k === ' ') {
					e.preventDefault();
					input.click();
				}
			}},
		h('strong', {}, this.file ? this.file.name : t('upload.drop')),
		h('span', {class: 'hint'}, this.file ? `${this.sniffed?.format ?? ''} · ${num(this.file.size / 1024, 0)} KB · ${t('upload.drop.other')}` : t('upload.drop.hint')));
		drop.addEventListener('dragover', (e) => {
			e.preventDefault();
			drop.classList.add('dragover');
		});
		drop.addEventListener('dragleave', () => drop.classList.remove('dragover'));
		drop.addEventListener('drop', (e) => {
			e.preventDefault();
			drop.classList.remove('dragover');
			void this.choose([...(e.dataTransfer?.files ?? [])]);
		});
		const mode = (value: 'upsert' | 'replace', key: MessageKey, hint: MessageKey) =>
			h('label', {class: 'check check-block'},
				h('input', {type: 'radio', name: 'mode', value, checked: this.mode === value, onchange: () => (this.mode = value)}),
				h('span', {}, h('strong', {}, t(key)), h('span', {class: 'hint'}, t(hint))));
		const needCRS = this.sniffed?.hasCRS === false;
		const crs = h('select', {id: 'upload-crs', name: 'crs', 'aria-describedby': 'upload-crs-hint'},
			h('option', {value: ''}, needCRS ? t('upload.crs.choose') : t('upload.crs.file')),
			this.crsChoices.map((c) => h('option', {value: c.code, selected: c.code === this.crs}, lang() === 'de' ? c.de : c.en)));
		crs.addEventListener('change', () => (this.crs = crs.value));
		const form = h('form', {class: 'work-form upload-form', id: 'upload-form', 'aria-labelledby': 'upload-title'},
			h('div', {class: 'field'}, h('label', {for: 'upload-district'}, t('upload.district')), districtSelect,
				allowed.length === 1 ? h('span', {class: 'hint'}, t('upload.district.own')) : null),
			h('div', {class: 'field'}, h('span', {class: 'field-label', id: 'upload-file-label'}, t('upload.file')), input, drop),
			h('fieldset', {class: 'radios'}, h('legend', {}, t('upload.mode')),
				mode('upsert', 'upload.mode.upsert', 'upload.mode.upsert.hint'),
				mode('replace', 'upload.mode.replace', 'upload.mode.replace.hint')),
			h('label', {class: 'check check-block'},
				h('input', {type: 'checkbox', id: 'upload-current', checked: this.current, onchange: (e: Event) => (this.current = (e.target as HTMLInputElement).checked)}),
				h('span', {}, h('strong', {}, t('publish.current')), h('span', {class: 'hint'}, t('publish.current.hint')))),
			h('div', {class: needCRS ? 'field field-attention' : 'field'}, h('label', {for: 'upload-crs'}, t('upload.crs')), crs,
				h('span', {class: 'hint', id: 'upload-crs-hint'}, needCRS ? (this.usualCRS[district] ? t('upload.crs.missing', {crs: this.usualCRS[district]}) : t('upload.crs.required')) : t('upload.crs.hint'))),
			district ? this.mappingEditor(district) : null,
			h('div', {class: 'button-row'},
				h('button', {type: 'submit', class: 'button button-primary', id: 'upload-send', disabled: this.sending || !this.file || !district},
					this.sending ? t('upload.sending') : t('upload.send'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			if (needCRS && !this.crs) {
				this.error = t('upload.crs.required');
				this.render();
				document.getElementById('upload-crs')?.focus();
				return;
			}
			this.settled = this.send();
		});
		return form;
	}

	/** choose takes the chosen or dropped files: one file, or the loose parts of a Shapefile, zipped here. */
	private async choose(files: File[]): Promise<void> {
		if (!files.length) return;
		let file = files[0];
		const shapeParts = files.filter((f) => /\.(shp|shx|dbf|prj|cpg)$/i.test(f.name));
		if (shapeParts.length > 1 || /\.shp$/i.test(file.name)) {
			if (!shapeParts.some((f) => /\.dbf$/i.test(f.name)) || !shapeParts.some((f) => /\.shx$/i.test(f.name))) {
				this.error = t('upload.shape.parts');
				this.render();
				return;
			}
			const base = shapeParts.find((f) => /\.shp$/i.test(f.name))?.name.replace(/\.shp$/i, '') ?? 'parcels';
			file = await zipStore(shapeParts, `${base}.zip`);
		}
		this.file = file;
		this.error = '';
		// Each new file starts as "only these parcels": replacing the district's data set is chosen per file.
		this.mode = 'upsert';
		this.current = false;
		this.sniffed = await sniff(file);
		// A file that names its CRS is read in it; one that does not gets the district's usual one to confirm.
		if (this.sniffed.hasCRS === true) this.crs = '';
		else if (this.sniffed.hasCRS === false && !this.crs) this.crs = this.usualCRS[this.district()] ?? '';
		this.render();
		document.getElementById('dropzone')?.focus();
	}

	/** mappingEditor lists the file's columns with the field each fills; changes are remembered per district. */
	private mappingEditor(district: string): HTMLElement {
		const fields = this.fields ?? [];
		const saved = this.saved.get(district) ?? {};
		const fromReport = this.lastColumns;
		const columns = [...new Set([...(this.sniffed?.columns ?? []), ...fromReport, ...Object.keys(saved.columns ?? {})])];
		const fieldName = (name: string) => {
			const f = fields.find((x) => x.name === name);
			return f ? (lang() === 'de' ? f.de : f.en) : name;
		};
		if (columns.length && JSON.stringify(columns) !== this.guessedFor) void this.guessColumns(columns);
		const guess = (col: string) => this.guesses.get(col) ?? '';
		const effective = (col: string) => {
			const v = this.edits[col] ?? saved.columns?.[col] ?? '';
			return v || guess(col);
		};
		const rows = columns.map((col, i) => {
			const current = this.edits[col] ?? saved.columns?.[col] ?? '';
			const auto = guess(col);
			const select = h('select', {id: `map-${i}`, 'data-column': col, 'aria-label': t('upload.mapping.for', {column: col})},
				h('option', {value: ''}, auto ? t('upload.mapping.auto', {field: fieldName(auto)}) : t('upload.mapping.none')),
				h('option', {value: '-', selected: current === '-'}, t('upload.mapping.ignore')),
				fields.map((f) => h('option', {value: f.name, selected: current === f.name}, `${lang() === 'de' ? f.de : f.en}${f.required ? ' *' : ''}`)));
			select.addEventListener('change', () => {
				this.edits[col] = select.value;
				this.render();
				document.querySelector<HTMLElement>(`select[data-column="${CSS.escape(col)}"]`)?.focus();
			});
			const unknown = !effective(col);
			return h('tr', {'data-column': col, class: unknown ? 'unmapped' : ''}, h('th', {scope: 'row'}, h('code', {}, col)), h('td', {}, select));
		});
		const covered = new Set(columns.map(effective).filter((x) => x && x !== '-'));
		const defaults = this.defaultsFor(saved);
		const missing = fields.filter((f) => f.required && !covered.has(f.name) && !(f.name in defaults));
		const defaultRows = this.defaultRows(fields, covered, defaults, fieldName);
		const valueRows = this.valueRows(fields, columns, effective, saved, fieldName);
		const pub = h('select', {id: 'upload-publication'},
			h('option', {value: ''}, t('upload.publication.keep')),
			h('option', {value: 'public', selected: (this.publication || saved.defaults?.publication) === 'public'}, t('upload.publication.public')),
			h('option', {value: 'internal', selected: (this.publication || saved.defaults?.publication) === 'internal'}, t('upload.publication.internal')));
		pub.addEventListener('change', () => (this.publication = pub.value));
		const remember = h('input', {type: 'checkbox', id: 'upload-remember', checked: this.remember});
		remember.addEventListener('change', () => (this.remember = remember.checked));
		return h('fieldset', {class: 'group mapping', id: 'mapping'},
			h('legend', {}, t('upload.mapping')),
			h('p', {class: 'hint'}, columns.length ? t('upload.mapping.hint') : t('upload.mapping.later')),
			columns.length ? h('table', {class: 'mapping-table'},
				h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('upload.mapping.column')), h('th', {scope: 'col'}, t('upload.mapping.field')))),
				h('tbody', {}, rows)) : null,
			columns.length && missing.length ? h('p', {class: 'warn', id: 'mapping-missing'}, t('upload.mapping.missing', {fields: missing.map((f) => fieldName(f.name)).join(', ')})) : null,
			defaultRows.length ? h('div', {class: 'mapping-defaults', id: 'mapping-defaults'}, h('h4', {}, t('mapping.defaults')), h('p', {class: 'hint'}, t('mapping.defaults.hint')),
				h('table', {class: 'mapping-table'}, h('tbody', {}, defaultRows))) : null,
			valueRows.length ? h('div', {class: 'mapping-values', id: 'mapping-values'}, h('h4', {}, t('mapping.values')), h('p', {class: 'hint'}, t('mapping.values.hint')),
				h('table', {class: 'mapping-table'}, h('tbody', {}, valueRows))) : null,
			h('div', {class: 'field'}, h('label', {for: 'upload-publication'}, t('upload.publication')), pub),
			h('label', {class: 'check'}, remember, h('span', {}, t('upload.mapping.remember', {district: label(codes('district'), district)}))));
	}

	/**
	 * guessColumns asks the server which field each column fills without a mapping: the upload's
	 * own rule, so the form shows what the upload will do. All columns go together, since a field
	 * one column fills is not guessed for another.
	 */
	private async guessColumns(columns: string[]): Promise<void> {
		const key = JSON.stringify(columns);
		this.guessedFor = key;
		try {
			const res = await this.ctx.api.send<{columns: {column: string; field: string}[]}>('/api/v1/uploads/guess-mapping', {method: 'POST', body: {columns}});
			if (this.guessedFor !== key) return;
			this.guesses = new Map(res.columns.map((c) => [c.column, c.field]));
		} catch {
			// Without the guess every column shows as not matched yet; the upload's report still says how it read them.
			if (this.guessedFor !== key) return;
			this.guesses = new Map();
		}
		this.render();
	}

	/** mappingFor is the saved mapping with the form's changes. */
	private mappingFor(district: string): Mapping {
		const saved = this.saved.get(district) ?? {};
		const columns: Record<string, string> = {...(saved.columns ?? {})};
		for (const [col, v] of Object.entries(this.edits)) {
			if (v) columns[col] = v;
			else delete columns[col];
		}
		const defaults = this.defaultsFor(saved);
		if (this.publication) defaults.publication = this.publication;
		const values: Record<string, Record<string, string>> = {};
		for (const [field, saved_] of Object.entries(saved.values ?? {})) values[field] = {...saved_};
		for (const [field, edits] of Object.entries(this.valueEdits)) {
			const v = (values[field] ??= {});
			for (const [value, code] of Object.entries(edits)) {
				if (code) v[value] = code;
				else delete v[value];
			}
			if (!Object.keys(v).length) delete values[field];
		}
		const m: Mapping = {};
		if (Object.keys(columns).length) m.columns = columns;
		if (Object.keys(values).length) m.values = values;
		if (Object.keys(defaults).length) m.defaults = defaults;
		return m;
	}

	/** defaultsFor is the saved defaults with the form's changes. */
	private defaultsFor(saved: Mapping): Record<string, unknown> {
		const defaults: Record<string, unknown> = {...(saved.defaults ?? {})};
		for (const [field, v] of Object.entries(this.defaultEdits)) {
			if (v) defaults[field] = v;
			else delete defaults[field];
		}
		return defaults;
	}

	/**
	 * defaultRows offer a value for all parcels of the file for each required field no column fills,
	 * and show the defaults set before (publication has its own choice below).
	 */
	private defaultRows(fields: FieldInfo[], covered: Set<string>, defaults: Record<string, unknown>, fieldName: (n: string) => string): HTMLElement[] {
		const shown = fields.filter((f) => f.name !== 'publication' && ((f.required && !covered.has(f.name)) || f.name in defaults));
		return shown.map((f) => {
			const current = defaults[f.name] === undefined ? '' : String(defaults[f.name]);
			const id = `default-${f.name}`;
			const control = f.codes?.length
				? h('select', {id, 'data-default': f.name},
					h('option', {value: ''}, t('mapping.defaults.none')),
					f.codes.map((c) => h('option', {value: c.value, selected: c.value === current}, lang() === 'de' ? c.de : c.en)))
				: h('input', {id, 'data-default': f.name, type: 'text', value: current});
			control.addEventListener('change', () => {
				this.defaultEdits[f.name] = (control as HTMLInputElement | HTMLSelectElement).value;
				this.render();
				document.getElementById(id)?.focus();
			});
			return h('tr', {'data-field': f.name}, h('th', {scope: 'row'}, h('label', {for: id}, `${fieldName(f.name)}${f.required ? ' *' : ''}`)), h('td', {}, control));
		});
	}

	/** valueRows map the values the file's code columns hold (as far as the browser can read them) to codes. */
	private valueRows(fields: FieldInfo[], columns: string[], effective: (col: string) => string, saved: Mapping, fieldName: (n: string) => string): HTMLElement[] {
		const rows: HTMLElement[] = [];
		for (const col of columns) {
			const f = fields.find((x) => x.name === effective(col));
			const codes = new Set((f?.codes ?? []).map((c) => c.value.toLowerCase()));
			const values = (this.sniffed?.values?.[col] ?? []).filter((v) => !codes.has(v.toLowerCase()));
			if (!f?.codes?.length || !values.length) continue;
			values.forEach((value, i) => {
				const current = this.valueEdits[f.name]?.[value] ?? saved.values?.[f.name]?.[value] ?? '';
				const id = `value-${f.name}-${i}`;
				const select = h('select', {id, 'data-field': f.name, 'data-value': value},
					h('option', {value: ''}, t('mapping.values.auto')),
					f.codes!.map((c) => h('option', {value: c.value, selected: c.value === current}, `${c.value} – ${lang() === 'de' ? c.de : c.en}`)));
				select.addEventListener('change', () => {
					(this.valueEdits[f.name] ??= {})[value] = select.value;
					this.render();
					document.getElementById(id)?.focus();
				});
				rows.push(h('tr', {'data-field': f.name, 'data-value': value},
					h('th', {scope: 'row'}, h('label', {for: id}, `${fieldName(f.name)}: „${value}“`)), h('td', {}, select)));
			});
		}
		return rows;
	}

	/** send remembers the mapping (if asked), uploads the file and follows its check. */
	private async send(): Promise<void> {
		const district = this.district();
		if (!this.file || !district) return;
		this.sending = true;
		this.error = '';
		this.notice = '';
		this.render();
		const api = this.ctx.api;
		const mapping = this.mappingFor(district);
		try {
			const saved = this.saved.get(district) ?? {};
			if (this.remember && JSON.stringify(mapping) !== JSON.stringify(saved)) {
				this.saved.set(district, await api.send<Mapping>(`/api/v1/districts/${district}/mapping`, {method: 'PUT', body: mapping}));
				this.edits = {};
				this.defaultEdits = {};
				this.valueEdits = {};
				this.publication = '';
			}
			const fd = new FormData();
			fd.set('district', district);
			fd.set('mode', this.mode);
			if (this.current) fd.set('confirm_unchanged', 'true');
			if (this.crs) fd.set('crs', this.crs);
			if (!this.remember && Object.keys(mapping).length) fd.set('mapping', JSON.stringify(mapping));
			fd.set('file', this.file, this.file.name);
			const up = await api.send<Upload>('/api/v1/uploads', {method: 'POST', body: fd});
			this.sending = false;
			this.mode = 'upsert';
			this.current = false;
			this.upload = up;
			this.loadedId = String(up.id);
			this.changes = null;
			this.ctx.go({name: 'upload', id: String(up.id)});
		} catch (e) {
			this.sending = false;
			this.error = uploadError(e);
			this.render();
		}
	}

	// --- an upload: progress, report, preview, publish --------------------------------------------

	private uploadView(u: Upload): HTMLElement {
		const mine = this.allowed().includes(u.district);
		const p = u.progress;
		const total = p.total ?? 0;
		const progress = busy(u.status)
			? h('div', {class: 'progress-box'},
				h('label', {for: 'upload-progress'}, t(`upload.phase.${u.status}` as MessageKey)),
				h('progress', {id: 'upload-progress', max: total || undefined, value: total ? p.validated : undefined, 'aria-valuetext': t('upload.progress', {read: num(p.read, 0), validated: num(p.validated, 0)})}),
				h('span', {class: 'hint'}, t('upload.progress', {read: num(p.read, 0), validated: num(p.validated, 0)})))
			: null;
		return h('div', {class: 'upload-view', id: 'upload-view', 'data-status': u.status, 'data-upload': u.id},
			h('h3', {}, t('upload.item', {id: u.id, file: u.filename})),
			h('p', {class: 'upload-meta'}, `${u.district_name} (${u.district}) · ${t(u.mode === 'replace' ? 'upload.mode.replace' : 'upload.mode.upsert')} · ${t('upload.by', {who: u.by, date: date(u.created_at)})}`),
			h('p', {class: `upload-status status-${u.status}`, id: 'upload-status', role: 'status'}, this.statusText(u), u.message ? ` – ${u.message}` : ''),
			!mine ? h('p', {class: 'note', id: 'upload-foreign'}, this.allowed().length
				? t('upload.foreign', {district: u.district_name, own: this.allowed().map((a) => label(codes('district'), a)).join(', ')})
				: t('upload.readonly', {district: u.district_name})) : null,
			progress,
			this.notice ? h('p', {class: 'note'}, this.notice) : null,
			u.report ? reportView(u, this.changes, (f) => this.locate(f), u.status === 'invalid' || u.status === 'failed' ? this.fixBox(u, u.report.by_rule.some((b) => b.rule === 'crs.missing')) : null,
				(i) => this.chooseCRS(u, i.suggest ?? '')) : null,
			u.preview && (u.status === 'ready' || u.status === 'applied' || (u.preview.new + u.preview.changed + u.preview.ended > 0)) ? previewView(u, this.changes, (f) => this.locate(f)) : null,
			this.actions(u),
			h('p', {}, h('a', {href: this.ctx.href({name: 'upload'}), id: 'upload-new', onclick: (e: Event) => {
				e.preventDefault();
				this.ctx.go({name: 'upload'});
			}}, t('upload.new'))));
	}

	/** chooseCRS takes the CRS the server found the coordinates fit and checks the same file again with it. */
	private chooseCRS(u: Upload, crs: string): void {
		if (!crs) return;
		this.crs = crs;
		this.mode = u.mode;
		if (this.file) {
			this.settled = this.send();
			return;
		}
		this.notice = t('publish.crs.form', {crs});
		this.ctx.go({name: 'upload'});
	}

	/** fixBox says how to go on after errors: check the same file again with another CRS or mapping, or choose the corrected file. */
	private fixBox(u: Upload, crsMissing: boolean): HTMLElement {
		const again = this.file !== null;
		return h('div', {class: 'fix-box', id: 'fix-box'},
			h('p', {}, t('upload.fix')),
			h('div', {class: 'button-row'},
				h('button', {type: 'button', class: 'button button-primary', id: 'upload-fixed', onclick: () => {
					const suggested = u.report?.issues.find((i) => i.rule.startsWith('crs.') && i.suggest)?.suggest;
					this.crs = suggested ?? (crsMissing && !this.crs ? this.usualCRS[u.district] ?? '' : this.crs);
					this.ctx.go({name: 'upload'});
				}}, again ? t('upload.fix.again') : t('upload.fix.file'))));
	}

	private locate(f: GeoJSON.Feature): void {
		if (!f.geometry) return;
		this.ctx.map().showGeometry(f.geometry, {force: true, maxZoom: 16});
		void this.ctx.map().select(f.geometry);
		announce(t('upload.located', {n: String(f.properties?.feature ?? '')}));
	}

	private actions(u: Upload): HTMLElement | null {
		const error = this.error ? this.errorLine() : null;
		if (u.status === 'applied') {
			const mine = this.allowed().includes(u.district);
			return h('div', {class: 'applied', id: 'upload-applied', role: 'status'},
				error,
				this.notice ? null : h('p', {class: 'ok'}, t('upload.applied', {date: date(u.applied_at ?? u.updated_at)})),
				u.reverted_by ? h('p', {class: 'note', id: 'upload-reverted'}, t('publish.reverted', {id: u.reverted_by})) : null,
				h('div', {class: 'button-row'},
					h('button', {type: 'button', class: 'button', onclick: () => this.ctx.go({name: 'map'})}, t('upload.toMap')),
					mine && u.links.some((l) => l.rel === 'revert')
						? h('button', {type: 'button', class: 'button', id: 'upload-revert', onclick: () => void this.revertDialog(u)}, t('publish.revert')) : null));
		}
		if (u.status !== 'ready' && u.status !== 'invalid') return error;
		const canApply = u.links.some((l) => l.rel === 'apply');
		const p = u.preview;
		if (canApply && p && p.new + p.changed + p.ended === 0 && !(u.confirms_unchanged && p.unchanged > 0)) {
			return h('div', {class: 'publish', id: 'publish'}, error,
				h('p', {class: 'ok', id: 'publish-nothing'}, t('publish.nothing')),
				h('div', {class: 'button-row'},
					h('button', {type: 'button', class: 'button', id: 'upload-repreview', onclick: () => void this.repreview(u)}, t('upload.repreview'))));
		}
		return h('div', {class: 'publish', id: 'publish'},
			error,
			canApply ? h('p', {}, t('upload.publish.hint')) : h('p', {class: 'hint'}, t('upload.publish.blocked')),
			h('div', {class: 'button-row'},
				h('button', {type: 'button', class: 'button button-primary', id: 'upload-publish', disabled: !canApply || this.applying, onclick: () => this.confirm(u)},
					this.applying ? t('upload.publishing') : t('upload.publish')),
				h('button', {type: 'button', class: 'button', id: 'upload-repreview', onclick: () => void this.repreview(u)}, t('upload.repreview'))));
	}

	/** confirm asks once before publishing, naming what will change; many endings get the danger confirmation. */
	private confirm(u: Upload): void {
		const p = u.preview;
		if (p?.confirm_ended_required) {
			this.dangerConfirm(u);
			return;
		}
		const dialog = h('dialog', {class: 'dialog', id: 'publish-dialog', 'aria-labelledby': 'publish-title', 'aria-describedby': 'publish-text'});
		const close = () => {
			dialog.close();
			dialog.remove();
			document.getElementById('upload-publish')?.focus();
		};
		replace(dialog, h('form', {method: 'dialog', class: 'dialog-form'},
			h('h2', {id: 'publish-title'}, t('upload.confirm.title')),
			h('p', {id: 'publish-text'}, t('upload.confirm.text', {district: u.district_name, new: num(p?.new ?? 0, 0), changed: num(p?.changed ?? 0, 0), ended: num(p?.ended ?? 0, 0)})),
			h('div', {class: 'dialog-actions'},
				h('button', {type: 'button', class: 'button', onclick: close}, t('dialog.cancel')),
				h('button', {type: 'button', class: 'button button-primary', id: 'publish-confirm', onclick: () => {
					close();
					this.settled = this.apply(u);
				}}, t('upload.confirm.yes')))));
		dialog.addEventListener('cancel', () => dialog.remove());
		document.body.append(dialog);
		dialog.showModal();
		dialog.querySelector<HTMLElement>('#publish-confirm')?.focus();
	}

	/**
	 * dangerConfirm is the confirmation of a publication that ends many parcels: it names the
	 * count, lists examples and publishes only once the number is typed; the server checks it again.
	 */
	private dangerConfirm(u: Upload): void {
		const p = u.preview!;
		const dialog = h('dialog', {class: 'dialog dialog-danger', id: 'danger-dialog', 'aria-labelledby': 'danger-title', 'aria-describedby': 'danger-text'});
		const close = () => {
			dialog.close();
			dialog.remove();
			document.getElementById('upload-publish')?.focus();
		};
		const yes = h('button', {type: 'button', class: 'button button-danger', id: 'danger-confirm', disabled: true, onclick: () => {
			close();
			this.settled = this.apply(u, p.ended);
		}}, t('publish.danger.yes', {n: num(p.ended, 0)}));
		const typed = h('input', {type: 'text', inputmode: 'numeric', id: 'danger-count', autocomplete: 'off', 'aria-describedby': 'danger-type'});
		typed.addEventListener('input', () => (yes.disabled = typed.value.trim() !== String(p.ended)));
		const share = p.district_current ? num((100 * p.ended) / p.district_current, 0) : '100';
		const examples = p.ended_parcels.slice(0, 10);
		replace(dialog, h('form', {method: 'dialog', class: 'dialog-form'},
			h('h2', {id: 'danger-title'}, t('publish.danger.title', {n: num(p.ended, 0)})),
			h('p', {id: 'danger-text'}, t('publish.danger.text', {n: num(p.ended, 0), current: num(p.district_current ?? 0, 0), district: u.district_name, share})),
			h('ul', {class: 'danger-examples', id: 'danger-examples'}, examples.map((e) => h('li', {'data-external-id': e.external_id}, `${e.name || e.external_id} (${e.external_id})`)),
				p.ended > examples.length ? h('li', {class: 'hint'}, t('publish.danger.more', {n: num(p.ended - examples.length, 0)})) : null),
			h('label', {for: 'danger-count', id: 'danger-type'}, t('publish.danger.type', {n: p.ended})), ' ', typed,
			h('div', {class: 'dialog-actions'},
				h('button', {type: 'button', class: 'button', id: 'danger-cancel', onclick: close}, t('dialog.cancel')), yes)));
		dialog.addEventListener('cancel', () => dialog.remove());
		document.body.append(dialog);
		dialog.showModal();
		typed.focus();
	}

	/** revertDialog shows what undoing a publication would change and undoes it when confirmed. */
	private async revertDialog(u: Upload): Promise<void> {
		const dialog = h('dialog', {class: 'dialog', id: 'revert-dialog', 'aria-labelledby': 'revert-title'});
		const close = () => {
			dialog.close();
			dialog.remove();
		};
		replace(dialog, h('div', {class: 'dialog-form'}, h('p', {role: 'status'}, t('publish.revert.loading'))));
		dialog.addEventListener('cancel', () => dialog.remove());
		document.body.append(dialog);
		dialog.showModal();
		let plan: RevertPlan;
		try {
			plan = await this.ctx.api.json<RevertPlan>(`/api/v1/uploads/${u.id}/revert`);
		} catch (e) {
			replace(dialog, h('div', {class: 'dialog-form'}, h('p', {class: 'error', role: 'alert', id: 'revert-error'}, uploadError(e)),
				h('div', {class: 'dialog-actions'}, h('button', {type: 'button', class: 'button', onclick: close}, t('dialog.cancel')))));
			return;
		}
		const p = plan.preview;
		const group = (key: MessageKey, kind: string, refs: {external_id: string; name?: string}[], n: number) => n === 0 ? null :
			h('details', {class: `change-group change-${kind}`, 'data-kind': kind}, h('summary', {}, t(key, {n: num(n, 0)})),
				h('ul', {}, refs.map((r) => h('li', {'data-external-id': r.external_id}, `${r.name || r.external_id} (${r.external_id})`))));
		const blocked = plan.conflicts.length > 0;
		replace(dialog, h('form', {method: 'dialog', class: 'dialog-form'},
			h('h2', {id: 'revert-title'}, t('publish.revert.title', {id: u.id})),
			h('p', {id: 'revert-text', 'data-new': p.new, 'data-changed': p.changed, 'data-ended': p.ended},
				t('publish.revert.text', {new: num(p.new, 0), changed: num(p.changed, 0), ended: num(p.ended, 0)})),
			group('publish.revert.reopen', 'new', p.new_parcels, p.new),
			group('publish.revert.restore', 'changed', p.changed_parcels, p.changed),
			group('publish.revert.end', 'ended', p.ended_parcels, p.ended),
			blocked ? h('div', {class: 'revert-conflicts', id: 'revert-conflicts'}, h('p', {}, t('publish.revert.conflicts')),
				h('ul', {}, plan.conflicts.map((c) => h('li', {'data-upload': c.upload_id ?? ''}, t('publish.revert.conflict', {
					what: c.upload_id ? `#${c.upload_id}${c.filename ? ` ${c.filename}` : ''}` : t('publish.revert.noUpload'),
					by: c.by, date: date(c.at), n: num(c.parcels, 0)}))))) : null,
			h('div', {class: 'dialog-actions'},
				h('button', {type: 'button', class: 'button', onclick: close}, t('dialog.cancel')),
				h('button', {type: 'button', class: 'button button-primary', id: 'revert-confirm', disabled: blocked, onclick: () => {
					close();
					this.settled = this.revert(u);
				}}, t('publish.revert.yes')))));
		dialog.querySelector<HTMLElement>(blocked ? 'button' : '#revert-confirm')?.focus();
	}

	private async revert(u: Upload): Promise<void> {
		this.error = '';
		this.notice = '';
		try {
			const r = await this.ctx.api.send<Upload>(`/api/v1/uploads/${u.id}/revert`, {method: 'POST'});
			if (this.upload?.id === u.id) this.upload = await this.ctx.api.json<Upload>(`/api/v1/uploads/${u.id}`);
			this.notice = t('publish.revert.done', {id: u.id, revert: r.id});
			await this.loadHistory(u.district);
			this.render();
			announce(this.notice);
			await this.ctx.map().refreshTiles();
		} catch (e) {
			this.error = uploadError(e);
			this.render();
			document.getElementById('upload-error')?.focus();
		}
	}

	private async apply(u: Upload, confirmEnded = 0): Promise<void> {
		this.applying = true;
		this.error = '';
		this.render();
		try {
			const params = confirmEnded ? {confirm_ended: confirmEnded} : undefined;
			this.upload = await this.ctx.api.send<Upload>(`/api/v1/uploads/${u.id}/apply`, {method: 'POST', params});
			this.applying = false;
			await this.loadHistory(u.district);
			this.render();
			announce(t('upload.applied', {date: date(this.upload.applied_at ?? '')}));
			// The published parcels are in the tiles now: a new data version, so new tile URLs.
			await this.ctx.map().refreshTiles();
			document.getElementById('upload-applied')?.focus();
		} catch (e) {
			this.applying = false;
			this.error = e instanceof ApiError && e.status === 409 ? t('upload.conflict', {msg: e.message})
				: e instanceof ApiError && e.status === 403 ? t('upload.forbidden', {msg: e.message}) : uploadError(e);
			this.render();
			document.getElementById('upload-error')?.focus();
		}
	}

	/** repreview compares the upload again with the district's current parcels (after a 409). */
	private async repreview(u: Upload): Promise<void> {
		this.error = '';
		try {
			this.upload = await this.ctx.api.send<Upload>(`/api/v1/uploads/${u.id}/preview`, {method: 'POST'});
			this.changes = null;
			this.settled = this.follow();
		} catch (e) {
			this.error = uploadError(e);
			this.render();
		}
	}

	// --- history -------------------------------------------------------------------------------

	private historyView(): HTMLElement | null {
		const district = this.upload?.district ?? this.district();
		if (!district) return null;
		return historyView(district, this.history, this.route.id ?? '', (id, text) => {
			const route: Route = {name: 'upload', id: String(id)};
			const a = h('a', {href: this.ctx.href(route), 'data-upload': id}, text);
			a.addEventListener('click', (e) => {
				if (e.metaKey || e.ctrlKey || e.shiftKey) return;
				e.preventDefault();
				this.ctx.go(route);
			});
			return a;
		}, (x) => this.allowed().includes(x.district) && x.links.some((l) => l.rel === 'revert')
			? h('button', {type: 'button', class: 'button link', 'data-revert': x.id, onclick: () => void this.revertDialog(x)}, t('publish.revert')) : null);
	}
}

/** uploadError is a failed request's message, with the field problems the server named. */
function uploadError(e: unknown): string {
	if (e instanceof ApiError) {
		const fields = Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join('; ');
		return fields ? `${e.message} (${fields})` : e.message;
	}
	return errorText(e);
}
