// The printable report of a study run at its own address (/study/run/{id}/report, and
// /monitoring/report?... for the monitoring report): a link that can be bookmarked and reloaded.
// The report's HTML comes from the API, which needs the token for internal runs, so the page
// fetches it with the tab's session and then becomes the report.
import {Api} from '../api.ts';
import {storedSession} from '../session.ts';

/** reportSource is the API path of the report a page address stands for, or null for none. */
export function reportSource(loc: {pathname: string; search: string}): string | null {
	const run = loc.pathname.match(/^\/study\/run\/(\d+)\/report\/?$/);
	if (run) return `/api/v1/study/runs/${run[1]}/report.html`;
	if (/^\/monitoring\/report\/?$/.test(loc.pathname)) return `/api/v1/study/monitoring/report.html${loc.search}`;
	return null;
}

/** showReport replaces the page by the report fetched from source; a failure is shown as text. */
export async function showReport(api: Api, source: string): Promise<void> {
	api.setToken(storedSession()?.token ?? null);
	let html: string;
	try {
		const res = await api.fetch(source, {accept: 'text/html'});
		html = await res.text();
	} catch (e) {
		const msg = e instanceof Error ? e.message : String(e);
		html = `<!DOCTYPE html><meta charset="utf-8"><title>landatlas</title><p role="alert" id="report-error"></p>`;
		document.open();
		document.write(html);
		document.close();
		document.getElementById('report-error')!.textContent = msg;
		return;
	}
	document.open();
	document.write(html);
	document.close();
}
