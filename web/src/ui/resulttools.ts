// The tools above the result list: "only parcels in the map view", the export as CSV for a
// spreadsheet, the printable list, and the way to the favourites.
import {h, replace} from '../dom.ts';
import {t} from '../i18n.ts';

export interface ResultToolsEvents {
	onInView: (on: boolean) => void;
	onCSV: () => Promise<void>;
	/** printUrl is the link of the printable list of the current result; onPrint opens it in the app. */
	printUrl: () => string;
	onPrint: () => void;
}

export class ResultTools {
	private el = h('div', {class: 'result-tools', id: 'result-tools'});
	private busy = false;
	private error = '';

	constructor(root: HTMLElement, private ev: ResultToolsEvents) {
		root.prepend(this.el);
	}

	render(inView: boolean): void {
		const box = h('input', {type: 'checkbox', id: 'results-inview', checked: inView});
		box.addEventListener('change', () => this.ev.onInView(box.checked));
		const csv = h('button', {type: 'button', class: 'button button-quiet', id: 'export-csv', disabled: this.busy}, this.busy ? t('export.busy') : t('export.csv'));
		csv.addEventListener('click', () => {
			this.busy = true;
			this.error = '';
			this.render(inView);
			this.ev.onCSV().catch((e) => (this.error = e instanceof Error ? e.message : String(e))).finally(() => {
				this.busy = false;
				this.render(box.checked);
			});
		});
		replace(this.el,
			h('label', {class: 'check'}, box, h('span', {}, t('results.inview'))),
			h('div', {class: 'result-tools-actions'},
				csv,
				h('a', {class: 'button button-quiet', id: 'export-print', href: this.ev.printUrl(), onclick: (e: Event) => {
					e.preventDefault();
					this.ev.onPrint();
				}}, t('export.print'))),
			this.error && h('p', {class: 'form-error', role: 'alert'}, t('export.error', {msg: this.error})));
	}
}
