// The monitoring campaigns (/campaigns, /campaigns/{id}): an admin opens one for a reference date
// and a deadline; each district's editors see their task (the parcels to confirm as current or to
// update by upload) and confirm them; the region's coordinators (planners, admins) follow the
// progress per district, download the reminders for the districts still open and close the
// campaign, which freezes the official state (a study run marked "amtlicher Stand").
import {h, announce, replace} from '../dom.ts';
import {date, lang, num, t} from '../i18n.ts';
import type {Route} from '../state.ts';
import {errorText, type WorkContext, type WorkPage} from './context.ts';
import type {Upload} from './uploadviews.ts';

interface Progress {
	district_ags?: string;
	name: string;
	parcels: number;
	confirmed: number;
	changed: number;
	open: number;
	done: number;
	editors?: string[];
}

interface Campaign {
	id: number;
	title: string;
	reference_date: string;
	deadline: string;
	opened_at: string;
	closed_at?: string;
	run_id?: number;
	progress: {districts: Progress[]; total: Progress};
	figures?: {as_of: string; parcels: number; reserve_net_ha: number; marketable_net_ha: number; reach_years: number | null};
}

interface TaskParcel {
	id: number;
	external_id: string;
	name: string;
	state: 'open' | 'confirmed' | 'changed';
	last_confirmed: string | null;
	net_area_ha: number;
}

/** Settings are the monitoring settings (GET /api/v1/monitoring/settings). */
interface Settings {
	fresh_months: number;
	public_max_age_months: number | null;
}

const haText = (v: number) => `${num(v, v < 1 && v !== 0 ? 2 : 1, v < 1 && v !== 0 ? 2 : 1)} ha`;
const pct = (v: number) => `${num(v * 100, 0)} %`;

export class CampaignsPage implements WorkPage {
	private el: HTMLElement;
	private route: Extract<Route, {name: 'campaigns'}> = {name: 'campaigns'};
	private list: Campaign[] | null = null;
	private task: {total: number; parcels: TaskParcel[]} | null = null;
	private settings: Settings | null = null;
	private error = '';
	private busy = false;
	settled: Promise<void> = Promise.resolve();

	constructor(root: HTMLElement, private ctx: WorkContext) {
		this.el = h('div', {class: 'work-page campaigns', id: 'campaigns', hidden: true});
		root.append(this.el);
	}

	show(route: Route): void {
		if (route.name !== 'campaigns') return;
		this.route = route;
		this.el.hidden = false;
		this.settled = this.load();
	}

	hide(): void {
		this.el.hidden = true;
	}

	rerender(): void {
		if (!this.el.hidden) this.render();
	}

	/** current is the campaign shown: the route's, else the open one, else the newest. */
	private current(): Campaign | null {
		const list = this.list ?? [];
		if (this.route.id) return list.find((c) => String(c.id) === this.route.id) ?? null;
		return list.find((c) => !c.closed_at) ?? list[0] ?? null;
	}

	private async load(): Promise<void> {
		this.el.dataset.state = 'loading';
		this.error = '';
		this.render();
		const session = this.ctx.session();
		if (!session) {
			this.el.dataset.state = 'ready';
			this.render();
			return;
		}
		try {
			[this.list, this.settings] = await Promise.all([
				this.ctx.api.json<{campaigns: Campaign[]}>('/api/v1/campaigns').then((r) => r.campaigns),
				this.ctx.api.json<Settings>('/api/v1/monitoring/settings'),
			]);
			const c = this.current();
			this.task = null;
			if (c && session.district) {
				this.task = await this.ctx.api.json(`/api/v1/campaigns/${c.id}/districts/${session.district}/parcels`, {state: 'open', limit: 50});
			}
		} catch (e) {
			this.error = errorText(e);
		}
		this.el.dataset.state = this.error ? 'error' : 'ready';
		this.render();
	}

	private render(): void {
		const session = this.ctx.session();
		const head = h('div', {class: 'work-head'},
			h('h2', {id: 'campaigns-title', tabindex: -1}, t('campaign.title')),
			h('p', {class: 'muted'}, t('campaign.intro')));
		if (!session) {
			replace(this.el, head, h('p', {class: 'muted'}, t('campaign.signin')));
			return;
		}
		const body: (Node | null)[] = [];
		if (this.error) body.push(h('p', {class: 'error', role: 'alert'}, this.error));
		if (this.el.dataset.state === 'loading' && !this.list) body.push(h('p', {class: 'muted', role: 'status'}, t('study.loading')));
		const c = this.current();
		if (session.role === 'admin' && !(this.list ?? []).some((x) => !x.closed_at)) body.push(this.openForm());
		if (c) body.push(this.campaignView(c));
		body.push(this.listView());
		if (this.settings) body.push(this.settingsView(this.settings, session.role === 'admin'));
		replace(this.el, head, body);
	}

