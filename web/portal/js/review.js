/** The approver's queue: drafts whose clause selection waits for review (refreshed every 10 s). */
import { get } from '../../assets/api.js';
import { byId } from '../../assets/dom.js';
import { bootPortal } from '../../assets/shell.js';
import { draftTable, productNameMap } from './tables.js';

await bootPortal('review');
const productNames = await productNameMap(get);

async function load() {
  const { items } = await get('/plan-drafts?status=awaiting_review&limit=200');
  byId('review-queue').replaceChildren(
    draftTable(items, 'review.empty', { productNames, linkKey: 'review.open', testid: 'review-table' }),
  );
}

await load();
setInterval(() => {
  if (document.visibilityState === 'visible') load().catch(() => {});
}, 10_000);
