// Plain SVG bar charts for the study dashboard: horizontal bars (one or two series per category,
// or diverging around zero) and vertical bars for a time series. A chart is a picture for the eye
// (role img with a summary); the table beside it carries the same numbers for screen readers and
// keyboards. Bars are clickable where the figure leads to parcels.

const svgNS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
	const el = document.createElementNS(svgNS, tag);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
	for (const c of children) el.append(c);
	return el;
}

/** Bar is one category of a chart. */
export interface Bar {
	key: string;
	label: string;
	value: number;
	/** second is drawn over the first (e.g. the reserve within the net area). */
	second?: number;
	/** muted draws a bar lighter (e.g. the running, incomplete year). */
	muted?: boolean;
}

export interface ChartOptions {
	title: string;
	format: (v: number) => string;
	onClick?: (key: string) => void;
	colors?: [string, string];
}

/** hbars draws horizontal bars, labelled left and valued right; negative values extend left of zero. */
export function hbars(bars: Bar[], opts: ChartOptions): SVGSVGElement {
	const rowH = 22, labelW = 170, valueW = 78, width = 560, barW = width - labelW - valueW;
	const min = Math.min(0, ...bars.map((b) => b.value));
	const max = Math.max(0, ...bars.map((b) => Math.max(b.value, b.second ?? 0)));
	const span = max - min || 1;
	const x = (v: number) => labelW + ((v - min) / span) * barW;
	const [c1, c2] = opts.colors ?? ['#9ec1f2', '#0b57d0'];
	const height = bars.length * rowH + 6;
	const el = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': opts.title, width: '100%'});
	el.append(svg('title', {}, opts.title));
	bars.forEach((b, i) => {
		const y = i * rowH + 3;
		const g = svg('g', {class: opts.onClick ? 'chart-bar chart-click' : 'chart-bar', 'data-key': b.key});
		const zero = x(0);
		const w = Math.abs(x(b.value) - zero);
		const color = b.value < 0 ? '#c0392b' : c1;
		g.append(
			svg('text', {x: labelW - 6, y: y + 14, 'text-anchor': 'end', class: 'chart-label'}, truncate(b.label, 26)),
			svg('rect', {x: Math.min(zero, x(b.value)), y: y + 2, width: Math.max(w, 0.5), height: rowH - 6, fill: color, rx: 2}),
		);
		if (b.second !== undefined && b.second > 0) {
			g.append(svg('rect', {x: zero, y: y + 6, width: Math.max(x(b.second) - zero, 0.5), height: rowH - 14, fill: c2, rx: 1}));
		}
		g.append(svg('text', {x: width - valueW + 6, y: y + 14, class: 'chart-value'}, opts.format(b.value)));
		if (opts.onClick) {
			g.addEventListener('click', () => opts.onClick!(b.key));
			g.append(svg('title', {}, `${b.label}: ${opts.format(b.value)}`));
		}
		el.append(g);
	});
	if (min < 0) el.append(svg('line', {x1: x(0), x2: x(0), y1: 0, y2: height, class: 'chart-zero'}));
	return el;
}

/** vbars draws a time series as vertical bars with the value over each bar. */
export function vbars(bars: Bar[], opts: ChartOptions & {mean?: number; meanLabel?: string}): SVGSVGElement {
	const width = 560, height = 190, top = 18, bottom = 22, left = 6;
	const max = Math.max(1, ...bars.map((b) => b.value), opts.mean ?? 0);
	const step = (width - left * 2) / Math.max(bars.length, 1);
	const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
	const el = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': opts.title, width: '100%'});
	el.append(svg('title', {}, opts.title));
	bars.forEach((b, i) => {
		const x = left + i * step;
		const g = svg('g', {class: 'chart-bar', 'data-key': b.key});
		g.append(
			svg('rect', {x: x + step * 0.15, y: y(b.value), width: step * 0.7, height: Math.max(y(0) - y(b.value), 0.5), fill: b.muted ? '#c9d8ee' : '#0b57d0', rx: 2}),
			svg('text', {x: x + step / 2, y: y(b.value) - 4, 'text-anchor': 'middle', class: 'chart-value chart-small'}, opts.format(b.value)),
			svg('text', {x: x + step / 2, y: height - 6, 'text-anchor': 'middle', class: 'chart-label chart-small'}, b.label),
		);
		el.append(g);
	});
	if (opts.mean !== undefined) {
		el.append(
			svg('line', {x1: left, x2: width - left, y1: y(opts.mean), y2: y(opts.mean), class: 'chart-mean'}),
			svg('text', {x: width - left, y: y(opts.mean) - 4, 'text-anchor': 'end', class: 'chart-mean-label chart-small'}, opts.meanLabel ?? ''),
		);
	}
	return el;
}

function truncate(s: string, n: number): string {
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