	private openForm(): HTMLElement {
		const year = new Date().getFullYear();
		const title = h('input', {id: 'campaign-name', type: 'text', required: true, maxlength: 200, value: t('campaign.defaultTitle', {year})});
		const ref = h('input', {id: 'campaign-ref', type: 'date', required: true, value: `${year}-12-31`});
		const deadline = h('input', {id: 'campaign-deadline', type: 'date', required: true, value: `${year + 1}-01-31`});
		const form = h('form', {class: 'study-section work-form', id: 'campaign-form', 'aria-labelledby': 'campaign-form-title'},
			h('h3', {id: 'campaign-form-title'}, t('campaign.open')),
			h('p', {class: 'hint'}, t('campaign.open.hint')),
			h('div', {class: 'field'}, h('label', {for: 'campaign-name'}, t('campaign.name')), title),
			h('div', {class: 'field'}, h('label', {for: 'campaign-ref'}, t('campaign.ref')), ref),
			h('div', {class: 'field'}, h('label', {for: 'campaign-deadline'}, t('campaign.deadline')), deadline),
			h('div', {class: 'button-row'}, h('button', {type: 'submit', class: 'button button-primary', id: 'campaign-open', disabled: this.busy}, t('campaign.open.button'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.act(async () => {
				const c = await this.ctx.api.send<Campaign>('/api/v1/campaigns', {method: 'POST', body: {title: title.value.trim(), reference_date: ref.value, deadline: deadline.value}});
				announce(t('campaign.opened', {title: c.title}));
				this.ctx.go({name: 'campaigns', id: String(c.id)});
			});
		});
		return form;
	}

	/** act runs an action, shows its failure, and loads the page again. */
	private async act(fn: () => Promise<void>): Promise<void> {
		this.busy = true;
		this.error = '';
		this.render();
		try {
			await fn();
		} catch (e) {
			this.error = errorText(e);
		}
		this.busy = false;
		this.settled = this.load();
		await this.settled;
	}

	private campaignView(c: Campaign): HTMLElement {
		const session = this.ctx.session()!;
		const coordinator = session.role === 'planner' || session.role === 'admin';
		const open = !c.closed_at;
		const section = h('section', {class: 'study-section', id: 'campaign', 'data-campaign': c.id, 'data-status': open ? 'open' : 'closed', 'aria-labelledby': 'campaign-name-title'},
			h('h3', {id: 'campaign-name-title'}, c.title),
			h('p', {class: 'campaign-dates'}, t('campaign.dates', {ref: date(c.reference_date), deadline: date(c.deadline)}),
				' ', h('span', {class: 'badge'}, t(open ? 'campaign.status.open' : 'campaign.status.closed'))));
		if (!open && c.figures && c.run_id) {
			const run: Route = {name: 'study', run: String(c.run_id)};
			section.append(h('p', {class: 'official', id: 'campaign-official', 'data-run': c.run_id},
				h('strong', {}, t('campaign.official', {ref: date(c.reference_date)})), ' ',
				t('campaign.official.figures', {ha: haText(c.figures.reserve_net_ha), mkt: haText(c.figures.marketable_net_ha), n: num(c.figures.parcels, 0), closed: date(c.closed_at!)}), ' ',
				h('a', {href: this.ctx.href(run), onclick: (e: Event) => {
					e.preventDefault();
					this.ctx.go(run);
				}}, t('campaign.official.run')), ' · ',
				// window.open keeps the opener, so the report's tab inherits this tab's session.
				h('a', {href: `/study/run/${c.run_id}/report`, id: 'campaign-report', onclick: (e: Event) => {
					e.preventDefault();
					window.open(`/study/run/${c.run_id}/report`, '_blank');
				}}, t('campaign.official.report'))));
		}
		if (session.district && open) section.append(this.taskView(c, session.district));
		section.append(this.progressTable(c));
		if (coordinator) {
			const reminders = (ext: 'csv' | 'xlsx') => {
				const href = this.ctx.api.url(`/api/v1/campaigns/${c.id}/reminders.${ext}`, ext === 'csv' && lang() === 'de' ? {format: 'csv-excel'} : {});
				return h('button', {type: 'button', class: 'button', id: `campaign-reminders-${ext}`,
					onclick: () => void this.ctx.api.download(href, `campaign-${c.id}-reminders.${ext}`).catch((e) => { this.error = errorText(e); this.render(); })},
				t(ext === 'csv' ? 'campaign.reminders.csv' : 'campaign.reminders.xlsx'));
			};
			const openDistricts = c.progress.districts.filter((d) => d.open > 0);
			section.append(h('div', {class: 'button-row'},
				open && openDistricts.length ? h('button', {type: 'button', class: 'button', id: 'campaign-remind', disabled: this.busy, onclick: () => void this.remind(c)}, t('campaign.remind')) : null,
				openDistricts.length ? reminders('csv') : null, openDistricts.length ? reminders('xlsx') : null,
				open ? h('button', {type: 'button', class: 'button button-primary', id: 'campaign-close', disabled: this.busy, onclick: () => void this.close(c)}, t('campaign.close')) : null),
			open && openDistricts.length ? h('p', {class: 'hint'}, t('campaign.close.hint', {names: openDistricts.map((d) => d.name).join(', ')})) : '');
		}
		return section;
	}

	private async remind(c: Campaign): Promise<void> {
		await this.act(async () => {
			const res = await this.ctx.api.send<{reminded: Progress[]}>(`/api/v1/campaigns/${c.id}/reminders`, {method: 'POST'});
			announce(t('campaign.reminded', {names: res.reminded.map((d) => d.name).join(', ')}));
		});
	}

	/** settingsView shows the monitoring settings; admins change them here. */
	private settingsView(s: Settings, admin: boolean): HTMLElement {
		const section = h('section', {class: 'study-section', id: 'monitoring-settings', 'aria-labelledby': 'settings-title'}, h('h3', {id: 'settings-title'}, t('settings.title')));
		if (!admin) {
			section.append(h('p', {}, t('settings.summary', {fresh: num(s.fresh_months, 0),
				hide: s.public_max_age_months ? t('settings.summary.hide', {n: num(s.public_max_age_months, 0)}) : t('settings.summary.nohide')})));
			return section;
		}
		const fresh = h('input', {id: 'settings-fresh', type: 'number', min: 1, max: 120, step: 1, required: true, value: String(s.fresh_months)});
		const hide = h('input', {id: 'settings-hide', type: 'number', min: 1, max: 120, step: 1, value: s.public_max_age_months ? String(s.public_max_age_months) : ''});
		const form = h('form', {class: 'work-form'},
			h('div', {class: 'field'}, h('label', {for: 'settings-fresh'}, t('settings.fresh')), fresh),
			h('div', {class: 'field'}, h('label', {for: 'settings-hide'}, t('settings.hide')), hide, h('p', {class: 'hint'}, t('settings.hide.hint'))),
			h('div', {class: 'button-row'}, h('button', {type: 'submit', class: 'button', id: 'settings-save', disabled: this.busy}, t('settings.save'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.act(async () => {
				await this.ctx.api.send('/api/v1/monitoring/settings', {method: 'PUT',
					body: {fresh_months: Number(fresh.value), public_max_age_months: hide.value.trim() ? Number(hide.value) : null}});
				announce(t('settings.saved'));
			});
		});
		section.append(form);
		return section;
	}

	private async close(c: Campaign): Promise<void> {
		await this.act(async () => {
			await this.ctx.api.send(`/api/v1/campaigns/${c.id}/close`, {method: 'POST'});
			announce(t('campaign.closed', {title: c.title}));
		});
	}

	private progressTable(c: Campaign): HTMLElement {
		const row = (p: Progress, total = false) => h('tr', {'data-district': p.district_ags ?? 'total', 'data-parcels': p.parcels, 'data-confirmed': p.confirmed, 'data-changed': p.changed, 'data-open': p.open},
			h('th', {scope: 'row'}, total ? t('study.col.total') : p.name),
			h('td', {class: 'num'}, num(p.parcels, 0)), h('td', {class: 'num'}, num(p.confirmed, 0)), h('td', {class: 'num'}, num(p.changed, 0)),
			h('td', {class: 'num'}, num(p.open, 0)),
			h('td', {class: 'num'}, h('span', {class: 'progress-bar', 'aria-hidden': 'true'}, h('span', {style: `width:${Math.round(p.done * 100)}%`})), ' ', pct(p.done)));
		const districts = c.progress.districts.filter((d) => d.parcels > 0);
		return h('div', {class: 'table-box'}, h('table', {class: 'figure-table', id: 'campaign-progress'},
			h('caption', {}, t(c.closed_at ? 'campaign.progress.frozen' : 'campaign.progress')),
			h('thead', {}, h('tr', {}, [t('study.col.district'), t('campaign.col.parcels'), t('campaign.col.confirmed'), t('campaign.col.changed'), t('campaign.col.open'), t('campaign.col.done')]
				.map((x, i) => h('th', {scope: 'col', class: i ? 'num' : ''}, x)))),
			h('tbody', {}, districts.map((d) => row(d))),
			districts.length > 1 ? h('tfoot', {}, row(c.progress.total, true)) : null));
	}

	private taskView(c: Campaign, district: string): HTMLElement {
		const own = c.progress.districts.find((d) => d.district_ags === district);
		const task = this.task;
		const confirm = (ids: number[] | null) => this.act(async () => {
			// The editors' one confirmation (the upload page's too): recorded as an upload of its own,
			// so it shows in the parcels' history and can be undone.
			const u = await this.ctx.api.send<Upload>(`/api/v1/districts/${district}/confirm`, {method: 'POST', body: ids ? {ids} : {all: true}});
			announce(t('campaign.confirmed', {n: num(u.preview?.changed ?? 0, 0)}));
		});
		return h('div', {class: 'campaign-task', id: 'campaign-task', 'data-open': own?.open ?? 0},
			h('h4', {}, t('campaign.task', {name: own?.name ?? district})),
			h('p', {}, t('campaign.task.text', {open: num(own?.open ?? 0, 0), n: num(own?.parcels ?? 0, 0), deadline: date(c.deadline)})),
			h('div', {class: 'button-row'},
				h('button', {type: 'button', class: 'button button-primary', id: 'campaign-confirm-all', disabled: this.busy || !own?.open, onclick: () => void confirm(null)}, t('campaign.confirmAll')),
				h('a', {class: 'button', href: this.ctx.href({name: 'upload'}), onclick: (e: Event) => {
					e.preventDefault();
					this.ctx.go({name: 'upload'});
				}}, t('campaign.byUpload'))),
			task && task.parcels.length ? h('ul', {class: 'campaign-parcels', id: 'campaign-open-parcels'}, task.parcels.map((p) => h('li', {'data-parcel': p.id},
				h('span', {}, `${p.name} (${p.external_id}) · ${haText(p.net_area_ha)} · ${p.last_confirmed ? t('campaign.lastConfirmed', {date: date(p.last_confirmed)}) : t('campaign.neverConfirmed')}`), ' ',
				h('button', {type: 'button', class: 'link', disabled: this.busy, onclick: () => void confirm([p.id])}, t('campaign.confirmOne'))))) : null,
			task && task.total > task.parcels.length ? h('p', {class: 'hint'}, t('campaign.task.more', {n: num(task.total - task.parcels.length, 0)})) : null);
	}

	private listView(): HTMLElement {
		const section = h('section', {class: 'study-section', id: 'campaign-list', 'aria-labelledby': 'campaign-list-title'}, h('h3', {id: 'campaign-list-title'}, t('campaign.list')));
		const list = this.list ?? [];
		if (!list.length) {
			section.append(h('p', {class: 'muted'}, t('campaign.none')));
			return section;
		}
		section.append(h('ul', {class: 'run-list'}, list.map((c) => {
			const route: Route = {name: 'campaigns', id: String(c.id)};
			const a = h('a', {href: this.ctx.href(route), 'data-campaign': c.id, 'aria-current': this.current()?.id === c.id ? 'page' : null}, c.title);
			a.addEventListener('click', (e) => {
				if (e.metaKey || e.ctrlKey || e.shiftKey) return;
				e.preventDefault();
				this.ctx.go(route);
			});
			const figures = c.figures ? ` · ${t('campaign.list.figures', {ha: haText(c.figures.reserve_net_ha)})}` : '';
			return h('li', {}, a, h('span', {class: 'muted'},
				` · ${t('campaign.dates', {ref: date(c.reference_date), deadline: date(c.deadline)})} · ${t(c.closed_at ? 'campaign.status.closed' : 'campaign.status.open')} · ${t('campaign.list.done', {pct: pct(c.progress.total.done)})}${figures}`));
		})));
		return section;
	}
}
