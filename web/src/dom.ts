// A few helpers for building DOM without a framework: h() creates an element with attributes,
// properties and children; text content always goes through text nodes, never innerHTML.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** h creates an element; `on*` attributes become listeners, booleans toggle attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs)) {
		if (value === null || value === undefined || value === false) continue;
		if (name.startsWith('on') && typeof value === 'function') {
			el.addEventListener(name.slice(2).toLowerCase(), value);
		} else if (name === 'class') {
			el.className = String(value);
		} else if (value === true) {
			el.setAttribute(name, '');
		} else {
			el.setAttribute(name, String(value));
		}
	}
	append(el, children);
	return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
	for (const c of children) {
		if (Array.isArray(c)) append(el, c);
		else if (c === null || c === undefined || c === false) continue;
		else el.append(c instanceof Node ? c : String(c));
	}
}

/** replace empties el and puts children in. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
	el.replaceChildren();
	append(el, children);
}

/** byId returns an element that index.html guarantees to exist. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
	const el = document.getElementById(id);
	if (!el) throw new Error(`index.html has no #${id}`);
	return el as T;
}

/** debounce delays fn until calls stop for ms milliseconds. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	return (...args: A) => {
		clearTimeout(timer);
		timer = setTimeout(() => fn(...args), ms);
	};
}

/** announce tells screen readers about a change through the polite live region of index.html. */
export function announce(message: string): void {
	const region = document.getElementById('live');
	if (region) region.textContent = message;
}

/** saveBlob hands a file to the browser as a download (through a temporary link). */
export function saveBlob(blob: Blob, filename: string): void {
	const href = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = href;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
