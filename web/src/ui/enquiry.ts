// The public enquiry form: a dialog opened from a parcel's fact sheet, a site, or the result list.
// It sends the enquiry with what it asks about (parcels, sites) and shows the reference number the
// server gives. A honeypot field, hidden from people, catches form-filling bots; what the user
// types is only ever shown as text. Also the imprint and privacy links of every public page.
import {ApiError, type Api} from '../api.ts';
import {codes, type Code} from '../catalog.ts';
import {h, replace} from '../dom.ts';
import {label, lang, onLangChange, t} from '../i18n.ts';

/** EnquiryForm is the form's code lists and limits, from GET /api/v1/enquiries/form. */
export interface EnquiryForm {
	sectors: {codes: Code[]};
	timings: {codes: Code[]};
	statuses: {codes: Code[]};
	channels: {codes: Code[]};
	limits: {short: number; message: number; items: number};
	privacy: string;
	imprint: string;
}

let formCache: Promise<EnquiryForm> | null = null;

/** enquiryForm loads the form's code lists once. */
export function enquiryForm(api: Api): Promise<EnquiryForm> {
	formCache ??= api.json<EnquiryForm>('/api/v1/enquiries/form').catch((e) => {
		formCache = null;
		throw e;
	});
	return formCache;
}

/** Subject is what an enquiry asks about. */
export interface Subject {
	parcelIds?: number[];
	siteIds?: number[];
	/** label names it in the dialog, e.g. the parcel's name. */
	label: string;
}

