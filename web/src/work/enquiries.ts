// The enquiries page of the workspace (/enquiries, /enquiries/{id}): the list of the enquiries the
// account may see with filters, each enquiry's detail (contact, requirements, status pipeline,
// assignee, notes, timeline), the site search with its requirements, the shortlist across
// districts, proposal links with their views, the message list of the outbox, and the demand
// statistics (planners and admins) beside the study's trend forecast.
import {ApiError} from '../api.ts';
import {saveFile} from '../export.ts';
import {codes} from '../catalog.ts';
import {announce, h, replace} from '../dom.ts';
import {date, ha, label, lang, num, t, type MessageKey} from '../i18n.ts';
import type {Route} from '../state.ts';
import {enquiryForm, type EnquiryForm} from '../ui/enquiry.ts';
import {errorText, type WorkContext, type WorkPage} from './context.ts';

interface Requirements {
	sector: string;
	use_types: string[];
	min_net_ha: number | null;
	max_net_ha: number | null;
	timing: string;
	jobs: number | null;
	investment_meur: number | null;
	max_motorway_km: number | null;
	rail_siding: boolean;
}

interface Enquiry {
	id: number;
	reference: string;
	received_at: string;
	channel: string;
	lang: string;
	status: string;
	lost_reason?: string;
	assignee_id: number | null;
	assignee?: string;
	requirements: Requirements;
	personal: {company: string; contact_name: string; email: string; phone: string; message: string} | null;
	personal_erased_at?: string;
	parcel_ids: number[];
	site_ids: number[];
	districts: string[];
}

interface Item {
	id: number;
	kind: 'parcel' | 'site' | 'large_site';
	item_id: number;
	member_ids?: number[];
	position: number;
	note: string;
	name: string;
	districts: string[];
	net_area_ha: number;
	public: boolean;
}

interface Proposal {
	id: number;
	created_at: string;
	expires_at: string;
	revoked_at?: string;
	first_viewed_at?: string;
	last_viewed_at?: string;
	views: number;
	created_by: string;
}

interface Detail extends Enquiry {
	timeline: {at: string; account: string; kind: string; detail: Record<string, unknown>}[];
	shortlist: Item[];
	proposals: Proposal[];
}

interface Outcome {
	id?: number;
	member_ids?: number[];
	name: string;
	district_names: string[];
	net_area_ha: number;
	rank?: number;
	explanation: {de: string; en: string};
}

interface SearchAnswer {
	search: {parcels: {total: number; items: Outcome[]}; large_sites?: {total: number; items: Outcome[]}; excluded: {by_reason?: Record<string, number>}};
}

interface Count {value: string; enquiries: number; ha: number}

interface Year {
	year: number;
	enquiries: number;
	ha: number;
	by: Record<string, Count[]>;
	unmet: {enquiries: number; ha: number; by_reason: Count[]; list: {id: number; reference: string; ha: number; top_reason: string}[]};
}

interface Message {
	id: number;
	created_at: string;
	kind: string;
	recipient_name: string;
	to_address?: string;
	subject: string;
	body: string;
	enquiry_id?: number;
	sent_at?: string;
}

/** Trend is the part of the study's balance (GET /api/v1/study/balance) shown beside the enquiries. */
interface Trend {
	target_year: number;
	years: number;
	total: {trend_demand_ha: number};
}

type Tab = 'list' | 'messages' | 'stats' | 'privacy';

const statusOrder = ['new', 'in_progress', 'offer_sent', 'site_visit', 'won', 'lost', 'withdrawn'];

export class EnquiriesPage implements WorkPage {
	private el: HTMLElement;
	private tab: Tab = 'list';
	private id: string | undefined;
	private filters = {status: '', district: '', year: '', open: false};
	private form: EnquiryForm | null = null;
	private detail: Detail | null = null;
	private search: SearchAnswer | null = null;
	private proposalUrl = '';
	private error = '';
	settled: Promise<void> = Promise.resolve();

	constructor(root: HTMLElement, private ctx: WorkContext) {
		this.el = h('section', {class: 'work-page enquiries-page', id: 'enquiries-page', hidden: true, 'aria-labelledby': 'enquiries-title'});
		root.append(this.el);
	}

