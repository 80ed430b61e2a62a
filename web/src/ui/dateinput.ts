// A date field that reads and writes the reader's language (dd.mm.yyyy in German, dd/mm/yyyy in
// English) instead of the browser's locale-bound date widget. A text input takes what is typed;
// a hidden input of the same form holds the ISO date (YYYY-MM-DD) under the field's name, so form
// code reads an ISO date. Wrong text is marked and explained, and leaves the ISO value empty.
import {datePattern, formatDate, parseDate} from '../dates.ts';
import {h} from '../dom.ts';
import {lang, t} from '../i18n.ts';

export interface DateInputOptions {
	id: string;
	/** name of the hidden ISO input in a form; none outside forms. */
	name?: string;
	value: string;
	label?: string;
	min?: string;
	max?: string;
	/** Called with the ISO date ('' when emptied) after a valid change. */
	onChange?: (iso: string) => void;
}

/** dateInput returns the text field (and its hidden ISO twin and message) as one element. */
export function dateInput(o: DateInputOptions): HTMLSpanElement {
	const l = lang();
	const hidden = o.name ? h('input', {type: 'hidden', name: o.name, value: o.value}) : null;
	const msgId = `${o.id}-msg`;
	const text = h('input', {
		id: o.id, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'date-input',
		placeholder: datePattern(l), value: formatDate(o.value, l), 'aria-describedby': msgId, 'aria-label': o.label ?? null,
		'data-iso': o.value,
	});
	const msg = h('span', {class: 'date-msg', id: msgId, 'aria-live': 'polite'});
	const read = (): string | null => {
		const v = text.value.trim();
		if (!v) return '';
		const iso = parseDate(v, l);
		if (!iso) return null;
		if ((o.min && iso < o.min) || (o.max && iso > o.max)) return null;
		return iso;
	};
	const check = () => {
		const iso = read();
		const bad = iso === null;
		text.setAttribute('aria-invalid', String(bad));
		msg.textContent = bad ? t('date.invalid', {pattern: datePattern(l)}) : '';
		if (hidden) hidden.value = iso ?? '';
		text.dataset.iso = iso ?? '';
		return iso;
	};
	text.addEventListener('input', () => {
		check();
	});
	text.addEventListener('change', () => {
		const iso = check();
		if (iso !== null) {
			text.value = formatDate(iso, l);
			o.onChange?.(iso);
		}
	});
	return h('span', {class: 'date-field'}, text, hidden, msg);
}
