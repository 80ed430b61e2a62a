// Sign-in with a bearer token. The token lives in sessionStorage only: it is gone when the tab
// closes, and no other tab or later visit sees it. Who the token belongs to (label, role, district)
// is asked from the server: GET /api/v1/session where the server has it, otherwise found out from
// the answers of two requests that change nothing (see identify).
import {Api, ApiError} from './api.ts';

export type Role = 'planner' | 'editor' | 'admin';

/** Account is who a token belongs to. */
export interface Account {
	label: string;
	role: Role;
	/** district is the editor's district (AGS); '' for planners and admins. */
	district: string;
}

/** Session is a signed-in token with its account. */
export interface Session extends Account {
	token: string;
}

const storageKey = 'landatlas.session';
const expiredKey = 'landatlas.session.expired';

/** markExpired notes that the server refused the stored token, for the next page load to say so. */
export function markExpired(): void {
	try {
		sessionStorage.setItem(expiredKey, '1');
	} catch {
		// storage off: the page just shows the signed-out state
	}
}

/** takeExpired tells (once) whether the last session ended because the server refused its token. */
export function takeExpired(): boolean {
	try {
		const v = sessionStorage.getItem(expiredKey) === '1';
		sessionStorage.removeItem(expiredKey);
		return v;
	} catch {
		return false;
	}
}

/** storedSession reads the session of this tab, if any. */
export function storedSession(): Session | null {
	try {
		const raw = sessionStorage.getItem(storageKey);
		if (!raw) return null;
		const s = JSON.parse(raw) as Session;
		return typeof s.token === 'string' && s.token ? s : null;
	} catch {
		return null;
	}
}

/** storeSession keeps a session for this tab, or forgets it (null). */
export function storeSession(s: Session | null): void {
	try {
		if (s) sessionStorage.setItem(storageKey, JSON.stringify(s));
		else sessionStorage.removeItem(storageKey);
	} catch {
		// storage off: the session lasts as long as the page
	}
}

/** mayUpload says whether an account may upload and publish, and for which districts ('*': all). */
export function uploadDistricts(a: Account | null): string[] {
	if (!a) return [];
	if (a.role === 'admin') return ['*'];
	if (a.role === 'editor' && a.district) return [a.district];
	return [];
}

/** mayRunStudies says whether an account may create study runs (planners and admins). */
export function mayRunStudies(a: Account | null): boolean {
	return a?.role === 'planner' || a?.role === 'admin';
}

/**
 * identify checks a token and finds its account. A wrong token is an ApiError 401.
 *
 * The server has no endpoint that describes the signed-in account yet, so identify tries
 * GET /api/v1/session first and otherwise learns the account from the upload endpoint's answers to
 * requests without a file: the server checks who may upload into a district before it reads a
 * file, and names the account in its refusal ("the account "X" is a planner …", "… edits
 * Saalekreis (15088) only …"). A request the account may make fails on the missing file name, so
 * nothing is ever stored.
 */
export async function identify(api: Api, token: string): Promise<Account> {
	const probe = new Api(api.base);
	probe.setToken(token);
	try {
		const me = await probe.send<Partial<Account> & {district_ags?: string}>('/api/v1/session');
		if (me.role === 'planner' || me.role === 'editor' || me.role === 'admin') {
			return {label: me.label ?? '', role: me.role, district: me.district ?? me.district_ags ?? ''};
		}
	} catch (e) {
		if (e instanceof ApiError && e.status === 401) throw e;
		// no such endpoint: the web app answers the path with its page, which is not JSON
	}
	await probe.send('/api/v1/uploads', {params: {limit: 1}}); // 401 for a wrong token
	const refusal = async (district: string): Promise<ApiError | null> => {
		try {
			await probe.send('/api/v1/uploads', {method: 'POST', params: {district}});
			return null;
		} catch (e) {
			if (e instanceof ApiError && (e.status === 403 || e.status === 400)) return e.status === 403 ? e : null;
			throw e;
		}
	};
	const read = (e: ApiError): Account | null => {
		const planner = e.message.match(/^the account "(.*)" is a (planner|editor|admin)\b/);
		if (planner) return {label: planner[1], role: planner[2] as Role, district: ''};
		const editor = e.message.match(/^the account "(.*)" edits .* \((\d{5})\) only/);
		if (editor) return {label: editor[1], role: 'editor', district: editor[2]};
		return null;
	};
	// Two districts: an editor of the first is refused for the second.
	for (const district of ['14713', '16077']) {
		const e = await refusal(district);
		if (e) {
			const a = read(e);
			if (a) return a;
			throw e;
		}
	}
	return {label: '', role: 'admin', district: ''};
}
