// The favourites in the side panel (Merkliste): the marked parcels, a link that hands them on, and
// the way to compare up to four side by side. The mark itself sits on the fact sheet (markButton).
import {announce, h, replace} from '../dom.ts';
import {num, t} from '../i18n.ts';
import {shareParams, type Favourites} from '../favourites.ts';
import {maxCompare} from '../state.ts';

export interface FavouritesEvents {
	onOpen: (id: string) => void;
	onCompare: (ids: string[]) => void;
	/** shareUrl is the absolute link of the map with fav= added. */
	shareUrl: (params: string) => string;
}

export class FavouritesPanel {
	private el = h('details', {class: 'favourites', id: 'favourites'});
	private chosen = new Set<string>();

	constructor(root: HTMLElement, private favs: Favourites, private ev: FavouritesEvents) {
		root.append(this.el);
		favs.onChange(() => this.render());
	}

	/** open unfolds the panel (after a shared link brought parcels). */
	open(): void {
		this.el.open = true;
	}

	render(): void {
		const list = this.favs.list();
		for (const id of [...this.chosen]) if (!this.favs.has(id)) this.chosen.delete(id);
		const compareIds = (this.chosen.size ? list.filter((f) => this.chosen.has(f.id)) : list).slice(0, maxCompare).map((f) => f.id);
		const share = this.ev.shareUrl(shareParams(list));
		replace(this.el,
			h('summary', {}, t('fav.title', {n: num(list.length, 0)})),
			list.length === 0 ? h('p', {class: 'muted'}, t('fav.empty')) : h('ul', {class: 'fav-list'}, list.map((f) => {
				const box = h('input', {type: 'checkbox', checked: this.chosen.has(f.id), 'aria-label': t('fav.choose', {name: f.name || f.id}),
					disabled: !this.chosen.has(f.id) && this.chosen.size >= maxCompare});
				box.addEventListener('change', () => {
					if (box.checked) this.chosen.add(f.id);
					else this.chosen.delete(f.id);
					this.render();
				});
				return h('li', {'data-id': f.id}, box,
					h('button', {type: 'button', class: 'link fav-name', onclick: () => this.ev.onOpen(f.id)}, f.name || `#${f.id}`),
					h('button', {type: 'button', class: 'icon-button fav-remove', 'aria-label': t('fav.remove', {name: f.name || f.id}), title: t('fav.remove', {name: f.name || f.id}),
						onclick: () => this.favs.remove(f.id)}, '×'));
			})),
			list.length > 0 && h('div', {class: 'fav-actions'},
				h('button', {type: 'button', class: 'button', id: 'fav-compare', disabled: compareIds.length < 2, onclick: () => this.ev.onCompare(compareIds)},
					t('fav.compare', {n: num(compareIds.length, 0)})),
				h('label', {for: 'fav-share', class: 'visually-hidden'}, t('fav.share')),
				h('input', {id: 'fav-share', type: 'url', readonly: true, value: share, onfocus: (e: Event) => (e.target as HTMLInputElement).select()})),
			list.length > maxCompare && h('p', {class: 'muted'}, t('fav.pick', {n: maxCompare})));
	}
}

/** markButton is the star on the fact sheet that marks or unmarks a parcel. */
export function markButton(favs: Favourites, id: string, name: string): HTMLButtonElement {
	const b = h('button', {type: 'button', class: 'button', id: 'fav-toggle'});
	const draw = () => {
		const on = favs.has(id);
		b.setAttribute('aria-pressed', String(on));
		b.textContent = on ? `★ ${t('fav.marked')}` : `☆ ${t('fav.mark')}`;
	};
	b.addEventListener('click', () => {
		const on = favs.toggle({id, name});
		draw();
		announce(on ? t('fav.added', {name}) : t('fav.removed', {name}));
	});
	draw();
	return b;
}
