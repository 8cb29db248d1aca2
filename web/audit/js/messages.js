/** The outbox: every SMS and email with its delivery status, filtered by order (or claim), status and channel. */
import { query } from '../../assets/api.js';
import { busy, byId, h, param, showErrors, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';
import { bootStaff, get, txOr, wirePager } from './frame.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('audit.messages.heading')}</h1>
        <p class="lead">${t('audit.messages.lead')}</p>
      </div>
    </div>
    <section class="card">
      <form id="messages-form" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="grid-3">
          <div class="field" data-field="querystring.reference">
            <label for="messages-reference">${t('audit.messages.reference')}</label>
            <input type="text" id="messages-reference" name="reference" autocomplete="off">
          </div>
          <div class="field" data-field="querystring.status">
            <label for="messages-status">${t('audit.messages.status')}</label>
            <select id="messages-status" name="status">
              <option value="">${t('audit.all')}</option>
              <option value="pending">${t('labels:notificationStatus.pending')}</option>
              <option value="delivered">${t('labels:notificationStatus.delivered')}</option>
              <option value="failed">${t('labels:notificationStatus.failed')}</option>
            </select>
          </div>
          <div class="field" data-field="querystring.channel">
            <label for="messages-channel">${t('audit.messages.channel')}</label>
            <select id="messages-channel" name="channel">
              <option value="">${t('audit.all')}</option>
              <option value="sms">${t('audit.messages.channel.sms')}</option>
              <option value="email">${t('audit.messages.channel.email')}</option>
            </select>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" data-testid="messages-submit">${t('audit.filter')}</button>
        </div>
      </form>
    </section>
    <section class="card">
      <div class="card-head">
        <h2>${t('audit.messages.rows')}</h2>
        <p class="muted" id="messages-count"></p>
      </div>
      <div class="table-wrap" id="messages-rows" data-loading></div>
      <div class="form-actions">
        <button type="button" class="button button-secondary" id="messages-prev" hidden>${t('audit.prevPage')}</button>
        <button type="button" class="button button-secondary" id="messages-next" hidden>${t('audit.nextPage')}</button>
      </div>
    </section>
  `,
);

await bootStaff('messages');
const form = byId('messages-form');
const PAGE = 100;
const reference = param('reference');
if (reference) form.elements.namedItem('reference').value = reference;

function filters() {
  const values = {};
  for (const name of ['reference', 'status', 'channel']) {
    const value = String(form.elements.namedItem(name).value ?? '').trim();
    if (value) values[name] = value;
  }
  return values;
}

const STATUS_BADGE = { delivered: 'published', pending: 'awaiting_review', failed: 'expired' };

/** What happened to a message: when it arrived, when it is tried again, or why it failed. */
function delivery(m) {
  const lines = [
    txOr(`labels:notificationStatus.${m.status}`, m.status, 'span', {
      class: `badge badge-${STATUS_BADGE[m.status] ?? 'expired'}`,
      'data-status': m.status,
    }),
    tx('audit.messages.attempts', { n: m.attempts, max: m.maxAttempts }, 'div', { class: 'hint' }),
  ];
  if (m.deliveredAt) lines.push(h('div', { class: 'hint' }, formatDateTime(m.deliveredAt)));
  if (m.status === 'pending' && m.nextAttemptAt)
    lines.push(tx('audit.messages.next', { at: formatDateTime(m.nextAttemptAt) }, 'div', { class: 'hint' }));
  if (m.lastError) lines.push(h('div', { class: 'hint', 'data-error': '' }, m.lastError));
  return lines;
}

async function load(offset) {
  await busy(form, async () => {
    try {
      const page = await get(`/audit/messages${query({ ...filters(), limit: PAGE, offset })}`);
      byId('messages-count').replaceChildren(tx('audit.messages.count', { n: page.total }));
      byId('messages-rows').replaceChildren(
        page.items.length === 0
          ? tx('audit.messages.empty', undefined, 'p', { class: 'muted', 'data-testid': 'messages-empty' })
          : h(
              'table',
              { 'data-testid': 'messages-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['created', 'channel', 'recipient', 'subject', 'delivery', 'provider'].map((k) =>
                    h('th', {}, tx(`audit.messages.col.${k}`)),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                page.items.map((m) =>
                  h(
                    'tr',
                    { 'data-message': m.dedupeKey },
                    h('td', {}, formatDateTime(m.createdAt)),
                    h('td', {}, tx(`audit.messages.channel.${m.channel}`)),
                    h('td', { class: 'mono' }, m.recipient),
                    h(
                      'td',
                      {},
                      m.subject,
                      m.attachesCertificate
                        ? tx('audit.messages.certificate', undefined, 'div', { class: 'hint' })
                        : null,
                    ),
                    h('td', {}, ...delivery(m)),
                    h(
                      'td',
                      {},
                      m.provider ?? '—',
                      m.providerMessageId ? h('div', { class: 'hint mono' }, m.providerMessageId) : null,
                    ),
                  ),
                ),
              ),
            ),
      );
      wirePager('messages', { offset, pageSize: PAGE, total: page.total, load });
    } catch (error) {
      showErrors(form, error);
    }
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void load(0);
});

await load(0);