	show(route: Route): void {
		if (route.name !== 'enquiries') return;
		this.el.hidden = false;
		if (route.id !== this.id) {
			this.search = null;
			this.proposalUrl = '';
		}
		this.id = route.id;
		this.settled = this.load();
	}

	hide(): void {
		this.el.hidden = true;
	}

	rerender(): void {
		this.settled = this.load();
	}

	private label(codes: 'sectors' | 'timings' | 'statuses' | 'channels', v: string): string {
		return this.form ? label(this.form[codes].codes, v) : v;
	}

	private async load(): Promise<void> {
		this.error = '';
		replace(this.el, h('h2', {id: 'enquiries-title', tabindex: -1}, t('enq.title')), h('p', {class: 'muted'}, t('enq.loading')));
		try {
			this.form = await enquiryForm(this.ctx.api);
			if (this.id) {
				this.detail = await this.ctx.api.json<Detail>(`/api/v1/enquiries/${this.id}`);
				this.renderDetail();
				return;
			}
			if (this.tab === 'messages') {
				const m = await this.ctx.api.json<{messages: Message[]}>('/api/v1/enquiries/messages');
				this.renderMessages(m.messages);
			} else if (this.tab === 'privacy') {
				this.renderPrivacy();
			} else if (this.tab === 'stats') {
				const s = await this.ctx.api.json<{years: Year[]}>('/api/v1/enquiries/stats');
				const balance = await this.ctx.api.json<{balance: Trend}>('/api/v1/study/balance').catch(() => null);
				this.renderStats(s.years, balance?.balance ?? null);
			} else {
				const list = await this.ctx.api.json<{enquiries: Enquiry[]}>('/api/v1/enquiries', {
					status: this.filters.status, district: this.filters.district, year: this.filters.year, open: this.filters.open ? 'true' : undefined,
				});
				this.renderList(list.enquiries);
			}
		} catch (e) {
			this.error = errorText(e);
			replace(this.el, h('h2', {id: 'enquiries-title', tabindex: -1}, t('enq.title')), h('p', {class: 'error', role: 'alert'}, t('enq.error', {msg: this.error})));
		}
	}

	private head(): HTMLElement[] {
		const session = this.ctx.session();
		const planner = session?.role === 'planner' || session?.role === 'admin';
		const tab = (name: Tab, key: MessageKey) => h('button', {type: 'button', class: `tab${this.tab === name && !this.id ? ' active' : ''}`, 'data-tab': name,
			'aria-pressed': this.tab === name && !this.id ? 'true' : 'false', onclick: () => {
				this.tab = name;
				if (this.id) this.ctx.go({name: 'enquiries'});
				else this.settled = this.load();
			}}, t(key));
		return [
			h('h2', {id: 'enquiries-title', tabindex: -1}, t('enq.title')),
			h('div', {class: 'tabs', role: 'group'}, tab('list', 'enq.tab.list'), tab('messages', 'enq.tab.messages'), planner ? tab('stats', 'enq.tab.stats') : null,
				session?.role === 'admin' ? tab('privacy', 'enq.tab.privacy') : null),
		];
	}

	// --- list ------------------------------------------------------------------------------------

