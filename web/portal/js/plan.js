/**
 * A published plan: QR code and downloads, the public URL, the frozen clauses
 * of the current version, batches of per-unit QR codes, stopping and resuming
 * sale (approvers, after a confirmation), a new version (editors; it opens the
 * draft editor) and the recent orders with the version each bought.
 */
import { ApiError, get, post } from '../../assets/api.js';
import {
  bi,
  byId,
  errorMessage,
  fieldValue,
  flashNext,
  h,
  integerOf,
  onSubmit,
  param,
  setNotice,
  showFieldError,
  showLocalErrors,
  tx,
} from '../../assets/dom.js';
import { fenToYuanInput, formatDateTime, formatFen, parseYuanToFen } from '../../assets/format.js';
import { startRuleLabel, t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { statusBadge } from './tables.js';
import { COVERAGE_TYPES } from './vocabulary.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1 id="plan-title" data-testid="plan-title" data-placeholder="plan.heading"></h1>
        <p class="lead" id="plan-product"></p>
      </div>
      <div>
        <div id="plan-status"></div>
        <div class="form-actions" id="sale-actions" hidden>
          <button type="button" class="button button-danger" id="sale-stop" data-testid="sale-stop" hidden>${t('plan.stop')}</button>
          <button type="button" class="button" id="sale-resume" data-testid="sale-resume" hidden>${t('plan.resume')}</button>
        </div>
      </div>
    </div>
    <div id="load-error" hidden></div>
    <section class="card" id="sale-confirm" data-testid="sale-confirm" role="alertdialog" aria-labelledby="sale-confirm-heading" hidden>
      <h2 id="sale-confirm-heading" data-placeholder="plan.stopConfirmTitle"></h2>
      <p id="sale-confirm-body"></p>
      <div data-role="form-error" hidden></div>
      <div class="form-actions">
        <button type="button" class="button" id="sale-confirm-yes" data-testid="sale-confirm-yes"></button>
        <button type="button" class="button button-secondary" id="sale-confirm-no" data-testid="sale-confirm-no">${t('plan.saleCancel')}</button>
      </div>
    </section>
    <div class="split">
      <div>
        <section class="card" aria-labelledby="version-heading">
          <div class="card-head">
            <h2 id="version-heading">${t('plan.version')}</h2>
            <span id="draft-link-slot"></span>
          </div>
          <dl class="facts" id="plan-facts"></dl>
        </section>
        <section class="card" aria-labelledby="clauses-heading">
          <h2 id="clauses-heading">${t('plan.clauses')}</h2>
          <ol class="clause-list" id="plan-clauses" data-testid="plan-clauses"></ol>
        </section>
        <section class="card" aria-labelledby="new-version-heading" id="new-version-card" data-testid="new-version-card" hidden>
          <h2 id="new-version-heading">${t('plan.newVersion')}</h2>
          <p class="muted">${t('plan.newVersionIntro')}</p>
          <p id="open-version" hidden></p>
          <form id="new-version-form" novalidate hidden>
            <div data-role="form-error" hidden></div>
            <div class="grid-2">
              <div class="field" data-field="priceFen">
                <label for="version-price"><span>${t('draftNew.price')}</span> <span class="hint">${t('draftNew.priceHint')}</span></label>
                <input type="text" id="version-price" name="price" inputmode="decimal" autocomplete="off" required data-testid="version-price">
              </div>
              <div class="field" data-field="termMonths">
                <label for="version-term">${t('draft.term')}</label>
                <input type="number" id="version-term" name="termMonths" min="1" max="120" step="1" required data-testid="version-term">
              </div>
              <div class="field" data-field="purchaseWindowDays">
                <label for="version-window">${t('draft.window')}</label>
                <input type="number" id="version-window" name="purchaseWindowDays" min="1" max="3650" step="1" required>
              </div>
              <div class="field" data-field="coolingOffDays">
                <label for="version-cooling-off"><span>${t('draftNew.coolingOff')}</span> <span class="hint">${t('draftNew.coolingOffHint')}</span></label>
                <input type="number" id="version-cooling-off" name="coolingOffDays" min="1" max="365" step="1" required>
              </div>
            </div>
            <div class="form-actions">
              <button type="submit" class="button" id="version-create" data-testid="version-create">${t('plan.newVersionStart')}</button>
            </div>
          </form>
        </section>
        <section class="card" aria-labelledby="orders-heading" id="orders-card" hidden>
          <h2 id="orders-heading">${t('plan.orders')}</h2>
          <div class="table-wrap" id="plan-orders" data-testid="plan-orders"></div>
        </section>
        <section class="card" aria-labelledby="sale-history-heading" id="sale-history-card" hidden>
          <h2 id="sale-history-heading">${t('plan.saleHistory')}</h2>
          <div class="table-wrap" id="sale-history" data-testid="sale-history"></div>
        </section>
        <section class="card" aria-labelledby="history-heading" id="history-card" hidden>
          <h2 id="history-heading">${t('plan.history')}</h2>
          <div class="table-wrap" id="plan-history"></div>
        </section>
      </div>
      <aside class="card" aria-labelledby="qr-heading">
        <h2 id="qr-heading">${t('plan.qr')}</h2>
        <img class="qr" id="plan-qr" alt=${t('plan.qrAlt')} data-testid="plan-qr" width="220" height="220" hidden>
        <dl class="facts">
          <div><dt>${t('plan.code')}</dt><dd class="mono" id="plan-code" data-testid="plan-code"></dd></div>
          <div class="span-all"><dt>${t('plan.publicUrl')}</dt><dd class="break" id="plan-public-url-slot"></dd></div>
        </dl>
        <h3 class="downloads-heading">${t('plan.downloads')}</h3>
        <div class="downloads" id="plan-downloads"></div>
      </aside>
    </div>
    <section class="card" aria-labelledby="units-heading" id="units-card" data-testid="units-card" hidden>
      <h2 id="units-heading">${t('units.heading')}</h2>
      <p class="muted">${t('units.intro')}</p>
      <form id="units-form" novalidate hidden>
        <div data-role="form-error" hidden></div>
        <div class="grid-2" data-field="range">
          <div class="field" data-field="range.from">
            <label for="units-from"><span>${t('units.from')}</span> <span class="hint">${t('units.fromHint')}</span></label>
            <input type="text" id="units-from" name="rangeFrom" class="mono" autocomplete="off" spellcheck="false" data-testid="units-from">
          </div>
          <div class="field" data-field="range.to">
            <label for="units-to"><span>${t('units.to')}</span> <span class="hint">${t('units.toHint')}</span></label>
            <input type="text" id="units-to" name="rangeTo" class="mono" autocomplete="off" spellcheck="false" data-testid="units-to">
          </div>
        </div>
        <div class="field" data-field="serials">
          <label for="units-serials"><span>${t('units.serials')}</span> <span class="hint">${t('units.serialsHint')}</span> <span class="hint" id="units-pattern"></span></label>
          <textarea id="units-serials" name="serials" class="mono" rows="4" spellcheck="false" data-testid="units-serials"></textarea>
        </div>
        <fieldset data-field="format">
          <legend>${t('units.format')}</legend>
          <div class="checks">
            <label class="check"><input type="radio" name="format" value="zip" id="units-format-zip" checked> <span>${t('units.formatZip')}</span></label>
            <label class="check"><input type="radio" name="format" value="pdf" id="units-format-pdf"> <span>${t('units.formatPdf')}</span></label>
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button" id="units-issue" data-testid="units-issue">${t('units.issue')}</button>
        </div>
      </form>
      <p class="muted" id="units-readonly" hidden>${t('units.retired')}</p>
      <h3 class="downloads-heading">${t('units.batches')}</h3>
      <div class="table-wrap" id="units-batches" data-testid="units-batches"></div>
    </section>
  `,
);

const me = await bootPortal('plans');

const DOWNLOADS = [
  ['qr_png', 'plan.downloadPng', 'download-qr-png'],
  ['qr_svg', 'plan.downloadSvg', 'download-qr-svg'],
  ['label_pdf', 'plan.downloadPdf', 'download-label-pdf'],
];

/** Badge colours of a batch's status, borrowed from the plan and draft statuses. */
const BATCH_BADGES = { running: 'badge-awaiting_review', done: 'badge-active', failed: 'badge-expired' };

const planId = param('id');
let plan;
try {
  if (!planId) throw new ApiError(404, { message: 'plan not found', code: 'errors:notFound.plan' });
  plan = await get(`/plans/${planId}`);
} catch (error) {
  setNotice(byId('load-error'), errorMessage(error));
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
  byId('plan-status').replaceChildren(statusBadge('planStatus', plan.status));
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
          current.coverageTypes.map((c) => tx(`labels:coverage.${c}`, undefined, 'li', { class: 'chip' })),
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
            tx(`labels:coverage.${c.coverageType}`, undefined, 'span', { class: 'badge' }),
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

  setUpSale(plan, nameOf);
  setUpNewVersion(plan, current);
  await Promise.all([setUpUnitBatches(plan, product), showOrders(plan)]);

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

function batchTable(batches) {
  if (batches.length === 0)
    return tx('units.empty', undefined, 'p', { class: 'muted', 'data-testid': 'units-empty' });
  const head = h(
    'tr',
    {},
    h('th', {}, tx('units.created')),
    h('th', {}, tx('units.format')),
    h('th', { class: 'num' }, tx('units.count')),
    h('th', {}, tx('units.progress')),
    h('th', {}, tx('units.statusHeading')),
    h('th', {}, tx('common.actions')),
  );
  const rows = batches.map((b) =>
    h(
      'tr',
      { 'data-batch-id': b.id, 'data-status': b.status },
      h('td', {}, formatDateTime(b.createdAt)),
      h('td', {}, tx(`units.kind.${b.format}`)),
      h('td', { class: 'num' }, String(b.total)),
      h(
        'td',
        {},
        // max before value: a progress element clamps value to the max it has at that moment.
        h('progress', {
          max: Math.max(b.total, 1),
          value: b.done,
          'aria-labelledby': 'units-heading',
          'data-testid': `units-progress-${b.id}`,
        }),
        ' ',
        h('span', { class: 'mono' }, `${b.done} / ${b.total}`),
      ),
      h(
        'td',
        {},
        tx(`labels:unitBatchStatus.${b.status}`, undefined, 'span', {
          class: `badge ${BATCH_BADGES[b.status] ?? ''}`,
        }),
      ),
      h(
        'td',
        {},
        b.downloadUrl
          ? h(
              'a',
              {
                class: 'button button-secondary button-small',
                href: b.downloadUrl,
                download: '',
                'data-testid': `units-download-${b.id}`,
              },
              tx(b.format === 'pdf' ? 'units.downloadPdf' : 'units.downloadZip'),
            )
          : '—',
      ),
    ),
  );
  return h('table', { 'data-testid': 'units-table' }, h('thead', {}, head), h('tbody', {}, rows));
}

/** Per-unit QR codes: a range and/or list of serials in, a ZIP of PNGs or an A4 label sheet out. */
async function setUpUnitBatches(plan, product) {
  const form = byId('units-form');
  const list = byId('units-batches');
  const notice = form.querySelector('[data-role="form-error"]');
  byId('units-card').hidden = false;
  const canIssue = hasRole(me, 'editor') || hasRole(me, 'admin');
  form.hidden = !(canIssue && plan.status === 'on_sale');
  byId('units-readonly').hidden = !(canIssue && plan.status !== 'on_sale');
  if (product?.serialPattern)
    byId('units-pattern').replaceChildren(tx('units.pattern', { pattern: product.serialPattern }));

  // While a batch renders, its row is refreshed every second; nothing polls once all are finished.
  let timer;
  const refresh = async () => {
    clearTimeout(timer);
    try {
      const { items } = await get(`/plans/${plan.id}/unit-batches?limit=20`);
      list.replaceChildren(batchTable(items));
      if (items.some((b) => b.status === 'running')) timer = setTimeout(refresh, 1000);
    } catch (error) {
      const problem = h('div', { role: 'alert' });
      setNotice(problem, errorMessage(error));
      list.replaceChildren(problem);
      timer = setTimeout(refresh, 5000);
    }
  };

  // The sent serials with their line numbers, so a refused serial can be found in the text area.
  let lines = [];
  onSubmit(
    form,
    async () => {
      const from = fieldValue(form, 'rangeFrom');
      const to = fieldValue(form, 'rangeTo');
      lines = String(form.elements.namedItem('serials').value)
        .split(/\r?\n/)
        .map((text, i) => ({ serial: text.trim(), line: i + 1 }))
        .filter((l) => l.serial !== '');
      const problems = {};
      if (from && !to) problems['range.to'] = { key: 'msg.required' };
      if (to && !from) problems['range.from'] = { key: 'msg.required' };
      if (!from && !to && lines.length === 0) problems.serials = { key: 'units.needUnits' };
      if (Object.keys(problems).length > 0) return showLocalErrors(form, problems);

      const body = { format: form.elements.namedItem('format').value };
      if (lines.length > 0) body.serials = lines.map((l) => l.serial);
      if (from || to) body.range = { from, to };
      await post(`/plans/${plan.id}/unit-batches`, body);
      setNotice(notice, { key: 'units.started' }, 'success');
      await refresh();
    },
    async (error) => {
      const refused = (error instanceof ApiError ? error.fields : [])
        .map((f) => /^serials[/.](\d+)$/.exec(f.field))
        .filter(Boolean)
        .map((m) => lines[Number(m[1])]?.line)
        .filter(Boolean);
      if (refused.length > 0)
        showFieldError(form, 'serials', {
          key: 'units.badLines',
          args: { lines: `${refused.slice(0, 10).join(', ')}${refused.length > 10 ? ' …' : ''}` },
        });
    },
  );

  await refresh();
}

/** Stop or resume selling, each after a confirmation that says what it does; and who did it when. */
function setUpSale(plan, nameOf) {
  const canDecide = hasRole(me, 'approver') || hasRole(me, 'admin');
  byId('sale-actions').hidden = !canDecide;
  byId('sale-stop').hidden = plan.status !== 'on_sale';
  byId('sale-resume').hidden = plan.status === 'on_sale';
  const panel = byId('sale-confirm');
  const yes = byId('sale-confirm-yes');
  const notice = panel.querySelector('[data-role="form-error"]');
  let action = null;
  const ask = (next) => {
    action = next;
    notice.hidden = true;
    byId('sale-confirm-heading').replaceChildren(tx(`plan.${next}ConfirmTitle`));
    byId('sale-confirm-body').replaceChildren(tx(`plan.${next}ConfirmBody`));
    yes.replaceChildren(tx(`plan.${next}Confirm`));
    yes.className = next === 'stop' ? 'button button-danger' : 'button';
    panel.hidden = false;
    yes.focus();
  };
  byId('sale-stop').addEventListener('click', () => ask('stop'));
  byId('sale-resume').addEventListener('click', () => ask('resume'));
  byId('sale-confirm-no').addEventListener('click', () => {
    panel.hidden = true;
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      await post(`/plans/${plan.id}/${action}`);
      // The whole page depends on the status (badge, unit codes, record): load it again.
      flashNext(`plan.${action}Done`);
      location.reload();
    } catch (error) {
      setNotice(notice, errorMessage(error));
      yes.disabled = false;
    }
  });

  if (plan.saleEvents.length === 0) return;
  byId('sale-history-card').hidden = false;
  byId('sale-history').replaceChildren(
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, tx('plan.saleWhen')),
          h('th', {}, tx('plan.saleAction')),
          h('th', {}, tx('plan.saleBy')),
        ),
      ),
      h(
        'tbody',
        {},
        plan.saleEvents.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, formatDateTime(e.at)),
            h('td', {}, tx(`plan.saleEvent.${e.action}`)),
            h('td', {}, e.userName || nameOf(e.userId)),
          ),
        ),
      ),
    ),
  );
}

/** Editors open a new version from the current terms; it goes through selection and review like a new plan. */
function setUpNewVersion(plan, current) {
  if (!current || !hasRole(me, 'editor')) return;
  byId('new-version-card').hidden = false;
  if (plan.openVersionDraftId) {
    const open = byId('open-version');
    open.hidden = false;
    open.replaceChildren(
      h(
        'a',
        { href: `/portal/draft.html?id=${plan.openVersionDraftId}`, 'data-testid': 'open-version-link' },
        tx('plan.openVersion'),
      ),
    );
    return;
  }
  const form = byId('new-version-form');
  form.hidden = false;
  form.elements.namedItem('price').value = fenToYuanInput(current.priceFen);
  form.elements.namedItem('termMonths').value = String(current.termMonths);
  form.elements.namedItem('purchaseWindowDays').value = String(current.purchaseWindowDays);
  form.elements.namedItem('coolingOffDays').value = String(current.coolingOffDays ?? 30);
  onSubmit(form, async () => {
    const priceFen = parseYuanToFen(fieldValue(form, 'price'));
    if (priceFen === null) return showLocalErrors(form, { priceFen: { key: 'msg.money' } });
    const draft = await post(`/plans/${plan.id}/versions`, {
      priceFen,
      termMonths: integerOf(form, 'termMonths'),
      purchaseWindowDays: integerOf(form, 'purchaseWindowDays'),
      coolingOffDays: integerOf(form, 'coolingOffDays'),
    });
    location.assign(`/portal/draft.html?id=${draft.id}`);
  });
}

/** The plan's latest paid orders, each with the version it bought (its terms stay those of that version). */
async function showOrders(plan) {
  let items;
  try {
    ({ items } = await get(`/orders?planId=${plan.id}&limit=20`));
  } catch {
    return;
  }
  byId('orders-card').hidden = false;
  if (items.length === 0) {
    byId('plan-orders').replaceChildren(tx('plan.noOrders', undefined, 'p', { class: 'muted' }));
    return;
  }
  byId('plan-orders').replaceChildren(
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, tx('plan.orderNumber')),
          h('th', {}, tx('plan.orderHolder')),
          h('th', {}, tx('plan.orderPaidAt')),
          h('th', { class: 'num' }, tx('draft.price')),
          h('th', {}, tx('plans.version')),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((o) =>
          h(
            'tr',
            { 'data-order': o.orderNumber },
            h('td', { class: 'mono' }, o.orderNumber),
            h('td', {}, `${o.holderName} · ${o.phoneMasked}`),
            h('td', {}, formatDateTime(o.paidAt)),
            h('td', { class: 'num' }, formatFen(o.amountFen, o.currency)),
            h('td', { 'data-testid': 'order-version' }, `v${o.planVersion}`),
          ),
        ),
      ),
    ),
  );
}
