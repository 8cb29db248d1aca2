// @ts-check
/**
 * A type test, never run: `npx tsc -p web` checks that web/assets/api.js's calls are typed from the
 * generated API types: answers and bodies by path, `unknown` for a path it cannot tell.
 */
import { api, get, post, query } from '../../web/assets/api.js';

const id = String(Math.random());

const shown = await get(`/plan-drafts/${id}`);
/** @type {number} */
const reviews = shown.draft.reviews.length;
/** @type {string | undefined} */
const customTitle = shown.draft.selection?.customClauses[0]?.titleZh;
/** @type {string | undefined} */
const reasonCode = shown.suggestions?.clauses[0]?.reasons[0]?.code;
// @ts-expect-error a field the API does not send
shown.draft.nope;

const status = await post(`/plan-drafts/${id}/selection`, { clauseIds: [], customClauses: [] });
/** @type {'awaiting_review' | 'expired' | string} */
const stage = status.stage;
// @ts-expect-error a decision the API refuses
await post(`/plan-drafts/${id}/review`, { decision: 'maybe', comment: '' });

const { total } = await get(`/plan-drafts${query({ status: 'awaiting_review' })}`);
/** @type {boolean} */
const certificateReady = (await get(`/public/orders/${id}?t=token`)).certificateReady;

/** @type {null} */
const loggedOut = await api('POST', '/auth/logout', undefined, { keep401: true });

const somewhere = await get(/** @type {string} */ (id));
// @ts-expect-error a path no route matches answers unknown
somewhere.anything;

export const seen = [reviews, customTitle, reasonCode, stage, total, certificateReady, loggedOut];
