/** The approver's queue: drafts whose clause selection waits for review (refreshed every 10 s). */
import { get } from '../../assets/api.js';
import { byId } from '../../assets/dom.js';
import { onLangChange, t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { draftTable, productNameMap } from './tables.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('review.heading')}</h1>
        <p class="lead">${t('review.lead')}</p>
      </div>
    </div>
    <section class="card">
      <div class="table-wrap" id="review-queue" data-testid="review-queue" data-loading></div>
    </section>
  `,
);

await bootPortal('review');
const productNames = await productNameMap(get);

async function load() {
  const { items } = await get('/plan-drafts?status=awaiting_review&limit=200');
  byId('review-queue').replaceChildren(
    draftTable(items, 'review.empty', {
      productNames,
      linkKey: 'review.open',
      testid: 'review-table',
      waiting: true,
    }),
  );
}

await load();
// The waiting times are Intl's words, not the catalogue's: draw them again in the new language.
onLangChange(() => load().catch(() => {}));
setInterval(() => {
  if (document.visibilityState === 'visible') load().catch(() => {});
}, 10_000);
