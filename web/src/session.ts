// Sign-in with a bearer token. The token lives in sessionStorage only: it is gone when the tab
// closes, and no other tab or later visit sees it. Who the token belongs to (label, role, district)
// is asked from the server: GET /api/v1/session.
import {Api} from './api.ts';

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

/** identify checks a token and finds its account (GET /api/v1/session). A wrong token is an ApiError 401. */
export async function identify(api: Api, token: string): Promise<Account> {
	const probe = new Api(api.base);
	probe.setToken(token);
	const me = await probe.send<{signed_in: boolean; label?: string; role?: string; district?: string}>('/api/v1/session');
	if (!me.signed_in || (me.role !== 'planner' && me.role !== 'editor' && me.role !== 'admin')) {
		throw new Error('the server did not recognise the token');
	}
	return {label: me.label ?? '', role: me.role, district: me.district ?? ''};
}
