/** Main products: the list, and one form that creates or edits (PUT) a product. */
import { get, post, put } from '../../assets/api.js';
import {
  byId,
  clearErrors,
  fieldValue,
  flash,
  h,
  integerOf,
  onSubmit,
  param,
  showLocalErrors,
  tx,
} from '../../assets/dom.js';
import { fenToYuanInput, formatFen, parseYuanToFen } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { CATEGORIES } from './vocabulary.js';

mountView(
  () => html`
    <div class="page-head">
      <h1>${t('products.heading')}</h1>
      <button type="button" class="button" id="product-new" data-testid="product-new">${t('products.new')}</button>
    </div>
    
    <section class="card" id="product-form-card" hidden>
      <h2 id="product-form-title" data-placeholder="products.formNew"></h2>
      <form id="product-form" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="grid-3">
          <div class="field" data-field="brand">
            <label for="product-brand">${t('products.brand')}</label>
            <input type="text" id="product-brand" name="brand" autocomplete="off" required>
          </div>
          <div class="field" data-field="name">
            <label for="product-name">${t('products.name')}</label>
            <input type="text" id="product-name" name="name" autocomplete="off" required>
          </div>
          <div class="field" data-field="model">
            <label for="product-model">${t('products.model')}</label>
            <input type="text" id="product-model" name="model" autocomplete="off" required>
          </div>
          <div class="field" data-field="category">
            <label for="product-category">${t('products.category')}</label>
            <select id="product-category" name="category" required></select>
          </div>
          <div class="field" data-field="retailPriceFen">
            <label for="product-price"><span>${t('products.retailPrice')}</span> <span class="hint">${t('products.retailPriceHint')}</span></label>
            <input type="text" id="product-price" name="retailPrice" inputmode="decimal" autocomplete="off" required>
          </div>
          <div class="field" data-field="baseWarrantyMonths">
            <label for="product-warranty">${t('products.baseWarranty')}</label>
            <input type="number" id="product-warranty" name="baseWarrantyMonths" min="0" max="120" step="1" value="12" required>
          </div>
          <div class="field" data-field="launchDate">
            <label for="product-launch">${t('products.launchDate')}</label>
            <input type="date" id="product-launch" name="launchDate" required>
          </div>
          <div class="field span-all" data-field="serialPattern">
            <label for="product-serial"><span>${t('products.serialPattern')}</span> <span class="hint">${t('products.serialPatternHint')}</span></label>
            <input type="text" id="product-serial" name="serialPattern" class="mono" autocomplete="off" spellcheck="false">
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="product-save" data-testid="product-save">${t('common.save')}</button>
          <button type="button" class="button button-secondary" id="product-cancel">${t('common.cancel')}</button>
        </div>
      </form>
    </section>
    
    <section class="card">
      <div class="table-wrap" id="product-list" data-loading></div>
    </section>
  `,
);

const me = await bootPortal('products');
const canEdit = hasRole(me, 'editor') || hasRole(me, 'admin');
const canDraft = hasRole(me, 'editor');

const form = byId('product-form');
const card = byId('product-form-card');
const title = byId('product-form-title');
let editing = null;

const category = byId('product-category');
category.replaceChildren(
  tx('products.chooseCategory', undefined, 'option', { value: '' }),
  ...CATEGORIES.map((c) => tx(`labels:category.${c}`, undefined, 'option', { value: c })),
);

function openForm(product) {
  editing = product;
  form.reset();
  clearErrors(form);
  title.dataset.i18n = product ? 'products.formEdit' : 'products.formNew';
  title.textContent = t(title.dataset.i18n);
  if (product) {
    for (const name of ['brand', 'name', 'model', 'category', 'baseWarrantyMonths', 'launchDate']) {
      form.elements.namedItem(name).value = String(product[name]);
    }
    form.elements.namedItem('retailPrice').value = fenToYuanInput(product.retailPriceFen);
    form.elements.namedItem('serialPattern').value = product.serialPattern ?? '';
  }
  card.hidden = false;
  byId('product-brand').focus();
}

function closeForm() {
  editing = null;
  card.hidden = true;
}

byId('product-new').hidden = !canEdit;
byId('product-new').addEventListener('click', () => openForm(null));
byId('product-cancel').addEventListener('click', closeForm);

onSubmit(form, async () => {
  const retailPriceFen = parseYuanToFen(fieldValue(form, 'retailPrice'));
  if (retailPriceFen === null) {
    showLocalErrors(form, { retailPriceFen: { key: 'msg.money' } });
    return;
  }
  const serialPattern = fieldValue(form, 'serialPattern');
  const body = {
    brand: fieldValue(form, 'brand'),
    name: fieldValue(form, 'name'),
    model: fieldValue(form, 'model'),
    category: fieldValue(form, 'category'),
    retailPriceFen,
    baseWarrantyMonths: integerOf(form, 'baseWarrantyMonths'),
    launchDate: fieldValue(form, 'launchDate'),
    serialPattern: serialPattern === '' ? null : serialPattern,
  };
  if (editing) await put(`/products/${editing.id}`, body);
  else await post('/products', body);
  closeForm();
  flash('products.saved');
  await load();
});

let products = [];

function render() {
  const list = byId('product-list');
  if (products.length === 0) {
    list.replaceChildren(
      tx('products.empty', undefined, 'p', { class: 'muted', 'data-testid': 'products-empty' }),
    );
    return;
  }
  const head = h(
    'tr',
    {},
    h('th', {}, tx('products.brand')),
    h('th', {}, tx('products.name')),
    h('th', {}, tx('products.model')),
    h('th', {}, tx('products.category')),
    h('th', { class: 'num' }, tx('products.retailPrice')),
    h('th', { class: 'num' }, tx('products.baseWarranty')),
    h('th', {}, tx('products.launchDate')),
    h('th', {}, tx('common.actions')),
  );
  const rows = products.map((p) =>
    h(
      'tr',
      { 'data-product-id': p.id, 'data-testid': `product-row-${p.model}` },
      h('td', {}, p.brand),
      h('td', {}, p.name),
      h('td', { class: 'mono' }, p.model),
      h('td', {}, tx(`labels:category.${p.category}`)),
      h('td', { class: 'num' }, formatFen(p.retailPriceFen, p.currency)),
      h('td', { class: 'num' }, tx('common.months', { n: p.baseWarrantyMonths })),
      h('td', {}, p.launchDate),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'row-actions' },
          canEdit
            ? h(
                'button',
                { type: 'button', class: 'button button-secondary button-small', onclick: () => openForm(p) },
                tx('common.edit'),
              )
            : null,
          canDraft
            ? h(
                'a',
                {
                  class: 'button button-small',
                  href: `/portal/draft-new.html?productId=${p.id}`,
                  'data-testid': `new-draft-${p.id}`,
                },
                tx('products.newDraft'),
              )
            : null,
        ),
      ),
    ),
  );
  list.replaceChildren(
    h('table', { 'data-testid': 'product-table' }, h('thead', {}, head), h('tbody', {}, rows)),
  );
}

async function load() {
  products = (await get('/products?limit=200')).items;
  render();
}

await load();
if (canEdit && param('new') === '1') openForm(null);
const editId = param('edit');
if (canEdit && editId) {
  const product = products.find((p) => p.id === editId);
  if (product) openForm(product);
}
