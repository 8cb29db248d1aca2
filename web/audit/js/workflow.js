/** One workflow run as a timeline of business steps, with the raw history and the Temporal UI a click away. */
import { bi, byId, errorMessage, h, param, setNotice, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';
import { bootStaff, formatMs, get, txOr, workflowStatusBadge } from './frame.js';

mountView(
  () => html`
    <p><a href="/audit/">${t('audit.backToList')}</a></p>
    <div id="error" hidden></div>
    <div class="page-head">
      <div>
        <h1 id="workflow-title" data-testid="workflow-title" data-placeholder="audit.workflow.heading"></h1>
        <p class="lead mono" id="workflow-id"></p>
      </div>
      <div class="row-actions" id="workflow-actions"></div>
    </div>
    <section class="card">
      <dl class="facts" id="workflow-facts" data-loading></dl>
    </section>
    <section class="card">
      <h2>${t('audit.workflow.timeline')}</h2>
      <p class="muted">${t('audit.workflow.timelineLead')}</p>
      <div class="table-wrap" id="timeline"></div>
    </section>
  `,
);

await bootStaff('workflows');
const id = param('id') ?? '';
const run = param('run');

const OUTCOME_BADGES = {
  done: 'published',
  failed: 'expired',
  rejected: 'expired',
  cancelled: 'retired',
  in_progress: 'awaiting_review',
  info: 'active',
};

const fact = (key, value, testid) =>
  h('div', {}, tx(key, undefined, 'dt'), h('dd', testid ? { 'data-testid': testid } : {}, value ?? '—'));

try {
  const {
    workflow: w,
    steps,
    rawHistoryUrl,
  } = await get(
    `/audit/workflows/${encodeURIComponent(id)}${run ? `?runId=${encodeURIComponent(run)}` : ''}`,
  );
  const title = byId('workflow-title');
  title.replaceChildren(txOr(`labels:workflowType.${w.type}`, w.type), ' ', workflowStatusBadge(w.status));
  byId('workflow-id').textContent = w.workflowId;
  byId('workflow-actions').replaceChildren(
    h(
      'a',
      { class: 'button button-secondary', href: rawHistoryUrl, download: '', 'data-testid': 'raw-history' },
      tx('audit.workflow.rawJson'),
    ),
    w.temporalUiUrl
      ? h(
          'a',
          {
            class: 'button button-ghost',
            href: w.temporalUiUrl,
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'temporal-ui',
          },
          tx('audit.temporalUi'),
        )
      : tx('audit.workflow.noUi', undefined, 'span', { class: 'muted' }),
  );
  byId('workflow-facts').replaceChildren(
    fact('audit.workflows.col.type', w.type),
    fact('audit.workflows.col.status', workflowStatusBadge(w.status)),
    fact(
      'audit.workflows.col.stage',
      w.businessStatus ? txOr(`labels:stage.${w.businessStatus}`, w.businessStatus) : null,
    ),
    fact('audit.workflows.col.manufacturer', w.manufacturer?.name),
    fact(
      'audit.workflow.plan',
      w.plan
        ? h('span', {}, bi(w.plan.nameZh, w.plan.nameEn), ' ', h('span', { class: 'mono' }, w.plan.code))
        : null,
    ),
    fact(
      'audit.workflows.orderNumber',
      w.orderNumber ? h('span', { class: 'mono' }, w.orderNumber) : null,
      'fact-order',
    ),
    fact('audit.workflows.col.started', formatDateTime(w.startTime)),
    fact('audit.workflows.col.closed', w.closeTime ? formatDateTime(w.closeTime) : null),
    fact('audit.workflow.duration', w.durationMs === null ? null : formatMs(w.durationMs)),
    fact('audit.workflow.events', String(w.historyLength)),
    fact('audit.workflow.taskQueue', h('span', { class: 'mono' }, w.taskQueue)),
    fact('audit.workflow.runId', h('span', { class: 'mono' }, w.runId)),
  );
  const start = Date.parse(w.startTime);
  byId('timeline').replaceChildren(
    h(
      'table',
      { 'data-testid': 'timeline-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['at', 'elapsed', 'step', 'who', 'duration', 'outcome', 'event'].map((key) =>
            h(
              'th',
              key === 'duration' || key === 'elapsed' || key === 'event' ? { class: 'num' } : {},
              tx(`audit.workflow.col.${key}`),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        steps.map((s) =>
          h(
            'tr',
            { 'data-step': s.step, 'data-outcome': s.outcome, 'data-testid': 'timeline-step' },
            h('td', {}, formatDateTime(s.at)),
            h('td', { class: 'num muted' }, `+${formatMs(Date.parse(s.at) - start)}`),
            h(
              'td',
              {},
              bi(s.textZh, s.textEn, s.kind === 'stage' ? 'em' : 'span'),
              s.attempts && s.attempts > 1
                ? h('div', { class: 'hint' }, tx('audit.workflow.attempts', { n: s.attempts }))
                : null,
            ),
            h('td', {}, s.actorName ?? '—'),
            h('td', { class: 'num' }, s.durationMs === null ? '—' : formatMs(s.durationMs)),
            h(
              'td',
              {},
              tx(`audit.outcome.${s.outcome}`, undefined, 'span', {
                class: `badge badge-${OUTCOME_BADGES[s.outcome] ?? 'active'}`,
              }),
            ),
            h('td', { class: 'num mono muted' }, String(s.eventId)),
          ),
        ),
      ),
    ),
  );
} catch (error) {
  const box = byId('error');
  setNotice(box, error.status === 404 ? { key: 'audit.workflow.notFound' } : errorMessage(error));
  byId('workflow-facts').replaceChildren();
}
