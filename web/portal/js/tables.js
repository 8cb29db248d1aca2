/** Tables several portal pages share: plan drafts and their status badges. */
import { bi, h, tx } from '../../assets/dom.js';
import { formatDateTime, formatFen, formatWaiting } from '../../assets/format.js';
import { getLang } from '../../assets/i18n.js';

export const statusBadge = (concept, status) =>
  tx(`labels:${concept}.${status}`, undefined, 'span', { class: `badge badge-${status}` });

/**
 * Drafts as a table; `productNames` (id → name) adds a product column,
 * `linkKey` labels the row's link (e.g. "review.open" in the review queue), `waiting` adds who submitted
 * each draft and how long it has waited (the review queue).
 */
export function draftTable(
  drafts,
  emptyKey,
  { productNames, linkKey = 'common.open', testid = 'draft-table', waiting = false } = {},
) {
  if (drafts.length === 0)
    return tx(emptyKey, undefined, 'p', { class: 'muted', 'data-testid': `${testid}-empty` });
  const head = h(
    'tr',
    {},
    h('th', {}, tx('drafts.name')),
    productNames ? h('th', {}, tx('draft.product')) : null,
    h('th', {}, tx('drafts.status')),
    h('th', { class: 'num' }, tx('drafts.term')),
    h('th', { class: 'num' }, tx('drafts.price')),
    waiting
      ? [h('th', {}, tx('review.submitter')), h('th', {}, tx('review.waiting'))]
      : h('th', {}, tx('drafts.updated')),
    h('th', {}, tx('common.actions')),
  );
  const rows = drafts.map((d) =>
    h(
      'tr',
      { 'data-draft-id': d.id },
      h('td', {}, h('a', { href: `/portal/draft.html?id=${d.id}` }, bi(d.nameZh, d.nameEn))),
      productNames ? h('td', {}, productNames.get(d.productId) ?? '—') : null,
      h('td', {}, statusBadge('draftStatus', d.status)),
      h('td', { class: 'num' }, tx('common.months', { n: d.termMonths })),
      h('td', { class: 'num' }, formatFen(d.priceFen, d.currency)),
      waiting
        ? [
            h('td', { 'data-testid': 'submitter' }, d.submitter?.displayName ?? '—'),
            h(
              'td',
              { 'data-testid': 'waiting', title: d.submittedAt ? formatDateTime(d.submittedAt) : '' },
              formatWaiting(d.waitingSeconds, getLang()),
            ),
          ]
        : h('td', {}, formatDateTime(d.updatedAt)),
      h(
        'td',
        {},
        h(
          'a',
          {
            class: 'button button-secondary button-small',
            href: `/portal/draft.html?id=${d.id}`,
            'data-testid': `open-draft-${d.id}`,
          },
          tx(linkKey),
        ),
      ),
    ),
  );
  return h('table', { 'data-testid': testid }, h('thead', {}, head), h('tbody', {}, rows));
}

/** id → "brand name model" for every product of the manufacturer (the product list is short). */
export async function productNameMap(get) {
  const { items } = await get('/products?limit=200');
  return new Map(items.map((p) => [p.id, `${p.name} · ${p.model}`]));
}
