/**
 * The service desk: the manufacturer's repair requests by status, and one
 * claim with its photos, the claim cap and the next action (accept or reject,
 * record the repair, close). Approvers and admins act; everyone else reads.
 */
import { get, post, query } from '../../assets/api.js';
import {
  bi,
  byId,
  errorMessage,
  fieldValue,
  flash,
  h,
  onSubmit,
  param,
  setNotice,
  showLocalErrors,
  tx,
} from '../../assets/dom.js';
import { formatDateTime, formatFen, parseYuanToFen } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('claims.heading')}</h1>
        <p class="lead">${t('claims.lead')}</p>
      </div>
      <form class="desk-filters" data-testid="claim-search" novalidate @submit=${(event) => {
        event.preventDefault();
        refilter();
      }}>
        <div class="field">
          <label for="claim-q">${t('claims.search')}</label>
          <div class="search-row">
            <input id="claim-q" name="q" type="search" maxlength="64" autocomplete="off" data-testid="claim-q"
              placeholder=${t('claims.searchHint')} />
            <button type="submit" class="button button-secondary" data-testid="claim-search-submit">
              ${t('claims.searchButton')}
            </button>
          </div>
        </div>
        <div class="field">
        <label for="claim-filter">${t('claims.filter')}</label>
        <select id="claim-filter" data-testid="claim-filter">
          <option value="">${t('claims.all')}</option>
          <option value="submitted">${t('labels:claimStatus.submitted')}</option>
          <option value="accepted">${t('labels:claimStatus.accepted')}</option>
          <option value="repaired">${t('labels:claimStatus.repaired')}</option>
          <option value="closed">${t('labels:claimStatus.closed')}</option>
          <option value="rejected">${t('labels:claimStatus.rejected')}</option>
        </select>
        </div>
        <label class="check"><input type="checkbox" id="claim-overdue" data-testid="claim-overdue"
          @change=${() => refilter()} /> <span>${t('claims.overdueOnly')}</span></label>
      </form>
    </div>
    <section class="card">
      <div class="table-wrap" id="claim-queue" data-testid="claim-queue" data-loading></div>
    </section>
    <section id="claim-detail" data-testid="claim-detail" aria-live="polite" hidden></section>
  `,
);

const me = await bootPortal('claims');
const canAct = hasRole(me, 'approver') || hasRole(me, 'admin');
const filter = byId('claim-filter');
const searchBox = byId('claim-q');
const overdueOnly = byId('claim-overdue');
const detail = byId('claim-detail');
filter.value = param('status') ?? '';
searchBox.value = param('q') ?? '';
overdueOnly.checked = param('overdue') === 'true';

const statusBadge = (status) =>
  tx(`labels:claimStatus.${status}`, undefined, 'span', {
    class: `badge badge-${status}`,
    'data-status': status,
  });

/** Keeps the filter and the open claim in the address, so a reload or a reminder's link lands here. */
function remember(claimNumber) {
  const params = new URLSearchParams();
  if (filter.value) params.set('status', filter.value);
  if (searchBox.value.trim()) params.set('q', searchBox.value.trim());
  if (overdueOnly.checked) params.set('overdue', 'true');
  if (claimNumber) params.set('claim', claimNumber);
  const search = params.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

async function loadQueue() {
  const { items } = await get(
    `/claims${query({
      status: filter.value,
      q: searchBox.value.trim(),
      overdue: overdueOnly.checked ? 'true' : '',
      limit: 200,
    })}`,
  );
  if (items.length === 0) {
    byId('claim-queue').replaceChildren(
      tx('claims.empty', undefined, 'p', { class: 'muted', 'data-testid': 'claims-empty' }),
    );
    return;
  }
  const head = h(
    'tr',
    {},
    [
      'claims.number',
      'claims.status',
      'claims.product',
      'claims.type',
      'claims.faultDate',
      'claims.photos',
      'claims.filed',
      'claims.reminders',
    ].map((key) => h('th', {}, tx(key))),
  );
  const rows = items.map((c) =>
    h(
      'tr',
      { 'data-claim': c.claimNumber, 'data-overdue': c.overdue ? 'true' : undefined },
      h(
        'td',
        {},
        h(
          'a',
          {
            href: `?claim=${c.claimNumber}`,
            class: 'mono',
            'data-testid': `open-claim-${c.claimNumber}`,
            onclick: (event) => {
              event.preventDefault();
              openClaim(c.claimNumber).catch(showLoadError);
            },
          },
          c.claimNumber,
        ),
      ),
      h(
        'td',
        {},
        statusBadge(c.status),
        c.overdue
          ? [
              ' ',
              tx('claims.overdue', undefined, 'span', {
                class: 'badge badge-overdue',
                'data-testid': 'overdue',
              }),
            ]
          : null,
      ),
      h('td', {}, c.product),
      h('td', {}, tx(`labels:coverage.${c.coverageType}`)),
      h('td', {}, c.faultDate),
      h('td', { class: 'num' }, String(c.photoCount)),
      h('td', {}, formatDateTime(c.createdAt)),
      h('td', { class: 'num' }, String(c.slaRemindersSent)),
    ),
  );
  byId('claim-queue').replaceChildren(
    h('table', { 'data-testid': 'claim-table' }, h('thead', {}, head), h('tbody', {}, rows)),
  );
}

function showLoadError(error) {
  detail.hidden = false;
  const notice = h('div', { role: 'alert' });
  setNotice(notice, errorMessage(error));
  detail.replaceChildren(notice);
}

const fact = (key, ...value) => h('div', {}, h('dt', {}, tx(key)), h('dd', {}, ...value));

/** A form for one desk action; on success the claim and the queue are shown afresh. */
function actionForm(testid, fields, buttons, send) {
  const form = h(
    'form',
    { novalidate: true, 'data-testid': testid },
    h('div', { 'data-role': 'form-error', hidden: true }),
    fields,
    h('div', { class: 'form-actions' }, buttons),
  );
  onSubmit(
    form,
    async (event) => {
      const action = event.submitter?.value ?? '';
      const claim = await send(form, action);
      if (!claim) return;
      flash(`claims.done.${claim.status}`);
      renderClaim(claim);
      await loadQueue();
    },
    async (error) => {
      // Someone else may have acted meanwhile: show what is true now.
      if (error.status === 409) await loadQueue();
    },
  );
  return form;
}

function decisionForm(claim) {
  return actionForm(
    'decision-form',
    h(
      'div',
      { class: 'field', 'data-field': 'reason' },
      h(
        'label',
        { for: 'decision-reason' },
        tx('claims.reason'),
        ' ',
        tx('claims.reasonHint', undefined, 'span', { class: 'hint' }),
      ),
      h('textarea', {
        id: 'decision-reason',
        name: 'reason',
        rows: 3,
        maxlength: 2000,
        'data-testid': 'decision-reason',
      }),
    ),
    [
      h(
        'button',
        { type: 'submit', class: 'button', value: 'accept', 'data-testid': 'accept' },
        tx('claims.accept'),
      ),
      h(
        'button',
        { type: 'submit', class: 'button button-danger', value: 'reject', 'data-testid': 'reject' },
        tx('claims.reject'),
      ),
    ],
    (form, decision) =>
      post(`/claims/${claim.claimNumber}/decision`, { decision, reason: fieldValue(form, 'reason') }),
  );
}

function repairForm(claim) {
  return actionForm(
    'repair-form',
    [
      h(
        'div',
        { class: 'grid-2' },
        h(
          'div',
          { class: 'field', 'data-field': 'repairCostFen' },
          h(
            'label',
            { for: 'repair-cost' },
            tx('claims.cost'),
            ' ',
            tx('claims.costHint', { amount: formatFen(claim.cap.remainingFen, claim.currency) }, 'span', {
              class: 'hint',
            }),
          ),
          h('input', {
            type: 'text',
            id: 'repair-cost',
            name: 'cost',
            inputmode: 'decimal',
            autocomplete: 'off',
            'data-testid': 'repair-cost',
          }),
        ),
        h(
          'div',
          { class: 'field', 'data-field': 'outcome' },
          h('label', { for: 'repair-outcome' }, tx('claims.outcome')),
          h(
            'select',
            { id: 'repair-outcome', name: 'outcome', 'data-testid': 'repair-outcome' },
            ['repaired', 'replaced', 'no_fault_found'].map((o) =>
              tx(`outcome.${o}`, undefined, 'option', { value: o }),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'field', 'data-field': 'parts' },
        h('label', { for: 'repair-parts' }, tx('claims.parts')),
        h('textarea', {
          id: 'repair-parts',
          name: 'parts',
          rows: 2,
          maxlength: 2000,
          'data-testid': 'repair-parts',
        }),
      ),
      tx('claims.replacedHint', undefined, 'p', { class: 'hint' }),
    ],
    [
      h(
        'button',
        { type: 'submit', class: 'button', 'data-testid': 'record-repair' },
        tx('claims.recordRepair'),
      ),
    ],
    async (form) => {
      const typed = fieldValue(form, 'cost');
      const repairCostFen = parseYuanToFen(typed);
      if (repairCostFen === null) {
        showLocalErrors(form, { repairCostFen: { key: 'msg.money' } });
        return null;
      }
      return post(`/claims/${claim.claimNumber}/repair`, {
        repairCostFen,
        parts: fieldValue(form, 'parts'),
        outcome: fieldValue(form, 'outcome'),
      });
    },
  );
}

function closeForm(claim) {
  return actionForm(
    'close-form',
    tx('claims.closeHint', undefined, 'p', { class: 'muted' }),
    [h('button', { type: 'submit', class: 'button', 'data-testid': 'close-claim' }, tx('claims.close'))],
    () => post(`/claims/${claim.claimNumber}/close`),
  );
}

function renderClaim(claim) {
  remember(claim.claimNumber);
  const next = { submitted: decisionForm, accepted: repairForm, repaired: closeForm }[claim.status];
  const actions = next
    ? canAct
      ? next(claim)
      : tx('claims.deskOnly', undefined, 'p', { class: 'notice notice-info' })
    : null;
  const order = claim.order;
  const heading = (key) => h('h3', { class: 'downloads-heading' }, tx(key));
  const main = [
    h(
      'div',
      { class: 'card-head' },
      h(
        'h2',
        {},
        tx('claims.detail'),
        ' ',
        h('span', { class: 'mono', 'data-testid': 'claim-number' }, claim.claimNumber),
      ),
      statusBadge(claim.status),
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('claims.type', tx(`labels:coverage.${claim.coverageType}`)),
      fact('claims.faultDate', claim.faultDate),
      fact('claims.filed', formatDateTime(claim.createdAt)),
      fact('claims.reminders', String(claim.slaRemindersSent)),
      fact(
        'claims.order',
        h('span', { class: 'mono' }, order.orderNumber),
        ' ',
        tx(`claims.orderStatus.${order.status}`, undefined, 'span', {
          class: 'badge',
          'data-testid': 'order-status',
        }),
      ),
      fact('claims.plan', bi(order.planNameZh, order.planNameEn)),
      fact('claims.product', claim.product),
      fact('claims.serial', h('span', { class: 'mono' }, order.serialNumber)),
      fact('claims.coverage', order.coverageStart ? `${order.coverageStart} – ${order.coverageEnd}` : '—'),
      fact('claims.consumer', order.consumerName),
      fact('claims.phone', h('a', { href: `tel:${claim.contactPhone}` }, claim.contactPhone)),
    ),
    heading('claims.description'),
    h('p', { 'data-testid': 'fault-description' }, claim.faultDescription),
    heading('claims.photos'),
    claim.photos.length === 0
      ? tx('claims.noPhotos', undefined, 'p', { class: 'muted' })
      : h(
          'div',
          { class: 'chips' },
          claim.photos.map((p, i) =>
            h(
              'a',
              { href: p.url, target: '_blank', rel: 'noopener' },
              h('img', {
                src: p.url,
                width: 160,
                alt: `${i + 1}: ${p.fileName}`,
                'data-testid': 'desk-photo',
              }),
            ),
          ),
        ),
    claim.temporalUiUrl
      ? h(
          'p',
          { class: 'downloads-heading' },
          h('a', { href: claim.temporalUiUrl, target: '_blank', rel: 'noopener' }, tx('claims.temporal')),
        )
      : null,
  ];
  const side = [
    h('h2', {}, tx('claims.cap')),
    h(
      'dl',
      { class: 'facts', 'data-testid': 'claim-cap' },
      fact('claims.capRetail', formatFen(claim.cap.retailPriceFen, claim.currency)),
      fact('claims.capApproved', formatFen(claim.cap.approvedFen, claim.currency)),
      fact('claims.capRemaining', formatFen(claim.cap.remainingFen, claim.currency)),
    ),
    claim.decisionReason
      ? h(
          'p',
          { class: 'downloads-heading', 'data-testid': 'claim-reason' },
          h('strong', {}, tx(claim.status === 'rejected' ? 'claims.rejectReason' : 'claims.note')),
          ' ',
          claim.decisionReason,
        )
      : null,
    claim.outcome
      ? [
          heading('claims.repairRecord'),
          h(
            'dl',
            { class: 'facts', 'data-testid': 'repair-record' },
            fact('claims.outcome', tx(`outcome.${claim.outcome}`)),
            fact('claims.costPaid', formatFen(claim.repairCostFen ?? 0, claim.currency)),
            fact('claims.parts', claim.parts ?? '—'),
          ),
        ]
      : null,
    actions ? [heading('claims.next'), actions] : null,
  ];
  // replaceChildren would print a null as text: only real nodes go in.
  detail.replaceChildren(
    h(
      'div',
      { class: 'split' },
      h('section', { class: 'card' }, main),
      h('aside', { class: 'card', 'data-testid': 'claim-actions' }, side),
    ),
  );
  detail.hidden = false;
}

async function openClaim(claimNumber) {
  renderClaim(await get(`/claims/${claimNumber}`));
  detail.scrollIntoView({ block: 'start' });
}

/** The queue afresh for the status, search and overdue filters, which the address keeps. */
function refilter() {
  remember(param('claim'));
  loadQueue().catch(showLoadError);
}

filter.addEventListener('change', refilter);

await loadQueue();
const wanted = param('claim');
if (wanted && /^CL[A-Z2-9]{16}$/.test(wanted)) await openClaim(wanted).catch(showLoadError);