/** openEnquiry shows the enquiry dialog for a subject. */
export async function openEnquiry(api: Api, subject: Subject): Promise<void> {
	const form = await enquiryForm(api);
	const dialog = h('dialog', {class: 'dialog enquiry-dialog', id: 'enquiry-dialog', 'aria-labelledby': 'enquiry-title'});
	document.body.append(dialog);
	dialog.addEventListener('close', () => dialog.remove());
	const limit = form.limits.short;
	const field = (id: string, key: Parameters<typeof t>[0], input: HTMLElement) =>
		h('div', {class: 'field', 'data-field': id}, h('label', {for: `enquiry-${id}`}, t(key)), input, h('p', {class: 'error field-error', id: `enquiry-${id}-error`}));
	const text = (id: string, type = 'text', required = false, autocomplete = '') =>
		h('input', {id: `enquiry-${id}`, name: id, type, maxlength: limit, required, autocomplete: autocomplete || null});
	const numberInput = (id: string, step = 'any') => h('input', {id: `enquiry-${id}`, name: id, type: 'number', min: 0, step});
	const select = (id: string, codes: Code[], value: string) =>
		h('select', {id: `enquiry-${id}`, name: id}, codes.map((c) => h('option', {value: c.value, selected: c.value === value}, c[lang()])));
	const uses = h('fieldset', {class: 'field checks', 'data-field': 'use_types'},
		h('legend', {}, t('enquiry.use')),
		codes('use_type').map((u) => h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'use_types', value: u.value}), label(codes('use_type'), u.value))));
	// The honeypot: off-screen and out of the tab order; people leave it empty, bots fill it in.
	const honeypot = h('div', {class: 'hp', 'aria-hidden': 'true'},
		h('label', {for: 'enquiry-website'}, t('enquiry.website')),
		h('input', {id: 'enquiry-website', name: 'website', type: 'text', tabindex: -1, autocomplete: 'off'}));
	const consent = h('div', {class: 'field', 'data-field': 'consent'},
		h('label', {class: 'check'}, h('input', {id: 'enquiry-consent', name: 'consent', type: 'checkbox', required: true}), t('enquiry.consent')),
		h('a', {href: `${form.privacy}${lang() === 'en' ? '?lang=en' : ''}`, target: '_blank', rel: 'noopener', id: 'enquiry-privacy'}, t('enquiry.consent.link')),
		h('p', {class: 'error field-error', id: 'enquiry-consent-error'}));
	const status = h('p', {class: 'error', id: 'enquiry-status', role: 'alert'});
	const submit = h('button', {type: 'submit', class: 'button button-primary', id: 'enquiry-submit'}, t('enquiry.submit'));
	const el = h('form', {class: 'dialog-form enquiry-form', novalidate: true},
		h('h2', {id: 'enquiry-title'}, t('enquiry.title')),
		h('p', {class: 'muted', id: 'enquiry-subject'}, t('enquiry.about', {subject: subject.label})),
		field('company', 'enquiry.company', text('company', 'text', true, 'organization')),
		field('contact_name', 'enquiry.contact', text('contact_name', 'text', true, 'name')),
		field('email', 'enquiry.email', text('email', 'email', true, 'email')),
		field('phone', 'enquiry.phone', text('phone', 'tel', false, 'tel')),
		h('h3', {}, t('enquiry.need')),
		field('sector', 'enquiry.sector', select('sector', form.sectors.codes, 'other')),
		h('div', {class: 'field-row'},
			field('min_net_ha', 'enquiry.area', h('span', {class: 'range'}, t('enquiry.area.min'), numberInput('min_net_ha'))),
			field('max_net_ha', 'enquiry.area.max', numberInput('max_net_ha'))),
		uses,
		field('timing', 'enquiry.timing', select('timing', form.timings.codes, 'open')),
		h('div', {class: 'field-row'},
			field('jobs', 'enquiry.jobs', numberInput('jobs', '1')),
			field('investment_meur', 'enquiry.investment', numberInput('investment_meur'))),
		field('message', 'enquiry.message', h('textarea', {id: 'enquiry-message', name: 'message', rows: 4, maxlength: form.limits.message})),
		honeypot,
		consent,
		status,
		h('div', {class: 'dialog-actions'},
			h('button', {type: 'button', class: 'button', onclick: () => dialog.close()}, t('dialog.cancel')),
			submit));
	el.addEventListener('submit', (e) => {
		e.preventDefault();
		void send();
	});
	const value = (name: string) => (el.elements.namedItem(name) as HTMLInputElement).value.trim();
	const optNumber = (name: string) => (value(name) === '' ? null : Number(value(name)));
	const send = async () => {
		for (const err of el.querySelectorAll('.field-error')) err.textContent = '';
		submit.disabled = true;
		status.textContent = t('enquiry.sending');
		const body = {
			company: value('company'), contact_name: value('contact_name'), email: value('email'), phone: value('phone'),
			message: value('message'), sector: value('sector'), timing: value('timing'),
			use_types: [...el.querySelectorAll<HTMLInputElement>('input[name=use_types]:checked')].map((i) => i.value),
			min_net_ha: optNumber('min_net_ha'), max_net_ha: optNumber('max_net_ha'), jobs: optNumber('jobs'), investment_meur: optNumber('investment_meur'),
			consent: (el.elements.namedItem('consent') as HTMLInputElement).checked, website: value('website'),
			parcel_ids: subject.parcelIds ?? [], site_ids: subject.siteIds ?? [], lang: lang(),
		};
		try {
			// The public form is sent without the token: a signed-in planner records enquiries in the workspace.
			const res = await fetch(api.url('/api/v1/enquiries'), {method: 'POST', headers: {'Content-Type': 'application/json', Accept: 'application/json'}, body: JSON.stringify(body)});
			const answer = await res.json().catch(() => ({}));
			if (!res.ok) throw new ApiError(res.status, answer.detail ?? res.statusText, res.url, answer.fields ?? {});
			replace(dialog, h('div', {class: 'dialog-form enquiry-done', id: 'enquiry-done'},
				h('h2', {id: 'enquiry-title', tabindex: -1}, t('enquiry.thanks')),
				h('p', {class: 'enquiry-reference', id: 'enquiry-reference', 'data-reference': answer.reference}, t('enquiry.reference', {ref: answer.reference})),
				h('p', {}, t('enquiry.thanks.text')),
				h('div', {class: 'dialog-actions'}, h('button', {type: 'button', class: 'button button-primary', id: 'enquiry-close', onclick: () => dialog.close()}, t('enquiry.close')))));
			dialog.querySelector<HTMLElement>('h2')?.focus();
		} catch (err) {
			submit.disabled = false;
			if (err instanceof ApiError && err.status === 429) {
				status.textContent = t('enquiry.tooMany');
				return;
			}
			status.textContent = t('enquiry.failed', {msg: err instanceof Error ? err.message : String(err)});
			if (err instanceof ApiError) {
				for (const [name, msg] of Object.entries(err.fields)) {
					const target = document.getElementById(`enquiry-${name}-error`);
					if (target) target.textContent = msg;
				}
			}
		}
	};
	replace(dialog, el);
	dialog.showModal();
	(el.elements.namedItem('company') as HTMLInputElement).focus();
}

/** enquiryButton is the "send enquiry" button for a subject. */
export function enquiryButton(api: Api, id: string, key: 'enquiry.send' | 'enquiry.site' | 'enquiry.selection', subject: () => Subject): HTMLButtonElement {
	return h('button', {type: 'button', class: 'button button-primary enquiry-button', id, onclick: () => void openEnquiry(api, subject())}, t(key));
}

/** legalFooter fills the footers of index.html with the imprint and privacy links, in the page's language. */
export function legalFooter(): void {
	const draw = () => {
		for (const id of ['legal-footer', 'legal-footer-print']) {
			const el = document.getElementById(id);
			if (!el) continue;
			const q = lang() === 'en' ? '?lang=en' : '';
			replace(el, h('a', {href: `/impressum${q}`, 'data-legal': 'imprint'}, t('legal.imprint')), ' · ', h('a', {href: `/datenschutz${q}`, 'data-legal': 'privacy'}, t('legal.privacy')));
		}
	};
	draw();
	onLangChange(draw);
}
