/** A published plan: QR code and downloads, the public URL, and the frozen clauses of the current version. */
import { ApiError, get } from '../../assets/api.js';
import { bi, byId, h, param, setNotice, tx } from '../../assets/dom.js';
import { formatDateTime, formatFen } from '../../assets/format.js';
import { startRuleLabel } from '../../assets/i18n.js';
import { bootPortal } from '../../assets/shell.js';
import { statusBadge } from './tables.js';
import { COVERAGE_TYPES } from './vocabulary.js';

await bootPortal('plans');

const DOWNLOADS = [
  ['qr_png', 'plan.downloadPng', 'download-qr-png'],
  ['qr_svg', 'plan.downloadSvg', 'download-qr-svg'],
  ['label_pdf', 'plan.downloadPdf', 'download-label-pdf'],
];

const planId = param('id');
let plan;
try {
  if (!planId) throw new ApiError(404, { message: 'plan not found' });
  plan = await get(`/plans/${planId}`);
} catch (error) {
  setNotice(
    byId('load-error'),
    error instanceof ApiError ? { message: error.message } : { key: 'common.networkError' },
  );
}

if (plan) {
  const [product, users] = await Promise.all([
    get(`/products/${plan.productId}`).catch(() => null),
    get('/manufacturer/users').catch(() => []),
  ]);
  const nameOf = (id) => users.find((u) => u.id === id)?.displayName ?? id;
  const current = plan.versions.find((v) => v.version === plan.currentVersion) ?? plan.versions[0];

  byId('plan-title').replaceChildren(bi(plan.nameZh, plan.nameEn));
  byId('plan-product').replaceChildren(
    product ? `${product.brand} · ${product.name} · ${product.model}` : '',
  );
  byId('plan-status').replaceChildren(statusBadge(plan.status));
  byId('plan-code').textContent = plan.code;
  byId('plan-public-url-slot').replaceChildren(
    h(
      'a',
      {
        href: plan.publicUrl,
        id: 'plan-public-url',
        'data-testid': 'plan-public-url',
        target: '_blank',
        rel: 'noopener',
      },
      plan.publicUrl,
    ),
  );
  byId('draft-link-slot').replaceChildren(
    h('a', { href: `/portal/draft.html?id=${plan.draftId}`, id: 'draft-link' }, tx('plan.draftLink')),
  );

  const png = plan.documents.find((d) => d.kind === 'qr_png');
  if (png) {
    const image = byId('plan-qr');
    image.src = png.url;
    image.hidden = false;
  }
  byId('plan-downloads').replaceChildren(
    ...DOWNLOADS.filter(([kind]) => plan.documents.some((d) => d.kind === kind)).map(([kind, key, id]) =>
      h(
        'a',
        {
          class: 'button button-secondary',
          href: plan.documents.find((d) => d.kind === kind).url,
          download: '',
          id,
          'data-testid': id,
        },
        tx(key),
      ),
    ),
  );

  if (current) {
    const fact = (key, ...value) => h('div', {}, h('dt', {}, tx(key)), h('dd', {}, ...value));
    byId('plan-facts').replaceChildren(
      fact(
        'plan.version',
        tx('plan.versionN', { n: current.version }, 'span', { 'data-testid': 'plan-version' }),
      ),
      fact('plan.publishedAt', formatDateTime(current.publishedAt)),
      fact('draft.term', tx('common.months', { n: current.termMonths })),
      fact('draft.price', formatFen(current.priceFen, current.currency)),
      fact(
        'draft.startRule',
        h(
          'span',
          { dataset: { startRule: JSON.stringify(current.coverageStartRule) } },
          startRuleLabel(current.coverageStartRule),
        ),
      ),
      fact('draft.window', tx('common.days', { n: current.purchaseWindowDays })),
      fact(
        'draft.coverage',
        h(
          'ul',
          { class: 'chips' },
          current.coverageTypes.map((c) => tx(`coverage.${c}`, undefined, 'li', { class: 'chip' })),
        ),
      ),
      fact('plan.submittedBy', nameOf(current.submittedBy)),
      fact('plan.approvedBy', nameOf(current.approvedBy)),
    );
    // Clauses in the catalogue's order of coverage types, as the consumer page lists them.
    const rank = (c) => COVERAGE_TYPES.indexOf(c.coverageType);
    const clauses = [...current.clauses].sort((a, b) => rank(a) - rank(b));
    byId('plan-clauses').replaceChildren(
      ...clauses.map((c) =>
        h(
          'li',
          { 'data-clause-key': c.key ?? 'custom' },
          h(
            'h3',
            {},
            bi(c.titleZh, c.titleEn),
            ' ',
            tx(`coverage.${c.coverageType}`, undefined, 'span', { class: 'badge' }),
            c.clauseId
              ? null
              : [
                  ' ',
                  tx('draft.selectionCustom', undefined, 'span', { class: 'badge badge-awaiting_review' }),
                ],
          ),
          bi(c.bodyZh, c.bodyEn, 'p', { class: 'clause-body' }),
          c.key ? h('small', { class: 'clause-key' }, `${c.key} · v${c.version}`) : null,
        ),
      ),
    );
  }

  if (plan.versions.length > 1) {
    byId('history-card').hidden = false;
    byId('plan-history').replaceChildren(
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, tx('plans.version')),
            h('th', {}, tx('plan.publishedAt')),
            h('th', { class: 'num' }, tx('draft.price')),
            h('th', { class: 'num' }, tx('draft.term')),
            h('th', {}, tx('plan.approvedBy')),
          ),
        ),
        h(
          'tbody',
          {},
          plan.versions.map((v) =>
            h(
              'tr',
              {},
              h('td', {}, `v${v.version}`),
              h('td', {}, formatDateTime(v.publishedAt)),
              h('td', { class: 'num' }, formatFen(v.priceFen, v.currency)),
              h('td', { class: 'num' }, tx('common.months', { n: v.termMonths })),
              h('td', {}, nameOf(v.approvedBy)),
            ),
          ),
        ),
      ),
    );
  }
}
