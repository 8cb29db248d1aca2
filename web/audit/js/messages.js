/** The outbox: every SMS and email with its delivery status, filtered by order (or claim), status and channel. */
import { query } from '../../assets/api.js';
import { busy, byId, h, param, showErrors, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { bootStaff, get, txOr, wirePager } from './frame.js';

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
