// Entry point: tells MapLibre where its worker is, reads the server's config (optional) and the
// field registry, and starts the app. window.__landatlas and window.__landatlasMap are there for the browser tests.
import {setWorkerUrl} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import {Api, type Config} from './api.ts';
import {App} from './app.ts';
import {loadCatalog} from './catalog.ts';
import {storedSession} from './session.ts';
import {legalFooter} from './ui/enquiry.ts';
import {reportSource, showReport} from './work/report.ts';

const worker = document.querySelector<HTMLMetaElement>('meta[name=landatlas-worker]')?.content;
if (worker && !worker.startsWith('__')) setWorkerUrl(worker);

async function main(): Promise<void> {
	const api = new Api();
	const report = reportSource(window.location);
	if (report) return showReport(api, report);
	// The config endpoint is optional: without it the map draws our own base layers.
	const config: Config = await api.config().catch(() => ({}));
	// Every label, code list and filter comes from the field registry; a signed-in reader's has
	// the internal fields too. Without it the app cannot label anything, so it waits for it.
	api.setToken(storedSession()?.token ?? null);
	await loadCatalog(api);
	const app = new App(api, config);
	(window as unknown as {__landatlas: App}).__landatlas = app;
	app.start();
	legalFooter();
}

void main();
