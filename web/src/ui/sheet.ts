// The fact sheet panel: opens for a parcel (click on the map or in the list, or a /parcel/{id}
// link), shows everything the reader may see about it (internal fields marked for signed-in
// readers), its history, links to the printable exposé and offers a share link.
import type {Api} from '../api.ts';
import {ApiError} from '../api.ts';
import {h, replace} from '../dom.ts';
import {t} from '../i18n.ts';
import {confirmedLine, factSections, isInternal, loadDossier, type ParcelDossier} from '../parcel.ts';
import {enquiryButton} from './enquiry.ts';
import {historySection, loadHistory, type ParcelVersion} from './history.ts';

export interface SheetEvents {
	onClose: () => void;
	onLoaded: (d: ParcelDossier) => void;
	onZoom: (d: ParcelDossier) => void;
	shareUrl: (id: string) => string;
	printUrl: (id: string) => string;
	onNavigate: (url: string) => void;
	/** onUpload opens an upload named in the history (signed-in readers); absent for the public. */
	onUpload: () => ((id: number) => void) | undefined;
	/** onEdit opens the parcel's editor for an account that may write its district; absent otherwise. */
	onEdit: (district: string) => ((id: string) => void) | undefined;
	/** actions are more buttons for the open parcel (e.g. the favourite mark). */
	actions?: (id: string, name: string) => Node | null;
}

export class FactSheet {
	/** editButton opens the editor of a current parcel for whoever may write its district. */
	private editButton(p: {id?: unknown; district_ags?: string; ended_at?: string | null}): HTMLElement | null {
		const edit = p.district_ags && !p.ended_at ? this.ev.onEdit(p.district_ags) : undefined;
		return edit ? h('button', {type: 'button', class: 'button', id: 'sheet-edit', onclick: () => edit(String(p.id))}, t('edit.open')) : null;
	}

	private id: string | null = null;
	private dossier: ParcelDossier | null = null;
	private error: string | null = null;
	private history: ParcelVersion[] | null | undefined = undefined;
	private controller: AbortController | null = null;
	/** settled resolves when the open parcel is loaded (or failed). */
	settled: Promise<void> = Promise.resolve();

	constructor(private root: HTMLElement, private api: Api, private ev: SheetEvents) {
		root.addEventListener('keydown', (e) => {
			if (e.key === 'Escape') this.ev.onClose();
		});
	}

	/** current is the id of the parcel shown, if any. */
	current(): string | null {
		return this.id;
	}

	/** open shows a parcel, loading it unless it is already shown. */
	open(id: string, focus = true): Promise<void> {
		if (id === this.id && (this.dossier || this.error)) {
			this.root.hidden = false;
			return this.settled;
		}
		this.controller?.abort();
		const ctl = new AbortController();
		this.controller = ctl;
		this.id = id;
		this.dossier = null;
		this.error = null;
		this.history = undefined;
		this.root.hidden = false;
		this.root.dataset.state = 'loading';
		this.render();
		if (focus) this.root.querySelector<HTMLElement>('h2')?.focus();
		const history = loadHistory(this.api, id, ctl.signal).catch(() => null);
		this.settled = loadDossier(this.api, id, ctl.signal).then(async (d) => {
			if (ctl.signal.aborted) return;
			this.dossier = d;
			this.history = await history;
			if (ctl.signal.aborted) return;
			this.root.dataset.state = 'ready';
			this.render();
			if (focus) this.root.querySelector<HTMLElement>('h2')?.focus();
			this.ev.onLoaded(d);
		}, (e) => {
			if (ctl.signal.aborted) return;
			this.error = e instanceof ApiError && (e.status === 404 || e.status === 403) ? t('sheet.notFound') : String(e instanceof Error ? e.message : e);
			this.root.dataset.state = 'error';
			this.render();
		});
		return this.settled;
	}

	/** close hides the panel. */
	close(): void {
		this.controller?.abort();
		this.id = null;
		this.dossier = null;
		this.history = undefined;
		this.error = null;
		this.root.hidden = true;
		this.root.dataset.state = 'closed';
		replace(this.root);
	}

	/** render draws the panel in the current language. */
	render(): void {
		if (!this.id) return;
		const close = h('button', {type: 'button', class: 'icon-button sheet-close', 'aria-label': t('sheet.close'), title: t('sheet.close'), onclick: () => this.ev.onClose()}, '×');
		if (!this.dossier) {
			replace(this.root,
				h('div', {class: 'sheet-head'}, h('h2', {tabindex: -1}, this.error ? t('sheet.notFound') : t('sheet.loading')), close),
				this.error && this.error !== t('sheet.notFound') ? h('p', {class: 'error'}, this.error) : null);
			return;
		}
		const d = this.dossier;
		const p = d.feature.properties;
		const id = String(p.id);
		const share = this.ev.shareUrl(id);
		const shareInput = h('input', {id: 'share-url', type: 'url', readonly: true, value: share, 'aria-label': t('sheet.shareLabel')});
		const copied = h('span', {class: 'copied', role: 'status'});
		const copy = async () => {
			shareInput.select();
			try {
				await navigator.clipboard.writeText(share);
			} catch {
				document.execCommand?.('copy');
			}
			copied.textContent = t('sheet.copied');
			setTimeout(() => (copied.textContent = ''), 2500);
		};
		const print = h('a', {class: 'button', href: this.ev.printUrl(id), 'data-action': 'print'}, t('sheet.print'));
		print.addEventListener('click', (e) => {
			if (e.metaKey || e.ctrlKey || e.shiftKey) return;
			e.preventDefault();
			this.ev.onNavigate(this.ev.printUrl(id));
		});
		replace(this.root,
			h('div', {class: 'sheet-head'},
				h('div', {},
					h('h2', {tabindex: -1, 'data-field': 'name'}, p.name),
					isInternal(p) ? h('p', {class: 'sheet-badges'}, h('span', {class: 'badge badge-internal', 'data-badge': 'internal'}, t('internal.badge'))) : null),
				close),
			confirmedLine(p),
			h('div', {class: 'sheet-actions'},
				h('button', {type: 'button', class: 'button', onclick: () => this.ev.onZoom(d)}, t('sheet.zoom')),
				this.editButton(p),
				print,
				!isInternal(p) && enquiryButton(this.api, 'enquiry-open', 'enquiry.send', () => ({parcelIds: [Number(p.id)], label: p.name})),
				!isInternal(p) && p.site_id ? enquiryButton(this.api, 'enquiry-site', 'enquiry.site', () => ({siteIds: [Number(p.site_id)], label: String(p.site_name ?? p.name)})) : null,
				this.ev.actions?.(id, p.name) ?? null),
			h('div', {class: 'share'},
				h('label', {for: 'share-url'}, t('sheet.share')),
				h('div', {class: 'share-row'}, shareInput, h('button', {type: 'button', class: 'button', onclick: () => void copy()}, t('sheet.copy'))),
				copied),
			factSections(d),
			this.history !== undefined ? historySection(this.history, this.ev.onUpload()) : null);
	}
}
