// The top bar's account part: the sign-in button and dialog (a token from an admin, kept for this
// tab only), the signed-in account with its role and district, sign-out, and the navigation between
// the map and the workspace pages of signed-in users.
import {ApiError} from '../api.ts';
import {codes} from '../catalog.ts';
import {h, replace} from '../dom.ts';
import {label, t, type MessageKey} from '../i18n.ts';
import {uploadDistricts, type Session} from '../session.ts';
import type {Route} from '../state.ts';

export interface AccountEvents {
	/** onSignIn checks and keeps a token; it rejects with the reason when the token is refused. */
	onSignIn: (token: string) => Promise<void>;
	onSignOut: () => void;
	onNavigate: (route: Route) => void;
	href: (route: Route) => string;
}

/** AccountBar draws the navigation and the account control into the top bar. */
export class AccountBar {
	private dialog: HTMLDialogElement;
	private session: Session | null = null;
	private route: Route = {name: 'map'};

	constructor(private nav: HTMLElement, private root: HTMLElement, private ev: AccountEvents) {
		this.dialog = h('dialog', {class: 'dialog', id: 'signin-dialog', 'aria-labelledby': 'signin-title'});
		document.body.append(this.dialog);
	}

	/** render draws the bar for a session (or none) and the current page. */
	render(session: Session | null, route: Route): void {
		this.session = session;
		this.route = route;
		if (!session) {
			replace(this.nav);
			this.nav.hidden = true;
			replace(this.root, h('button', {type: 'button', class: 'button', id: 'signin', onclick: () => this.open()}, t('account.signin')));
			return;
		}
		const link = (r: Route, key: MessageKey) => {
			const current = r.name === route.name || (r.name === 'map' && route.name === 'parcel');
			const a = h('a', {href: this.ev.href(r), class: 'nav-link', 'data-nav': r.name, 'aria-current': current ? 'page' : null}, t(key));
			a.addEventListener('click', (e) => {
				if (e.metaKey || e.ctrlKey || e.shiftKey) return;
				e.preventDefault();
				this.ev.onNavigate(r);
			});
			return h('li', {}, a);
		};
		this.nav.hidden = false;
		this.nav.setAttribute('aria-label', t('nav.label'));
		replace(this.nav, h('ul', {},
			link({name: 'map'}, 'nav.map'),
			link({name: 'study'}, 'nav.study'),
			link({name: 'search'}, 'nav.search'),
			link({name: 'enquiries'}, 'nav.enquiries'),
			uploadDistricts(session).length > 0 && link({name: 'upload'}, 'nav.upload'),
			link({name: 'campaigns'}, 'nav.campaigns')));
		const who = [label(codes('account_role'), session.role), session.district ? label(codes('district'), session.district) : ''].filter(Boolean).join(' · ');
		replace(this.root,
			h('span', {class: 'account', id: 'account', tabindex: -1, 'data-role': session.role, 'data-district': session.district},
				session.label ? h('span', {class: 'account-label'}, session.label) : null,
				h('span', {class: 'account-role'}, who)),
			h('button', {type: 'button', class: 'button button-quiet', id: 'signout', onclick: () => this.ev.onSignOut()}, t('account.signout')));
	}

	/** open shows the sign-in dialog, with a message why (e.g. an expired session). */
	open(message = ''): void {
		const input = h('input', {id: 'signin-token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'signin-help signin-error'});
		const error = h('p', {class: 'error', id: 'signin-error', role: 'alert'}, message);
		const submit = h('button', {type: 'submit', class: 'button button-primary'}, t('account.signin'));
		const form = h('form', {method: 'dialog', class: 'dialog-form'},
			h('h2', {id: 'signin-title'}, t('account.signin.title')),
			h('div', {class: 'field'}, h('label', {for: 'signin-token'}, t('account.token')), input),
			h('p', {class: 'muted', id: 'signin-help'}, t('account.token.help')),
			error,
			h('div', {class: 'dialog-actions'},
				h('button', {type: 'button', class: 'button', onclick: () => this.dialog.close()}, t('dialog.cancel')),
				submit));
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			const token = input.value.trim();
			if (!token) return;
			submit.disabled = true;
			error.textContent = t('account.checking');
			this.ev.onSignIn(token).then(() => {
				this.dialog.close();
				document.getElementById('account')?.focus();
			}, (err) => {
				submit.disabled = false;
				error.textContent = err instanceof ApiError && err.status === 401 ? t('account.refused') : t('account.failed', {msg: err instanceof Error ? err.message : String(err)});
				input.select();
			});
		});
		replace(this.dialog, form);
		this.dialog.addEventListener('close', () => document.getElementById('signin')?.focus(), {once: true});
		this.dialog.showModal();
		input.focus();
	}

	/** rerender draws again in the current language. */
	rerender(): void {
		this.render(this.session, this.route);
	}
}
