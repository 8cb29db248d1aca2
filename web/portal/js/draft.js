/**
 * One plan draft and its PlanCreationWorkflow, live: the stage (polled every
 * 1.5 s), ranked similar cases, the clause picker for editors (suggestions
 * pre-checked, library search, custom clauses), the approver's review, and the
 * link to the published plan.
 */
import { ApiError, get, post, query } from '../../assets/api.js';
import {
  bi,
  byId,
  errorMessage,
  fieldValue,
  flash,
  h,
  onSubmit,
  param,
  reason,
  setNotice,
  tx,
} from '../../assets/dom.js';
import { formatDateTime, formatFen, formatScore } from '../../assets/format.js';
import { startRuleLabel, t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { statusBadge } from './tables.js';
import { BENEFIT_TYPES, COVERAGE_TYPES, REQUIRED_TERM_TYPES, STAGES } from './vocabulary.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1 id="draft-title" data-placeholder="draft.heading"></h1>
        <p class="lead" id="draft-product-line"></p>
      </div>
      <div id="draft-status"></div>
    </div>
    
    <div id="load-error" hidden></div>
    
    <section class="card" aria-labelledby="workflow-heading">
      <div class="card-head">
        <h2 id="workflow-heading">${t('draft.workflow')}</h2>
        <span id="temporal-link-slot"></span>
      </div>
      <div id="stage" data-testid="draft-stage" aria-live="polite" data-loading></div>
      <dl class="facts" id="draft-facts"></dl>
    </section>
    
    <div id="review-note"></div>
    <div id="published-box"></div>
    <div id="review-panel"></div>
    <div id="picker"></div>
    <div id="selection-view"></div>
    
    <section class="card" aria-labelledby="cases-heading">
      <h2 id="cases-heading">${t('draft.cases')}</h2>
      <div class="table-wrap" id="cases"><p class="muted"><span class="spinner"></span> <span>${t('draft.waiting')}</span></p></div>
    </section>
  `,
);

const POLL_MS = 1500;
const draftId = param('id');
const me = await bootPortal('drafts');
const isEditor = hasRole(me, 'editor');
const isApprover = hasRole(me, 'approver');

/** The latest GET /plan-drafts/:id answer. */
let state = null;
let product = null;
/** Library clauses by id (bodies for the picker and the selection view), fetched as the draft names them. */
const library = new Map();
/** Ids already asked for: a clause retired since is not returned, and is not asked for on every poll. */
const askedFor = new Set();
/** Sections rebuild only when what they show changed, so polling never disturbs what is being typed. */
const shown = new Map();

function section(id, key, render) {
  if (shown.get(id) === key) return;
  shown.set(id, key);
  const node = byId(id);
  node.replaceChildren(...[render()].flat().filter(Boolean));
}

const STATUS_STAGE = {
  entered: 'entry',
  awaiting_selection: 'awaiting_selection',
  awaiting_review: 'awaiting_review',
};
const stageOf = (s) => s.workflow?.stage ?? STATUS_STAGE[s.draft.status] ?? s.draft.status;
const lastReview = (s) => s.workflow?.lastReview ?? s.draft.reviews.at(-1) ?? null;

/** Benefit types the draft promises plus the terms every plan states. */
const neededTypes = (draft) => [
  ...new Set([...draft.coverageTypes.filter((c) => BENEFIT_TYPES.includes(c)), ...REQUIRED_TERM_TYPES]),
];

/** Fetches the clauses the draft's suggestions and selection name that are not here yet (the API takes 100 at a time). */
async function loadClauses(s) {
  const named = [
    ...(s.suggestions?.clauses ?? []).map((c) => c.clauseId),
    ...(s.draft.selection?.clauseIds ?? []),
  ];
  const missing = [...new Set(named)].filter((id) => !askedFor.has(id));
  for (let start = 0; start < missing.length; start += 100) {
    const ids = missing.slice(start, start + 100);
    const page = await get(`/clauses${query({ ids, limit: ids.length })}`);
    for (const id of ids) askedFor.add(id);
    for (const clause of page.items) library.set(clause.id, clause);
  }
}

// ---- header, facts and stage ----

let headerKey = null;
function renderHeader(draft) {
  const key = `${draft.updatedAt}:${draft.status}`;
  if (key === headerKey) return;
  headerKey = key;
  const title = byId('draft-title');
  title.replaceChildren(bi(draft.nameZh, draft.nameEn));
  byId('draft-product-line').replaceChildren(
    product ? `${product.brand} · ${product.name} · ${product.model}` : '',
  );
  byId('draft-status').replaceChildren(statusBadge('draftStatus', draft.status));
}

function renderFacts(draft) {
  const fact = (key, ...value) => [h('div', {}, h('dt', {}, tx(key)), h('dd', {}, ...value))];
  const rule = draft.coverageStartRule;
  return [
    ...fact('draft.term', tx('common.months', { n: draft.termMonths })),
    ...fact('draft.price', formatFen(draft.priceFen, draft.currency)),
    ...fact(
      'draft.startRule',
      h('span', { dataset: { startRule: JSON.stringify(rule) } }, startRuleLabel(rule)),
    ),
    ...fact('draft.window', tx('common.days', { n: draft.purchaseWindowDays })),
    ...fact(
      'draft.coverage',
      h(
        'ul',
        { class: 'chips' },
        draft.coverageTypes.map((c) => tx(`labels:coverage.${c}`, undefined, 'li', { class: 'chip' })),
      ),
    ),
    ...fact('drafts.updated', formatDateTime(draft.updatedAt)),
  ];
}

function renderStage(stage) {
  const node = byId('stage');
  node.dataset.stage = stage;
  const current = STAGES.indexOf(stage);
  const steps = STAGES.map((s, i) => {
    let kind = '';
    if (stage === 'expired') kind = '';
    else if (i < current || stage === 'published') kind = ' step-done';
    if (i === current) kind = stage === 'published' ? ' step-done step-current' : ' step-current';
    return tx(`labels:stage.${s}`, undefined, 'li', {
      class: `step${kind}`,
      'aria-current': i === current ? 'step' : undefined,
    });
  });
  if (stage === 'expired')
    steps.push(
      tx('labels:stage.expired', undefined, 'li', { class: 'step step-failed', 'aria-current': 'step' }),
    );
  const working = ['entry', 'matching', 'publishing'].includes(stage);
  return [
    h('ol', { class: 'stepper' }, steps),
    working
      ? h(
          'p',
          { class: 'muted' },
          h('span', { class: 'spinner' }),
          ' ',
          tx(stage === 'publishing' ? 'draft.publishing' : 'draft.waiting'),
        )
      : null,
    stage === 'expired' ? tx('draft.expired', undefined, 'p', { class: 'notice notice-warning' }) : null,
  ];
}

// ---- similar cases ----

function scoreCell(score) {
  return h(
    'span',
    { class: 'clause-score' },
    h('meter', { min: '0', max: '1', value: String(score), 'aria-label': formatScore(score) }),
    h('span', { 'data-testid': 'score' }, formatScore(score)),
  );
}

function renderCases(cases) {
  if (cases.length === 0) return tx('draft.casesEmpty', undefined, 'p', { class: 'muted' });
  const head = h(
    'tr',
    {},
    h('th', {}, tx('draft.case.plan')),
    h('th', {}, tx('draft.case.manufacturer')),
    h('th', {}, tx('draft.case.product')),
    h('th', { class: 'num' }, tx('draft.case.term')),
    h('th', { class: 'num' }, tx('draft.case.price')),
    h('th', {}, tx('draft.score')),
    h('th', {}, tx('draft.reasons')),
  );
  const rows = cases.map((c) =>
    h(
      'tr',
      { 'data-case-id': c.caseId },
      h('td', {}, bi(c.planNameZh, c.planNameEn)),
      h('td', {}, c.manufacturerName),
      h('td', {}, c.productName),
      h('td', { class: 'num' }, tx('common.months', { n: c.termMonths })),
      h('td', { class: 'num' }, formatFen(c.priceFen, 'CNY')),
      h('td', {}, scoreCell(c.score)),
      h('td', {}, h('ul', { class: 'reasons' }, c.reasons.map(reason))),
    ),
  );
  return h('table', { 'data-testid': 'cases-table' }, h('thead', {}, head), h('tbody', {}, rows));
}

// ---- clause picker ----

function clauseBody(clauseId) {
  const full = library.get(clauseId);
  if (!full) return null;
  return h(
    'details',
    { class: 'clause-more' },
    tx('draft.clauseBody', undefined, 'summary'),
    bi(full.bodyZh, full.bodyEn, 'p', { class: 'clause-body' }),
  );
}

/** One selectable clause: a suggestion (with score and reasons) or a library clause. */
function clauseItem(clause, checked) {
  const id = clause.clauseId ?? clause.id;
  const inputId = `clause-${id}`;
  const item = h(
    'div',
    {
      class: checked ? 'clause is-checked' : 'clause',
      'data-clause-key': clause.key,
      'data-testid': `clause-${clause.key}`,
    },
    h('input', {
      type: 'checkbox',
      id: inputId,
      name: 'clauseIds',
      value: id,
      checked,
      dataset: { coverageType: clause.coverageType },
    }),
    h(
      'div',
      {},
      h('label', { for: inputId, class: 'clause-title' }, bi(clause.titleZh, clause.titleEn)),
      h('span', { class: 'clause-key' }, clause.key),
      clause.reasons ? h('ul', { class: 'reasons' }, clause.reasons.map(reason)) : null,
    ),
    clause.score !== undefined ? scoreCell(clause.score) : h('span'),
    clauseBody(id),
  );
  return item;
}

const CUSTOM_FIELDS = [
  ['titleZh', 'draft.custom.titleZh', 'input', 'zh-CN'],
  ['titleEn', 'draft.custom.titleEn', 'input', 'en'],
  ['bodyZh', 'draft.custom.bodyZh', 'textarea', 'zh-CN'],
  ['bodyEn', 'draft.custom.bodyEn', 'textarea', 'en'],
];

function customClauseNode(values = {}) {
  const typeSelect = h(
    'select',
    { 'data-part': 'coverageType' },
    COVERAGE_TYPES.map((c) => tx(`labels:coverage.${c}`, undefined, 'option', { value: c })),
  );
  typeSelect.value = values.coverageType ?? 'general_terms';
  const node = h(
    'fieldset',
    { class: 'custom-clause', 'data-testid': 'custom-clause' },
    h('legend', {}),
    h(
      'div',
      { class: 'grid-2' },
      h(
        'div',
        { class: 'field span-all', 'data-part-field': 'coverageType' },
        h('label', {}, tx('draft.custom.type')),
        typeSelect,
      ),
      CUSTOM_FIELDS.map(([part, label, tag, lang]) =>
        h(
          'div',
          { class: tag === 'textarea' ? 'field span-all' : 'field', 'data-part-field': part },
          h('label', {}, tx(label)),
          h(tag, {
            ...(tag === 'input' ? { type: 'text' } : {}),
            'data-part': part,
            lang,
            value: values[part] ?? '',
          }),
        ),
      ),
    ),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button button-danger button-small',
          onclick: () => {
            node.remove();
            renumberCustom();
            updateChecklist();
          },
        },
        tx('common.remove'),
      ),
    ),
  );
  return node;
}

/** Names, ids and error anchors follow the position, as the API reports problems by index (customClauses/1/bodyEn). */
function renumberCustom() {
  const nodes = byId('custom-clauses')?.querySelectorAll('.custom-clause') ?? [];
  nodes.forEach((node, i) => {
    const legend = node.querySelector('legend');
    legend.replaceChildren(tx('draft.customN', { n: i + 1 }));
    for (const field of node.querySelectorAll('[data-part-field]')) {
      const part = field.dataset.partField;
      const control = field.querySelector('[data-part]');
      const id = `custom-${i}-${part}`;
      field.dataset.field = `customClauses.${i}.${part}`;
      control.id = id;
      control.name = `customClauses.${i}.${part}`;
      field.querySelector('label').setAttribute('for', id);
    }
  });
}

function customClausesOf(form) {
  return [...form.querySelectorAll('.custom-clause')].map((node) => {
    const value = (part) => node.querySelector(`[data-part="${part}"]`).value.trim();
    return {
      coverageType: value('coverageType'),
      titleZh: value('titleZh'),
      titleEn: value('titleEn'),
      bodyZh: value('bodyZh'),
      bodyEn: value('bodyEn'),
    };
  });
}

function updateChecklist() {
  const form = byId('selection-form');
  if (!form || !state) return;
  const checked = [...form.querySelectorAll('input[name="clauseIds"]:checked')];
  const types = new Set([
    ...checked.map((box) => box.dataset.coverageType),
    ...customClausesOf(form).map((c) => c.coverageType),
  ]);
  for (const box of form.querySelectorAll('input[name="clauseIds"]')) {
    box.closest('.clause')?.classList.toggle('is-checked', box.checked);
  }
  const list = byId('coverage-check');
  list.replaceChildren(
    ...neededTypes(state.draft).map((type) => {
      const ok = types.has(type);
      return h(
        'li',
        { class: ok ? 'chip chip-ok' : 'chip chip-missing', 'data-coverage': type, 'data-ok': String(ok) },
        h('span', { 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
        tx(`labels:coverage.${type}`),
      );
    }),
  );
  const count = checked.length + customClausesOf(form).length;
  byId('selected-count').replaceChildren(tx('draft.selectedCount', { n: count }));
}

/** Adds a library clause to the picker (checked), or checks it if it is already there. */
function addFromLibrary(clause) {
  const existing = document.getElementById(`clause-${clause.id}`);
  if (existing) {
    existing.checked = true;
  } else {
    byId('library-picked-group').hidden = false;
    byId('library-picked').append(clauseItem(clause, true));
  }
  updateChecklist();
  refreshLibraryButtons();
}

function refreshLibraryButtons() {
  for (const button of document.querySelectorAll('[data-library-add]')) {
    const box = document.getElementById(`clause-${button.dataset.libraryAdd}`);
    const added = Boolean(box?.checked);
    button.disabled = added;
    button.replaceChildren(tx(added ? 'draft.added' : 'draft.add'));
  }
}

function librarySearch() {
  const form = h(
    'form',
    { id: 'library-form', role: 'search', novalidate: true },
    h('div', { 'data-role': 'form-error', hidden: true }),
    h(
      'div',
      { class: 'field', 'data-field': 'q' },
      h('label', { for: 'library-q' }, tx('draft.libraryQuery')),
      h('input', { type: 'search', id: 'library-q', name: 'q', maxlength: '100', autocomplete: 'off' }),
    ),
    h(
      'div',
      { class: 'field', 'data-field': 'coverageType' },
      h('label', { for: 'library-type' }, tx('draft.libraryType')),
      h(
        'select',
        { id: 'library-type', name: 'coverageType' },
        tx('draft.libraryAnyType', undefined, 'option', { value: '' }),
        COVERAGE_TYPES.map((c) => tx(`labels:coverage.${c}`, undefined, 'option', { value: c })),
      ),
    ),
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', id: 'library-category-only', name: 'categoryOnly', checked: true }),
      tx('draft.libraryCategoryOnly'),
    ),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        { type: 'submit', class: 'button button-secondary', id: 'library-search' },
        tx('draft.librarySearch'),
      ),
    ),
  );
  const results = h('div', { id: 'library-results-box', 'aria-live': 'polite' });
  onSubmit(form, async () => {
    const params = {
      q: fieldValue(form, 'q'),
      coverageType: fieldValue(form, 'coverageType'),
      category: form.elements.namedItem('categoryOnly').checked ? product?.category : undefined,
      limit: 30,
    };
    const page = await get(`/clauses${query(params)}`);
    for (const clause of page.items) library.set(clause.id, clause);
    results.replaceChildren(
      page.items.length === 0
        ? tx('draft.libraryEmpty', undefined, 'p', { class: 'muted' })
        : tx('draft.libraryTotal', { n: page.total }, 'p', { class: 'hint' }),
      h(
        'ul',
        { class: 'library-results', 'data-testid': 'library-results' },
        page.items.map((clause) =>
          h(
            'li',
            { 'data-clause-key': clause.key },
            h(
              'div',
              {},
              bi(clause.titleZh, clause.titleEn, 'strong'),
              ' ',
              tx(`labels:coverage.${clause.coverageType}`, undefined, 'span', { class: 'badge' }),
              h('div', { class: 'clause-key' }, clause.key),
              h(
                'details',
                {},
                tx('draft.clauseBody', undefined, 'summary'),
                bi(clause.bodyZh, clause.bodyEn, 'p', { class: 'clause-body' }),
              ),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'button button-secondary button-small',
                'data-library-add': clause.id,
                'data-testid': `library-add-${clause.key}`,
                onclick: () => addFromLibrary(clause),
              },
              tx('draft.add'),
            ),
          ),
        ),
      ),
    );
    refreshLibraryButtons();
  });
  return h(
    'section',
    { class: 'card sticky-aside', 'aria-labelledby': 'library-heading' },
    h('h2', { id: 'library-heading' }, tx('draft.library')),
    form,
    results,
  );
}

/** The best few clauses of a type (and any pre-checked one) in view; the rest one click away. */
const SHOWN_PER_TYPE = 3;
function groupItems(clauses, preChecked) {
  const visible = clauses.filter((c, i) => i < SHOWN_PER_TYPE || preChecked.has(c.clauseId));
  const rest = clauses.filter((c) => !visible.includes(c));
  return [
    visible.map((c) => clauseItem(c, preChecked.has(c.clauseId))),
    rest.length > 0
      ? h(
          'details',
          { class: 'more-clauses' },
          tx('draft.moreClauses', { n: rest.length }, 'summary'),
          rest.map((c) => clauseItem(c, false)),
        )
      : null,
  ];
}

function renderPicker(s) {
  const { draft, suggestions } = s;
  const needed = neededTypes(draft);
  const previous = draft.selection;
  const suggested = suggestions?.clauses ?? [];
  const preChecked = new Set(
    previous
      ? previous.clauseIds
      : needed.map((type) => suggested.find((c) => c.coverageType === type)?.clauseId).filter(Boolean),
  );
  // Groups by coverage type: the needed ones first, in the plan's order.
  const order = [...needed, ...COVERAGE_TYPES.filter((c) => !needed.includes(c))];
  const groups = order
    .map((type) => [type, suggested.filter((c) => c.coverageType === type)])
    .filter(([, clauses]) => clauses.length > 0)
    .map(([type, clauses]) =>
      h(
        'div',
        { class: 'clause-group', 'data-coverage-group': type },
        h(
          'h3',
          {},
          tx(`labels:coverage.${type}`),
          needed.includes(type)
            ? tx('common.required', undefined, 'span', { class: 'badge badge-awaiting_review' })
            : null,
        ),
        groupItems(clauses, preChecked),
      ),
    );
  // Clauses of an earlier selection that were not among the suggestions came from the library.
  const fromLibrary = previous
    ? previous.clauseIds
        .filter((id) => !suggested.some((c) => c.clauseId === id))
        .map((id) => library.get(id))
        .filter(Boolean)
    : [];
  const custom = h(
    'div',
    { id: 'custom-clauses' },
    (previous?.customClauses ?? []).map((c) => customClauseNode(c)),
  );
  const form = h(
    'form',
    { id: 'selection-form', novalidate: true, 'data-testid': 'clause-picker' },
    h('div', { 'data-role': 'form-error', hidden: true }),
    h(
      'div',
      { class: 'field', 'data-field': 'clauseIds' },
      h('span', { class: 'label' }, tx('draft.needed')),
      h('ul', { class: 'chips', id: 'coverage-check', 'data-testid': 'coverage-check' }),
    ),
    h('h3', {}, tx('draft.suggested')),
    groups,
    h(
      'div',
      { class: 'clause-group', id: 'library-picked-group', hidden: fromLibrary.length === 0 },
      h('h3', {}, tx('draft.fromLibrary')),
      h(
        'div',
        { id: 'library-picked' },
        fromLibrary.map((c) => clauseItem(c, true)),
      ),
    ),
    h(
      'div',
      { class: 'clause-group', 'data-field': 'customClauses' },
      h('h3', {}, tx('draft.custom')),
      custom,
      h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary',
          id: 'custom-add',
          'data-testid': 'custom-add',
          onclick: () => {
            const node = customClauseNode();
            custom.append(node);
            renumberCustom();
            updateChecklist();
            node.querySelector('[data-part="titleZh"]').focus();
          },
        },
        tx('draft.customAdd'),
      ),
    ),
    h(
      'div',
      { class: 'form-actions sticky-submit' },
      h(
        'button',
        { type: 'submit', class: 'button', id: 'submit-selection', 'data-testid': 'submit-selection' },
        tx('draft.submit'),
      ),
      h('span', { class: 'muted', id: 'selected-count' }),
    ),
  );
  form.addEventListener('change', () => {
    updateChecklist();
    refreshLibraryButtons();
  });
  form.addEventListener('input', updateChecklist);
  onSubmit(form, async () => {
    const body = {
      clauseIds: [...form.querySelectorAll('input[name="clauseIds"]:checked')].map((box) => box.value),
      customClauses: customClausesOf(form),
    };
    await post(`/plan-drafts/${draftId}/selection`, body);
    flash('draft.submitted');
    await refresh();
  });
  const picker = h(
    'section',
    { class: 'card', 'aria-labelledby': 'picker-heading' },
    h('h2', { id: 'picker-heading' }, tx('draft.picker')),
    tx('draft.pickerLead', undefined, 'p', { class: 'lead' }),
    form,
  );
  queueMicrotask(() => {
    renumberCustom();
    updateChecklist();
  });
  return h('div', { class: 'split' }, picker, librarySearch());
}

// ---- what was submitted, and the review ----

function renderSelection(s) {
  const selection = s.draft.selection;
  if (!selection) return null;
  const suggested = new Map((s.suggestions?.clauses ?? []).map((c) => [c.clauseId, c]));
  const items = [
    ...selection.clauseIds.map((id) => {
      const full = library.get(id);
      const brief = full ?? suggested.get(id);
      return h(
        'li',
        { 'data-clause-id': id },
        h(
          'h3',
          {},
          brief ? bi(brief.titleZh, brief.titleEn) : h('span', { class: 'mono' }, id),
          ' ',
          brief ? tx(`labels:coverage.${brief.coverageType}`, undefined, 'span', { class: 'badge' }) : null,
        ),
        full
          ? h(
              'details',
              {},
              tx('draft.clauseBody', undefined, 'summary'),
              bi(full.bodyZh, full.bodyEn, 'p', { class: 'clause-body' }),
            )
          : null,
      );
    }),
    ...selection.customClauses.map((c) =>
      h(
        'li',
        {},
        h(
          'h3',
          {},
          bi(c.titleZh, c.titleEn),
          ' ',
          tx(`labels:coverage.${c.coverageType}`, undefined, 'span', { class: 'badge' }),
          ' ',
          tx('draft.selectionCustom', undefined, 'span', { class: 'badge badge-awaiting_review' }),
        ),
        bi(c.bodyZh, c.bodyEn, 'p', { class: 'clause-body' }),
      ),
    ),
  ];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'selection-heading', 'data-testid': 'selection-view' },
    h('h2', { id: 'selection-heading' }, tx('draft.selection')),
    h('ul', { class: 'clause-list' }, items),
  );
}

function renderReviewPanel(s) {
  const ownSubmission = s.workflow?.submittedBy === me.user.id || s.draft.submittedBy === me.user.id;
  const summary = h('div', { 'data-role': 'form-error', hidden: true });
  const form = h(
    'form',
    { id: 'review-form', novalidate: true },
    summary,
    ownSubmission
      ? tx('draft.fourEyes', undefined, 'p', { class: 'notice notice-warning', 'data-testid': 'four-eyes' })
      : null,
    h(
      'div',
      { class: 'field', 'data-field': 'comment' },
      h(
        'label',
        { for: 'review-comment' },
        tx('draft.reviewComment'),
        ' ',
        tx('draft.reviewCommentHint', undefined, 'span', { class: 'hint' }),
      ),
      h('textarea', {
        id: 'review-comment',
        name: 'comment',
        maxlength: '2000',
        'data-testid': 'review-comment',
      }),
    ),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        {
          type: 'submit',
          class: 'button',
          value: 'approve',
          id: 'review-approve',
          'data-testid': 'review-approve',
          disabled: ownSubmission,
        },
        tx('draft.approve'),
      ),
      h(
        'button',
        {
          type: 'submit',
          class: 'button button-danger',
          value: 'request_changes',
          id: 'review-request-changes',
          'data-testid': 'review-request-changes',
          disabled: ownSubmission,
        },
        tx('draft.requestChanges'),
      ),
    ),
  );
  onSubmit(form, async (event) => {
    const decision = event.submitter?.value === 'request_changes' ? 'request_changes' : 'approve';
    const comment = form.elements.namedItem('comment').value.trim();
    await post(`/plan-drafts/${draftId}/review`, { decision, comment });
    flash('draft.reviewSent');
    await refresh();
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'review-heading', 'data-testid': 'review-panel' },
    h('h2', { id: 'review-heading' }, tx('draft.reviewTitle')),
    form,
  );
}

/** The reviewer's name: the workflow's record carries only the id, the draft's records carry the name. */
const reviewerName = (s, review) =>
  (review.reviewer ?? s.draft.reviews.find((r) => r.reviewerId === review.reviewerId)?.reviewer)?.displayName;

function renderReviewNote(s, stage) {
  const review = lastReview(s);
  if (!review) return null;
  if (review.decision === 'request_changes' && stage === 'awaiting_selection') {
    const name = reviewerName(s, review);
    return h(
      'div',
      { class: 'notice notice-warning', role: 'status', 'data-testid': 'changes-requested' },
      tx('draft.changesRequested', undefined, 'strong'),
      h('p', { class: 'clause-body', 'data-testid': 'review-note-comment' }, review.comment),
      h(
        'small',
        {},
        name
          ? [tx('draft.reviewedBy', { name }, 'span', { 'data-testid': 'review-note-reviewer' }), ' · ']
          : null,
        formatDateTime(review.at),
      ),
    );
  }
  if (review.decision === 'approve' && review.comment) {
    return h(
      'div',
      { class: 'notice notice-info' },
      tx('draft.approvedNote', undefined, 'strong'),
      h('p', { class: 'clause-body' }, review.comment),
    );
  }
  return null;
}

let publishedPlanId = null;
async function findPublishedPlan(s) {
  if (s.workflow?.published) return s.workflow.published.planId;
  if (s.draft.status !== 'published') return null;
  if (publishedPlanId) return publishedPlanId;
  const { items } = await get('/plans?limit=200');
  publishedPlanId = items.find((p) => p.draftId === s.draft.id)?.id ?? null;
  return publishedPlanId;
}

// ---- the loop ----

async function render(s) {
  const stage = stageOf(s);
  renderHeader(s.draft);
  section('draft-facts', `${s.draft.updatedAt}`, () => renderFacts(s.draft));
  section('stage', stage, () => renderStage(stage));
  section('temporal-link-slot', s.temporalUiUrl ?? 'none', () =>
    s.temporalUiUrl
      ? h(
          'a',
          {
            href: s.temporalUiUrl,
            target: '_blank',
            rel: 'noopener',
            id: 'temporal-link',
            'data-testid': 'temporal-link',
          },
          tx('draft.temporal'),
        )
      : null,
  );
  section('cases', s.suggestions ? 'ready' : 'waiting', () =>
    s.suggestions
      ? renderCases(s.suggestions.cases)
      : h('p', { class: 'muted' }, h('span', { class: 'spinner' }), ' ', tx('draft.waiting')),
  );
  section(
    'review-note',
    // The name may arrive with a later poll than the workflow's record of the review.
    `${stage}:${lastReview(s)?.id ?? lastReview(s)?.at ?? ''}:${lastReview(s) ? reviewerName(s, lastReview(s)) : ''}`,
    () => renderReviewNote(s, stage),
  );

  const picking = stage === 'awaiting_selection' && s.suggestions;
  section('picker', picking ? `pick:${s.draft.reviews.length}:${isEditor}` : 'none', () => {
    if (!picking) return null;
    if (!isEditor) return tx('draft.editorOnly', undefined, 'p', { class: 'notice notice-info' });
    return renderPicker(s);
  });
  const reviewing = ['awaiting_review', 'publishing', 'published'].includes(stage);
  section(
    'selection-view',
    reviewing ? `sel:${s.draft.submittedBy}:${s.draft.reviews.length}:${library.size}` : 'none',
    () => (reviewing ? renderSelection(s) : null),
  );
  section(
    'review-panel',
    stage === 'awaiting_review' ? `review:${isApprover}:${s.workflow?.submittedBy}` : 'none',
    () => {
      if (stage !== 'awaiting_review') return null;
      if (!isApprover) return tx('draft.awaitingReviewNote', undefined, 'p', { class: 'notice notice-info' });
      return renderReviewPanel(s);
    },
  );
  const planId = await findPublishedPlan(s);
  section('published-box', planId ?? 'none', () =>
    planId
      ? h(
          'div',
          { class: 'notice notice-success', role: 'status' },
          tx('draft.published', undefined, 'strong'),
          ' ',
          h(
            'a',
            {
              href: `/portal/plan.html?id=${planId}`,
              id: 'published-plan-link',
              'data-testid': 'published-plan-link',
            },
            tx('draft.openPlan'),
          ),
        )
      : null,
  );
}

let timer = null;
/** Only the newest answer is rendered: a poll that started before a submit must not paint the old stage. */
let requests = 0;
async function refresh() {
  clearTimeout(timer);
  const mine = ++requests;
  let next;
  try {
    next = await get(`/plan-drafts/${draftId}`);
  } catch (error) {
    if (mine !== requests) return;
    setNotice(byId('load-error'), errorMessage(error));
    if (!(error instanceof ApiError && error.status === 404)) timer = setTimeout(refresh, POLL_MS);
    return;
  }
  // Before drawing, what the page shows beside the draft: its product (once) and the clause bodies
  // (the picker is drawn once per round of review, with what is here by then).
  [product] = await Promise.all([
    product ?? get(`/products/${next.draft.productId}`).catch(() => null),
    loadClauses(next).catch(() => {}),
  ]);
  if (mine !== requests) return;
  state = next;
  byId('load-error').hidden = true;
  await render(state);
  const stage = stageOf(state);
  if (mine === requests && stage !== 'published' && stage !== 'expired') timer = setTimeout(refresh, POLL_MS);
}

if (!draftId) {
  setNotice(byId('load-error'), { key: 'common.error' });
} else {
  await refresh();
}
