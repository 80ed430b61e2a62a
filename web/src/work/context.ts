// What the workspace pages (study dashboard, site search, upload) get from the app: the API, the
// session, the state and its URL, the shared map, and navigation.
import type {Api} from '../api.ts';
import type {AtlasMap} from '../map/map.ts';
import type {Session} from '../session.ts';
import type {Route, State} from '../state.ts';

export interface WorkContext {
	api: Api;
	session(): Session | null;
	state(): State;
	/** update changes the state and replaces the URL (no history entry). */
	update(fn: (s: State) => void): void;
	/** go shows a route and records it in the history. */
	go(route: Route): void;
	/** href is the link to a route with the current state. */
	href(route: Route): string;
	map(): AtlasMap;
	/** setAsOf sets the date of the map, the list and the pages ('' is today) and shows the page again. */
	setAsOf(asOf: string): void;
	/** openOnMap shows parcels on the map page: a CQL2 filter (with a label for the chip) at a date. */
	openOnMap(cql: string, label: string, asOf: string): void;
}

/** WorkPage is a page of the workspace, drawn into the side panel while the map stays beside it. */
export interface WorkPage {
	/** show draws the page for a route (its own route, maybe with an id). */
	show(route: Route): void;
	/** hide is called when another page takes the panel; the page keeps its state. */
	hide(): void;
	/** rerender draws the page again in the current language. */
	rerender(): void;
	/** settled resolves when what the page asked for has arrived (for tests). */
	settled: Promise<void>;
}

/** errorText is the message of a failure. */
export function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}
