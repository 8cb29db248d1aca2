/** The platform admin's clause library: add, edit (a new version each time), retire and restore, with history. */

import { CATEGORIES, COVERAGE_TYPES } from '/portal/js/vocabulary.js';
import { query } from '../../assets/api.js';
import {
  bi,
  byId,
  clearErrors,
  errorMessage,
  fieldValue,
  flash,
  h,
  onSubmit,
  setNotice,
  tx,
} from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';
import { bootStaff, get, post, put } from './frame.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('admin.clauses.heading')}</h1>
        <p class="lead">${t('admin.clauses.lead')}</p>
      </div>
      <button type="button" class="button" id="clause-new" data-testid="clause-new">${t('admin.clauses.new')}</button>
    </div>
    
    <section class="card" id="clause-form-card" hidden>
      <h2 id="clause-form-title" data-placeholder="admin.clauses.new"></h2>
      <form id="clause-form" novalidate>
        <div data-role="form-error" hidden></div>
        <input type="hidden" name="id">
        <input type="hidden" name="version">
        <div class="grid-2">
          <div class="field" data-field="key">
            <label for="clause-key"><span>${t('admin.clauses.key')}</span> <span class="hint">${t('admin.clauses.keyHint')}</span></label>
            <input type="text" id="clause-key" name="key" class="mono" autocomplete="off" spellcheck="false" required>
          </div>
          <div class="field" data-field="coverageType">
            <label for="clause-type">${t('admin.clauses.coverageType')}</label>
            <select id="clause-type" name="coverageType" required></select>
          </div>
          <fieldset class="span-all" data-field="categories">
            <legend>${t('admin.clauses.categories')}</legend>
            <div class="checks" id="clause-categories"></div>
          </fieldset>
          <div class="field" data-field="titleZh">
            <label for="clause-title-zh">${t('admin.clauses.titleZh')}</label>
            <input type="text" id="clause-title-zh" name="titleZh" maxlength="100" required>
          </div>
          <div class="field" data-field="titleEn">
            <label for="clause-title-en">${t('admin.clauses.titleEn')}</label>
            <input type="text" id="clause-title-en" name="titleEn" maxlength="200" required>
          </div>
          <div class="field" data-field="bodyZh">
            <label for="clause-body-zh">${t('admin.clauses.bodyZh')}</label>
            <textarea id="clause-body-zh" name="bodyZh" rows="6" required></textarea>
          </div>
          <div class="field" data-field="bodyEn">
            <label for="clause-body-en">${t('admin.clauses.bodyEn')}</label>
            <textarea id="clause-body-en" name="bodyEn" rows="6" required></textarea>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="clause-save" data-testid="clause-save">${t('common.save')}</button>
          <button type="button" class="button button-secondary" id="clause-cancel">${t('common.cancel')}</button>
        </div>
      </form>
    </section>
    
    <section class="card" id="revision-card" hidden>
      <div class="card-head">
        <h2>${t('admin.clauses.revisions')}</h2>
        <button type="button" class="button button-ghost button-small" id="revision-close">${t('admin.close')}</button>
      </div>
      <p class="mono muted" id="revision-key"></p>
      <div class="table-wrap" id="revision-list"></div>
    </section>
    
    <section class="card">
      <form id="clause-filter" class="grid-3" novalidate>
        <div class="field">
          <label for="clause-filter-status">${t('admin.clauses.status')}</label>
          <select id="clause-filter-status" name="status">
            <option value="">${t('audit.all')}</option>
            <option value="active">${t('labels:clauseStatus.active')}</option>
            <option value="retired">${t('labels:clauseStatus.retired')}</option>
          </select>
        </div>
        <div class="field">
          <label for="clause-filter-type">${t('admin.clauses.coverageType')}</label>
          <select id="clause-filter-type" name="coverageType"></select>
        </div>
        <div class="field">
          <label for="clause-filter-q">${t('admin.clauses.search')}</label>
          <input type="search" id="clause-filter-q" name="q" autocomplete="off">
        </div>
      </form>
      <div class="table-wrap" id="clause-list" data-loading></div>
    </section>
  `,
);

await bootStaff('clauses', { adminOnly: true });
const form = byId('clause-form');
const card = byId('clause-form-card');
const filter = byId('clause-filter');

const typeOptions = () =>
  COVERAGE_TYPES.map((type) => tx(`labels:coverage.${type}`, undefined, 'option', { value: type }));
form.elements.namedItem('coverageType').replaceChildren(...typeOptions());
filter.elements
  .namedItem('coverageType')
  .replaceChildren(tx('audit.all', undefined, 'option', { value: '' }), ...typeOptions());
byId('clause-categories').replaceChildren(
  ...CATEGORIES.map((category) =>
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'categories', value: category }),
      ' ',
      tx(`labels:category.${category}`),
    ),
  ),
);

function openForm(clause) {
  form.reset();
  clearErrors(form);
  const editing = Boolean(clause);
  byId('clause-form-title').replaceChildren(
    editing
      ? tx('admin.clauses.editTitle', { key: clause.key, version: clause.version + 1 })
      : tx('admin.clauses.new'),
  );
  form.elements.namedItem('id').value = clause?.id ?? '';
  form.elements.namedItem('version').value = clause?.version ?? '';
  const key = form.elements.namedItem('key');
  key.value = clause?.key ?? '';
  key.readOnly = editing;
  for (const name of ['coverageType', 'titleZh', 'titleEn', 'bodyZh', 'bodyEn'])
    if (clause) form.elements.namedItem(name).value = clause[name];
  for (const box of form.querySelectorAll('input[name="categories"]'))
    box.checked = Boolean(clause?.categories.includes(box.value));
  card.hidden = false;
  card.scrollIntoView({ block: 'start' });
  (editing ? form.elements.namedItem('titleZh') : key).focus();
}

byId('clause-new').addEventListener('click', () => openForm(null));
byId('clause-cancel').addEventListener('click', () => {
  card.hidden = true;
});
byId('revision-close').addEventListener('click', () => {
  byId('revision-card').hidden = true;
});

onSubmit(form, async () => {
  const id = fieldValue(form, 'id');
  const body = {
    coverageType: fieldValue(form, 'coverageType'),
    categories: [...form.querySelectorAll('input[name="categories"]:checked')].map((box) => box.value),
    titleZh: fieldValue(form, 'titleZh'),
    titleEn: fieldValue(form, 'titleEn'),
    bodyZh: fieldValue(form, 'bodyZh'),
    bodyEn: fieldValue(form, 'bodyEn'),
  };
  if (id) await put(`/admin/clauses/${id}`, { version: Number(fieldValue(form, 'version')), ...body });
  else await post('/admin/clauses', { key: fieldValue(form, 'key'), ...body });
  card.hidden = true;
  flash(id ? 'admin.clauses.saved' : 'admin.clauses.added');
  await load();
});

async function showRevisions(clause) {
  const revisions = await get(`/admin/clauses/${clause.id}/revisions`);
  byId('revision-key').textContent = clause.key;
  byId('revision-list').replaceChildren(
    h(
      'table',
      { 'data-testid': 'revision-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['version', 'status', 'title', 'editedBy', 'at'].map((k) =>
            h('th', {}, tx(`admin.revisions.${k}`)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        revisions.map((r) =>
          h(
            'tr',
            { 'data-version': String(r.version) },
            h('td', {}, `v${r.version}`),
            h(
              'td',
              {},
              tx(`labels:clauseStatus.${r.status}`, undefined, 'span', { class: `badge badge-${r.status}` }),
            ),
            h(
              'td',
              {},
              bi(r.titleZh, r.titleEn, 'strong'),
              h('p', { class: 'hint' }, bi(r.bodyZh, r.bodyEn)),
            ),
            h('td', {}, r.editedBy?.displayName ?? tx('admin.revisions.seeded')),
            h('td', {}, formatDateTime(r.at)),
          ),
        ),
      ),
    ),
  );
  byId('revision-card').hidden = false;
  byId('revision-card').scrollIntoView({ block: 'start' });
}

async function changeStatus(clause, action, cell) {
  try {
    await post(`/admin/clauses/${clause.id}/${action}`);
    flash(action === 'retire' ? 'admin.clauses.retired' : 'admin.clauses.restored');
    await load();
  } catch (error) {
    const notice = h('p');
    setNotice(notice, errorMessage(error));
    cell.append(notice);
  }
}

async function load() {
  const values = {};
  for (const name of ['status', 'coverageType', 'q']) {
    const value = fieldValue(filter, name);
    if (value) values[name] = value;
  }
  const { items, total } = await get(`/admin/clauses${query({ ...values, limit: 200 })}`);
  byId('clause-list').replaceChildren(
    tx('admin.clauses.count', { n: total }, 'p', { class: 'muted' }),
    h(
      'table',
      { 'data-testid': 'clause-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['key', 'coverageType', 'title', 'categories', 'version', 'status'].map((k) =>
            h('th', {}, tx(`admin.clauses.col.${k}`)),
          ),
          h('th', {}, tx('common.actions')),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((c) => {
          const actions = h('div', { class: 'row-actions' });
          actions.append(
            h(
              'button',
              {
                type: 'button',
                class: 'button button-secondary button-small',
                'data-testid': `edit-${c.key}`,
                onclick: () => openForm(c),
              },
              tx('common.edit'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: `button button-small ${c.status === 'active' ? 'button-danger' : 'button-secondary'}`,
                'data-testid': `${c.status === 'active' ? 'retire' : 'restore'}-${c.key}`,
                onclick: () => changeStatus(c, c.status === 'active' ? 'retire' : 'restore', actions),
              },
              tx(c.status === 'active' ? 'admin.clauses.retire' : 'admin.clauses.restore'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'button button-ghost button-small',
                'data-testid': `history-${c.key}`,
                onclick: () => showRevisions(c),
              },
              tx('admin.clauses.history'),
            ),
          );
          return h(
            'tr',
            { 'data-clause-key': c.key },
            h('td', { class: 'mono' }, c.key),
            h('td', {}, tx(`labels:coverage.${c.coverageType}`)),
            h('td', {}, bi(c.titleZh, c.titleEn)),
            h(
              'td',
              {},
              h(
                'ul',
                { class: 'chips' },
                c.categories.map((cat) => tx(`labels:category.${cat}`, undefined, 'li', { class: 'chip' })),
              ),
            ),
            h('td', {}, `v${c.version}`),
            h(
              'td',
              {},
              tx(`labels:clauseStatus.${c.status}`, undefined, 'span', { class: `badge badge-${c.status}` }),
            ),
            h('td', {}, actions),
          );
        }),
      ),
    ),
  );
}

let timer = null;
filter.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => void load(), 250);
});
filter.addEventListener('submit', (event) => event.preventDefault());

await load();
