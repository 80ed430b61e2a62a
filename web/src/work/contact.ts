// The district's contact for investors on the upload page (issue 12): its editors and admins
// edit office, name, e-mail, phone and web page; fact sheets and exposés fall back to it.
import {ApiError} from '../api.ts';
import {announce, h} from '../dom.ts';
import {t, type MessageKey} from '../i18n.ts';
import type {DistrictContact} from '../parcel.ts';
import {errorText, type WorkContext} from './context.ts';

const fields: [keyof DistrictContact, MessageKey, string][] = [
	['office', 'contact.office', 'text'], ['name', 'contact.name', 'text'], ['email', 'contact.email', 'email'],
	['phone', 'contact.phone', 'tel'], ['web', 'contact.web', 'url'],
];

export class ContactSection {
	private district = '';
	private contact: DistrictContact | null = null;
	private problems: Record<string, string> = {};
	private message = '';
	private error = '';

	constructor(private ctx: WorkContext, private rerender: () => void) {}

	async load(district: string): Promise<void> {
		if (!district || district === this.district) return;
		this.district = district;
		this.message = '';
		this.problems = {};
		try {
			this.contact = await this.ctx.api.json<DistrictContact>(`/api/v1/districts/${district}/contact`);
		} catch (e) {
			this.contact = null;
			this.error = errorText(e);
		}
	}

	view(): HTMLElement | null {
		const c = this.contact;
		if (!c) return this.error ? h('p', {class: 'error'}, this.error) : null;
		const inputs = fields.map(([name, key, type]) => {
			const input = h('input', {id: `contact-${name}`, name, type, value: c[name] ?? '', 'aria-invalid': this.problems[name] ? 'true' : undefined});
			return h('div', {class: 'field'}, h('label', {for: `contact-${name}`}, t(key)), input,
				this.problems[name] ? h('span', {class: 'error', id: `contact-${name}-error`}, this.problems[name]) : null);
		});
		const form = h('form', {class: 'work-form', id: 'contact-form', 'aria-labelledby': 'contact-title', novalidate: true},
			h('h3', {id: 'contact-title'}, t('contact.title')),
			h('p', {class: 'hint'}, t('contact.intro')),
			...inputs,
			this.error ? h('p', {class: 'error', role: 'alert'}, this.error) : null,
			this.message ? h('p', {class: 'ok', role: 'status', id: 'contact-saved'}, this.message) : null,
			h('div', {class: 'button-row'}, h('button', {type: 'submit', class: 'button', id: 'contact-save'}, t('contact.save'))));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			const data = new FormData(form);
			const body: Record<string, string> = {};
			for (const [name] of fields) body[name] = String(data.get(name) ?? '');
			void this.save(body);
		});
		return form;
	}

	private async save(body: Record<string, string>): Promise<void> {
		this.error = '';
		this.message = '';
		this.problems = {};
		try {
			this.contact = await this.ctx.api.send<DistrictContact>(`/api/v1/districts/${this.district}/contact`, {method: 'PUT', body});
			this.message = t('contact.saved');
			announce(this.message);
		} catch (e) {
			if (e instanceof ApiError && Object.keys(e.fields).length) this.problems = e.fields;
			else this.error = errorText(e);
			this.contact = {...(this.contact as DistrictContact), ...body};
		}
		this.rerender();
	}
}