	private renderList(list: Enquiry[]): void {
		const session = this.ctx.session();
		const planner = session?.role === 'planner' || session?.role === 'admin';
		const statusSelect = h('select', {id: 'enq-filter-status', onchange: (e: Event) => this.setFilter('status', (e.target as HTMLSelectElement).value)},
			h('option', {value: ''}, t('enq.any')),
			(this.form?.statuses.codes ?? []).map((c) => h('option', {value: c.value, selected: c.value === this.filters.status}, c[lang()])));
		const districtSelect = h('select', {id: 'enq-filter-district', onchange: (e: Event) => this.setFilter('district', (e.target as HTMLSelectElement).value)},
			h('option', {value: ''}, t('enq.any')),
			codes('district').map((c) => h('option', {value: c.value, selected: c.value === this.filters.district}, c[lang()])));
		const year = h('input', {id: 'enq-filter-year', type: 'number', min: 2000, max: 2200, value: this.filters.year, onchange: (e: Event) => this.setFilter('year', (e.target as HTMLInputElement).value)});
		const open = h('input', {id: 'enq-filter-open', type: 'checkbox', checked: this.filters.open, onchange: (e: Event) => {
			this.filters.open = (e.target as HTMLInputElement).checked;
			this.settled = this.load();
		}});
		replace(this.el, ...this.head(),
			h('div', {class: 'enq-filters'},
				h('div', {class: 'field'}, h('label', {for: 'enq-filter-status'}, t('enq.filter.status')), statusSelect),
				h('div', {class: 'field'}, h('label', {for: 'enq-filter-district'}, t('enq.filter.district')), districtSelect),
				h('div', {class: 'field'}, h('label', {for: 'enq-filter-year'}, t('enq.filter.year')), year),
				h('label', {class: 'check'}, open, t('enq.filter.open'))),
			planner ? this.newForm() : null,
			list.length === 0 ? h('p', {class: 'muted', id: 'enq-empty'}, t('enq.none')) : h('ol', {class: 'enq-list', id: 'enq-list'}, list.map((e) => {
				const a = h('a', {href: this.ctx.href({name: 'enquiries', id: String(e.id)}), class: 'enq-row', 'data-reference': e.reference},
					h('span', {class: 'enq-ref'}, e.reference),
					h('span', {class: 'badge', 'data-status': e.status}, this.label('statuses', e.status)),
					h('span', {class: 'enq-meta'}, [date(e.received_at), this.label('sectors', e.requirements.sector), area(e.requirements),
						e.districts.length ? e.districts.map((d) => label(codes('district'), d)).join(', ') : t('enq.region')].filter(Boolean).join(' · ')));
				a.addEventListener('click', (ev) => {
					if (ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
					ev.preventDefault();
					this.ctx.go({name: 'enquiries', id: String(e.id)});
				});
				return h('li', {}, a);
			})));
	}

	private setFilter(name: 'status' | 'district' | 'year', v: string): void {
		this.filters[name] = v;
		this.settled = this.load();
	}

	/** newForm records an enquiry by hand (a phone call): requirements first, contact optional. */
	private newForm(): HTMLElement {
		const f = this.form!;
		const sector = h('select', {id: 'enq-new-sector'}, f.sectors.codes.map((c) => h('option', {value: c.value}, c[lang()])));
		const timing = h('select', {id: 'enq-new-timing'}, f.timings.codes.map((c) => h('option', {value: c.value, selected: c.value === 'open'}, c[lang()])));
		const min = h('input', {id: 'enq-new-min', type: 'number', min: 0, step: 'any'});
		const company = h('input', {id: 'enq-new-company', type: 'text', maxlength: f.limits.short});
		const email = h('input', {id: 'enq-new-email', type: 'email', maxlength: f.limits.short});
		const status = h('p', {class: 'error', role: 'alert'});
		const form = h('form', {class: 'enq-new', id: 'enq-new'},
			h('div', {class: 'field'}, h('label', {for: 'enq-new-sector'}, t('enquiry.sector')), sector),
			h('div', {class: 'field'}, h('label', {for: 'enq-new-min'}, t('enquiry.area')), min),
			h('div', {class: 'field'}, h('label', {for: 'enq-new-timing'}, t('enquiry.timing')), timing),
			h('div', {class: 'field'}, h('label', {for: 'enq-new-company'}, t('enquiry.company')), company),
			h('div', {class: 'field'}, h('label', {for: 'enq-new-email'}, t('enquiry.email')), email),
			status,
			h('button', {type: 'submit', class: 'button'}, t('enq.new')));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			const body = {channel: 'phone', sector: sector.value, timing: timing.value, min_net_ha: min.value ? Number(min.value) : null,
				company: company.value, email: email.value, lang: lang()};
			this.ctx.api.send<Enquiry>('/api/v1/enquiries', {method: 'POST', body}).then(
				(en) => this.ctx.go({name: 'enquiries', id: String(en.id)}),
				(err) => (status.textContent = fieldsText(err)));
		});
		return h('details', {class: 'enq-new-box'}, h('summary', {}, t('enq.new')), form);
	}

	// --- detail ----------------------------------------------------------------------------------

	private async act(path: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<void> {
		try {
			this.detail = await this.ctx.api.send<Detail>(`/api/v1/enquiries/${this.id}${path}`, {method, body});
			this.renderDetail();
		} catch (e) {
			announce(fieldsText(e));
			const err = this.el.querySelector('#enq-action-error');
			if (err) err.textContent = fieldsText(e);
		}
	}

	private renderDetail(): void {
		const d = this.detail!;
		const r = d.requirements;
		const back = h('a', {href: this.ctx.href({name: 'enquiries'}), id: 'enq-back', onclick: (e: Event) => {
			e.preventDefault();
			this.ctx.go({name: 'enquiries'});
		}}, t('enq.back'));
		const facts: [string, string][] = [
			[t('enq.received'), date(d.received_at)],
			[t('enq.channel'), this.label('channels', d.channel)],
			[t('enq.districts'), d.districts.length ? d.districts.map((x) => label(codes('district'), x)).join(', ') : t('enq.region')],
			[t('enquiry.sector'), this.label('sectors', r.sector)],
			[t('enquiry.area'), area(r) || '–'],
			[t('enquiry.use'), r.use_types.length ? r.use_types.map((u) => label(codes('use_type'), u)).join(', ') : '–'],
			[t('enquiry.timing'), this.label('timings', r.timing)],
			[t('enquiry.jobs'), r.jobs != null ? num(r.jobs, 0) : '–'],
			[t('enquiry.investment'), r.investment_meur != null ? num(r.investment_meur, 1) : '–'],
		];
		const personal = d.personal
			? dl([[t('enquiry.company'), d.personal.company], [t('enquiry.contact'), d.personal.contact_name], [t('enquiry.email'), d.personal.email],
				[t('enquiry.phone'), d.personal.phone], [t('enquiry.message'), d.personal.message]].filter(([, v]) => v) as [string, string][])
			: h('p', {class: 'muted'}, d.personal_erased_at ? t('enq.personal.erased') : t('enq.personal.hidden'));
		replace(this.el, ...this.head(), back,
			h('h3', {id: 'enq-reference', 'data-reference': d.reference}, d.reference, ' ', h('span', {class: 'badge', id: 'enq-status', 'data-status': d.status}, this.label('statuses', d.status))),
			d.lost_reason ? h('p', {class: 'muted'}, d.lost_reason) : null,
			h('p', {class: 'error', id: 'enq-action-error', role: 'alert'}),
			h('section', {class: 'enq-section', id: 'enq-personal'}, h('h4', {}, t('enq.personal')), personal),
			h('section', {class: 'enq-section', id: 'enq-requirements'}, h('h4', {}, t('enq.requirements')), dl(facts)),
			this.statusForm(d),
			this.assigneeForm(d),
			this.searchSection(),
			this.shortlistSection(d),
			this.proposalSection(d),
			this.notesSection(),
			h('section', {class: 'enq-section', id: 'enq-timeline'}, h('h4', {}, t('enq.timeline')),
				h('ol', {class: 'enq-timeline'}, d.timeline.map((e) => h('li', {'data-kind': e.kind},
					h('time', {datetime: e.at}, new Date(e.at).toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB')), ' ',
					e.account ? h('strong', {}, e.account, ': ') : null, this.eventText(e))))));
	}

	private eventText(e: Detail['timeline'][number]): string {
		const x = e.detail;
		switch (e.kind) {
		case 'status': return t('enq.event.status', {from: this.label('statuses', String(x.from)), to: this.label('statuses', String(x.to))}) + (x.lost_reason ? ` (${x.lost_reason})` : '');
		case 'assigned': return t('enq.event.assigned', {who: String(x.assignee || t('enq.assignee.none'))});
		case 'note': return `${t('enq.event.note')}: ${x.text ?? '–'}`;
		default: {
			const key = `enq.event.${e.kind}` as MessageKey;
			return t(key);
		}
		}
	}

	private statusForm(d: Detail): HTMLElement {
		const select = h('select', {id: 'enq-status-select'}, statusOrder.filter((s) => s !== d.status).map((s) => h('option', {value: s}, this.label('statuses', s))));
		const reason = h('input', {id: 'enq-lost-reason', type: 'text', maxlength: 500});
		const form = h('form', {class: 'enq-inline', id: 'enq-status-form'},
			h('div', {class: 'field'}, h('label', {for: 'enq-status-select'}, t('enq.status.set')), select),
			h('div', {class: 'field'}, h('label', {for: 'enq-lost-reason'}, t('enq.lostReason')), reason),
			h('button', {type: 'submit', class: 'button', id: 'enq-status-save'}, t('enq.save')));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.act('/status', {status: select.value, lost_reason: reason.value});
		});
		return h('section', {class: 'enq-section'}, form);
	}

	private assigneeForm(d: Detail): HTMLElement {
		const select = h('select', {id: 'enq-assignee'}, h('option', {value: ''}, t('enq.assignee.none')));
		void this.ctx.api.json<{assignees: {id: number; label: string}[]}>('/api/v1/enquiries/assignees').then((a) => {
			for (const x of a.assignees) select.append(h('option', {value: String(x.id), selected: x.id === d.assignee_id}, x.label));
		}, () => {});
		const form = h('form', {class: 'enq-inline', id: 'enq-assignee-form'},
			h('div', {class: 'field'}, h('label', {for: 'enq-assignee'}, t('enq.assignee')), select),
			h('button', {type: 'submit', class: 'button'}, t('enq.save')));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.act('/assignee', {assignee_id: select.value ? Number(select.value) : null});
		});
		return h('section', {class: 'enq-section'}, form);
	}

	private notesSection(): HTMLElement {
		const text = h('textarea', {id: 'enq-note', rows: 2, maxlength: 4000});
		const form = h('form', {class: 'enq-note-form', id: 'enq-note-form'},
			h('div', {class: 'field'}, h('label', {for: 'enq-note'}, t('enq.note')), text),
			h('button', {type: 'submit', class: 'button'}, t('enq.note.add')));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.act('/notes', {text: text.value});
		});
		return h('section', {class: 'enq-section'}, form);
	}

	private searchSection(): HTMLElement {
		const run = h('button', {type: 'button', class: 'button button-primary', id: 'enq-search', onclick: () => {
			this.settled = this.ctx.api.json<SearchAnswer>(`/api/v1/enquiries/${this.id}/search`).then((s) => {
				this.search = s;
				this.renderDetail();
				this.showOnMap();
			}, (e) => announce(errorText(e)));
		}}, t('enq.search'));
		const body: (HTMLElement | null)[] = [];
		if (this.search) {
			const s = this.search.search;
			const onList = new Set(this.detail!.shortlist.map((i) => `${i.kind}:${i.kind === 'large_site' ? i.member_ids?.join(',') : i.item_id}`));
			const top = Object.entries(s.excluded.by_reason ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '–';
			body.push(h('p', {id: 'enq-search-count', 'data-total': s.parcels.total}, s.parcels.total + (s.large_sites?.total ?? 0) > 0
				? t('enq.search.result', {n: num(s.parcels.total, 0), s: num(s.large_sites?.total ?? 0, 0)})
				: t('enq.search.none', {reason: top})));
			const row = (o: Outcome, kind: 'parcel' | 'large_site') => {
				const key = kind === 'parcel' ? `parcel:${o.id}` : `large_site:${o.member_ids?.join(',')}`;
				return h('li', {'data-id': o.id ?? o.member_ids?.join(','), 'data-kind': kind},
					h('span', {class: 'result-name'}, o.rank ? `${o.rank}. ` : '', o.name),
					h('span', {class: 'muted'}, ` ${ha(o.net_area_ha)} ha · ${o.district_names.join(', ')}`),
					h('p', {class: 'muted small'}, o.explanation[lang()]),
					onList.has(key) ? h('span', {class: 'badge'}, t('enq.shortlist.added'))
						: h('button', {type: 'button', class: 'button shortlist-add', onclick: () => void this.act('/shortlist',
							kind === 'parcel' ? {kind, item_id: o.id} : {kind, member_ids: o.member_ids})}, t('enq.shortlist.add')));
			};
			body.push(h('ol', {class: 'enq-results', id: 'enq-search-results'},
				s.parcels.items.map((o) => row(o, 'parcel')), (s.large_sites?.items ?? []).map((o) => row(o, 'large_site'))));
		}
		return h('section', {class: 'enq-section', id: 'enq-search-section'}, run, ...body);
	}

	/** showOnMap outlines the search's parcels on the shared map. */
	private showOnMap(): void {
		const ids = this.search?.search.parcels.items.map((o) => o.id).filter(Boolean) ?? [];
		if (ids.length) this.ctx.map().setFilter(`id IN (${ids.join(',')})`);
	}

	private shortlistSection(d: Detail): HTMLElement {
		const idInput = h('input', {id: 'enq-add-id', type: 'number', min: 1});
		const add = h('form', {class: 'enq-inline', id: 'enq-add-form'},
			h('div', {class: 'field'}, h('label', {for: 'enq-add-id'}, t('enq.shortlist.addId')), idInput),
			h('button', {type: 'submit', class: 'button'}, t('enq.shortlist.add')));
		add.addEventListener('submit', (e) => {
			e.preventDefault();
			if (idInput.value) void this.act('/shortlist', {kind: 'parcel', item_id: Number(idInput.value)});
		});
		const items = d.shortlist.map((it, i) => {
			const note = h('input', {type: 'text', class: 'shortlist-note', value: it.note, maxlength: 4000, 'aria-label': t('enq.shortlist.note'), placeholder: t('enq.shortlist.note'),
				onchange: (e: Event) => void this.act(`/shortlist/${it.id}`, {note: (e.target as HTMLInputElement).value}, 'PUT')});
			return h('li', {'data-item': it.item_id, 'data-kind': it.kind, 'data-public': String(it.public)},
				h('span', {class: 'result-name'}, `${it.position}. ${it.name}`),
				h('span', {class: 'muted'}, ` ${t(`enq.kind.${it.kind}` as MessageKey)} · ${ha(it.net_area_ha)} ha · ${it.districts.map((x) => label(codes('district'), x)).join(', ')}`),
				it.public ? null : h('span', {class: 'badge badge-internal'}, t('enq.shortlist.gone')),
				h('div', {class: 'shortlist-actions'},
					note,
					i > 0 ? h('button', {type: 'button', class: 'button button-quiet', onclick: () => void this.act(`/shortlist/${it.id}`, {position: it.position - 1}, 'PUT')}, t('enq.shortlist.up')) : null,
					i < d.shortlist.length - 1 ? h('button', {type: 'button', class: 'button button-quiet', onclick: () => void this.act(`/shortlist/${it.id}`, {position: it.position + 1}, 'PUT')}, t('enq.shortlist.down')) : null,
					h('button', {type: 'button', class: 'button button-quiet', onclick: () => void this.act(`/shortlist/${it.id}/remove`, undefined)}, t('enq.shortlist.remove'))));
		});
		return h('section', {class: 'enq-section', id: 'enq-shortlist'}, h('h4', {}, t('enq.shortlist')),
			items.length ? h('ol', {class: 'enq-shortlist'}, items) : h('p', {class: 'muted'}, t('enq.shortlist.empty')), add);
	}

	private proposalSection(d: Detail): HTMLElement {
		const days = h('input', {id: 'enq-proposal-days', type: 'number', min: 1, max: 365, value: 90});
		const create = h('form', {class: 'enq-inline', id: 'enq-proposal-form'},
			h('div', {class: 'field'}, h('label', {for: 'enq-proposal-days'}, t('enq.proposal.days')), days),
			h('button', {type: 'submit', class: 'button button-primary', id: 'enq-proposal-create', disabled: d.shortlist.length === 0}, t('enq.proposal.create')));
		create.addEventListener('submit', (e) => {
			e.preventDefault();
			this.settled = this.ctx.api.send<{url: string}>(`/api/v1/enquiries/${this.id}/proposals`, {method: 'POST', body: {days: Number(days.value)}}).then(async (p) => {
				this.proposalUrl = new URL(p.url, window.location.origin).toString();
				this.detail = await this.ctx.api.json<Detail>(`/api/v1/enquiries/${this.id}`);
				this.renderDetail();
			}, (err) => announce(fieldsText(err)));
		});
		const fmt = (iso?: string) => (iso ? new Date(iso).toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB') : '');
		return h('section', {class: 'enq-section', id: 'enq-proposals'}, h('h4', {}, t('enq.proposal')),
			this.proposalUrl ? h('div', {class: 'field'}, h('label', {for: 'enq-proposal-url'}, t('enq.proposal.url')),
				h('input', {id: 'enq-proposal-url', type: 'url', readonly: true, value: this.proposalUrl})) : null,
			h('ul', {class: 'enq-proposal-list'}, d.proposals.map((p) => h('li', {'data-proposal': p.id, 'data-views': p.views},
				`${date(p.created_at)} · `, p.revoked_at ? t('enq.proposal.revoked') : t('enq.proposal.expires', {date: date(p.expires_at)}), ' · ',
				h('span', {class: 'proposal-views'}, p.views ? `${t('enq.proposal.views', {n: p.views})}, ${t('enq.proposal.first', {first: fmt(p.first_viewed_at), last: fmt(p.last_viewed_at)})}` : t('enq.proposal.never')),
				p.revoked_at ? null : h('button', {type: 'button', class: 'button button-quiet', onclick: () => void this.act(`/proposals/${p.id}/revoke`, undefined)}, t('enq.proposal.revoke'))))),
			create);
	}

	// --- messages and statistics -------------------------------------------------------------------

	// --- a person's data on request (admins) ------------------------------------------------------

	/**
	 * renderPrivacy answers a person's request under the GDPR: export everything stored about an
	 * e-mail address as JSON, or erase its personal fields (the enquiries' requirements and outcome
	 * stay for the statistics). Erasing asks for a confirmation first; both are audited by the server.
	 */
	private renderPrivacy(): void {
		const email = h('input', {id: 'privacy-email', type: 'email', required: true, autocomplete: 'off'});
		const result = h('div', {id: 'privacy-result', role: 'status'});
		const sure = h('input', {id: 'privacy-sure', type: 'checkbox'});
		const run = async (fn: (address: string) => Promise<Node>) => {
			const address = email.value.trim();
			if (!email.checkValidity() || !address) {
				replace(result, h('p', {class: 'error'}, t('enq.privacy.email.invalid')));
				return;
			}
			try {
				replace(result, await fn(address));
			} catch (e) {
				replace(result, h('p', {class: 'error', role: 'alert'}, errorText(e)));
			}
		};
		const exportData = () => run(async (address) => {
			const data = await this.ctx.api.json<{enquiries: unknown[]}>('/api/v1/privacy/person', {email: address});
			saveFile(JSON.stringify(data, null, 2), `landatlas-personendaten-${address.replace(/[^a-z0-9]+/gi, '_')}.json`, 'application/json');
			return h('p', {'data-found': data.enquiries.length}, t('enq.privacy.exported', {n: num(data.enquiries.length, 0)}));
		});
		const erase = () => run(async (address) => {
			if (!sure.checked) return h('p', {class: 'error'}, t('enq.privacy.sure.missing'));
			const res = await this.ctx.api.send<{erased: string[]}>('/api/v1/privacy/person/erase', {method: 'POST', body: {email: address}});
			sure.checked = false;
			announce(t('enq.privacy.erased', {n: num(res.erased.length, 0)}));
			return h('p', {'data-erased': res.erased.length}, t('enq.privacy.erased', {n: num(res.erased.length, 0)}), ' ', res.erased.join(', '));
		});
		replace(this.el, ...this.head(),
			h('section', {class: 'enq-section', id: 'enq-privacy'},
				h('h3', {}, t('enq.privacy.title')),
				h('p', {class: 'muted'}, t('enq.privacy.intro')),
				h('div', {class: 'field'}, h('label', {for: 'privacy-email'}, t('enq.privacy.email')), email),
				h('div', {class: 'button-row'},
					h('button', {type: 'button', class: 'button', id: 'privacy-export', onclick: () => void exportData()}, t('enq.privacy.export'))),
				h('label', {class: 'check'}, sure, t('enq.privacy.sure')),
				h('div', {class: 'button-row'},
					h('button', {type: 'button', class: 'button button-danger', id: 'privacy-erase', onclick: () => void erase()}, t('enq.privacy.erase'))),
				result));
	}

	private renderMessages(list: Message[]): void {
		replace(this.el, ...this.head(),
			list.length === 0 ? h('p', {class: 'muted'}, t('enq.messages.none')) : h('ol', {class: 'enq-messages', id: 'enq-messages'}, list.map((m) =>
				h('li', {'data-kind': m.kind, 'data-sent': m.sent_at ? 'true' : 'false'},
					h('details', {},
						h('summary', {}, `${date(m.created_at)} · ${m.recipient_name} · ${m.subject}`),
						h('p', {class: 'muted'}, m.sent_at ? t('enq.messages.sent', {to: m.to_address ?? ''}) : t('enq.messages.kept')),
						h('pre', {class: 'enq-message-body'}, m.body))))));
	}

	private renderStats(years: Year[], trend: Trend | null): void {
		const table = (title: string, rows: Count[], labelOf: (v: string) => string) => h('table', {class: 'enq-stats-table'},
			h('caption', {}, title),
			h('tbody', {}, rows.map((c) => h('tr', {}, h('th', {scope: 'row'}, labelOf(c.value)), h('td', {}, num(c.enquiries, 0)), h('td', {}, `${ha(c.ha)} ha`)))));
		const labels: Record<string, (v: string) => string> = {
			sector: (v) => this.label('sectors', v),
			use_type: (v) => (v === 'any' ? t('enq.any') : label(codes('use_type'), v)),
			size_class: (v) => v,
			district: (v) => (v === 'region' ? t('enq.region') : label(codes('district'), v)),
			outcome: (v) => this.label('statuses', v),
		};
		const mean = years.length ? years.reduce((s, y) => s + y.ha, 0) / years.length : 0;
		const target = trend?.target_year ?? 2038;
		const left = trend?.years ?? Math.max(0, target - new Date().getFullYear());
		replace(this.el, ...this.head(),
			years.length === 0 ? h('p', {class: 'muted'}, t('enq.stats.none')) : null,
			years.length ? h('section', {class: 'enq-section', id: 'enq-demand'}, h('h4', {}, t('enq.stats.demand')),
				h('p', {}, t('enq.stats.demand.text', {ha: ha(mean), year: target, total: ha(mean * left), trend: trend ? ha(trend.total.trend_demand_ha) : '–'}))) : null,
			years.slice().reverse().map((y) => h('section', {class: 'enq-section enq-year', 'data-year': y.year},
				h('h4', {}, t('enq.stats.year', {year: y.year, n: num(y.enquiries, 0), ha: ha(y.ha)})),
				h('p', {class: 'enq-unmet', 'data-unmet': y.unmet.enquiries}, t('enq.stats.unmet', {n: num(y.unmet.enquiries, 0), ha: ha(y.unmet.ha)})),
				y.unmet.list.length ? h('ul', {class: 'enq-unmet-list'}, y.unmet.list.map((u) => h('li', {},
					h('a', {href: this.ctx.href({name: 'enquiries', id: String(u.id)}), onclick: (e: Event) => {
						e.preventDefault();
						this.ctx.go({name: 'enquiries', id: String(u.id)});
					}}, u.reference), ` · ${ha(u.ha)} ha · ${t('enq.stats.reason')}: ${u.top_reason}`))) : null,
				['sector', 'use_type', 'size_class', 'district', 'outcome'].map((k) => table(t(`enq.stats.by.${k}` as MessageKey), y.by[k] ?? [], labels[k])))));
	}
}

function area(r: Requirements): string {
	if (r.min_net_ha != null && r.max_net_ha != null) return `${ha(r.min_net_ha)}–${ha(r.max_net_ha)} ha`;
	if (r.min_net_ha != null) return `≥ ${ha(r.min_net_ha)} ha`;
	if (r.max_net_ha != null) return `≤ ${ha(r.max_net_ha)} ha`;
	return '';
}

function dl(rows: [string, string][]): HTMLElement {
	return h('dl', {class: 'facts'}, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function fieldsText(e: unknown): string {
	if (e instanceof ApiError && Object.keys(e.fields).length) return `${e.message}: ${Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`;
	return errorText(e);
}
