/** A warranty requirement for one product; creating it starts the plan-creation workflow. */
import { get, post } from '../../assets/api.js';
import { byId, fieldValue, h, integerOf, onSubmit, param, showLocalErrors, tx } from '../../assets/dom.js';
import { formatFen, parseYuanToFen } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { BENEFIT_TYPES, START_RULES } from './vocabulary.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('draftNew.heading')}</h1>
        <p class="lead">${t('draftNew.lead')}</p>
      </div>
    </div>
    <div class="notice notice-info" id="no-products" hidden>
      <span>${t('draftNew.noProducts')}</span>
      <a href="/portal/products.html?new=1">${t('products.new')}</a>
    </div>
    <section class="card">
      <form id="draft-form" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="grid-2">
          <div class="field span-all" data-field="productId">
            <label for="draft-product">${t('draftNew.product')}</label>
            <select id="draft-product" name="productId" required></select>
            <span class="hint" id="draft-product-hint"></span>
          </div>
          <div class="field" data-field="nameZh">
            <label for="draft-name-zh">${t('draftNew.nameZh')}</label>
            <input type="text" id="draft-name-zh" name="nameZh" lang="zh-CN" maxlength="100" autocomplete="off" required>
          </div>
          <div class="field" data-field="nameEn">
            <label for="draft-name-en">${t('draftNew.nameEn')}</label>
            <input type="text" id="draft-name-en" name="nameEn" lang="en" maxlength="200" autocomplete="off" required>
          </div>
          <div class="field" data-field="termMonths">
            <label for="draft-term">${t('draftNew.term')}</label>
            <input type="number" id="draft-term" name="termMonths" min="1" max="120" step="1" value="24" required>
          </div>
          <div class="field" data-field="priceFen">
            <label for="draft-price"><span>${t('draftNew.price')}</span> <span class="hint">${t('draftNew.priceHint')}</span></label>
            <input type="text" id="draft-price" name="price" inputmode="decimal" autocomplete="off" required>
          </div>
          <div class="field" data-field="coverageStartRule.kind">
            <label for="draft-start-rule">${t('draftNew.startRule')}</label>
            <select id="draft-start-rule" name="startRule" required></select>
          </div>
          <div class="field" data-field="coverageStartRule.days" id="draft-waiting-days-field" hidden>
            <label for="draft-waiting-days">${t('draftNew.waitingDays')}</label>
            <input type="number" id="draft-waiting-days" name="waitingDays" min="1" max="365" step="1" value="30">
          </div>
          <div class="field" data-field="purchaseWindowDays">
            <label for="draft-window">${t('draftNew.window')}</label>
            <input type="number" id="draft-window" name="purchaseWindowDays" min="1" max="3650" step="1" value="90" required>
          </div>
          <div class="field" data-field="coolingOffDays">
            <label for="draft-cooling-off"><span>${t('draftNew.coolingOff')}</span> <span class="hint">${t('draftNew.coolingOffHint')}</span></label>
            <input type="number" id="draft-cooling-off" name="coolingOffDays" min="1" max="365" step="1" value="30" required>
          </div>
          <fieldset class="span-all" data-field="coverageTypes">
            <legend>${t('draftNew.coverage')}</legend>
            <div class="checks" id="draft-coverage"></div>
            <p class="hint">${t('draftNew.coverageHint')}</p>
          </fieldset>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="draft-submit" data-testid="draft-submit">${t('draftNew.submit')}</button>
        </div>
      </form>
    </section>
  `,
);

await bootPortal('drafts');

const form = byId('draft-form');
const productSelect = byId('draft-product');
const hint = byId('draft-product-hint');
const startRule = byId('draft-start-rule');
const waitingField = byId('draft-waiting-days-field');

const { items: products } = await get('/products?limit=200');
byId('no-products').hidden = products.length > 0;
productSelect.replaceChildren(
  tx('draftNew.chooseProduct', undefined, 'option', { value: '' }),
  ...products.map((p) => h('option', { value: p.id }, `${p.brand} · ${p.name} · ${p.model}`)),
);
const wanted = param('productId');
if (wanted && products.some((p) => p.id === wanted)) productSelect.value = wanted;
else if (products.length === 1) productSelect.value = products[0].id;

function showProductHint() {
  const product = products.find((p) => p.id === productSelect.value);
  hint.replaceChildren(
    product
      ? tx('draftNew.productHint', {
          price: formatFen(product.retailPriceFen, product.currency),
          months: product.baseWarrantyMonths,
        })
      : '',
  );
}
productSelect.addEventListener('change', showProductHint);
showProductHint();

startRule.replaceChildren(
  ...START_RULES.map((kind) => tx(`labels:startRule.${kind}`, undefined, 'option', { value: kind })),
);
const syncWaiting = () => {
  waitingField.hidden = startRule.value !== 'waiting_days';
};
startRule.addEventListener('change', syncWaiting);
syncWaiting();

byId('draft-coverage').replaceChildren(
  ...BENEFIT_TYPES.map((type) =>
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        name: 'coverageTypes',
        value: type,
        id: `coverage-${type}`,
        checked: type === 'parts_labour',
      }),
      tx(`labels:coverage.${type}`),
    ),
  ),
);

onSubmit(form, async () => {
  const priceFen = parseYuanToFen(fieldValue(form, 'price'));
  if (priceFen === null) {
    showLocalErrors(form, { priceFen: { key: 'msg.money' } });
    return;
  }
  const kind = startRule.value;
  const body = {
    productId: productSelect.value,
    nameZh: fieldValue(form, 'nameZh'),
    nameEn: fieldValue(form, 'nameEn'),
    termMonths: integerOf(form, 'termMonths'),
    coverageStartRule: kind === 'waiting_days' ? { kind, days: integerOf(form, 'waitingDays') } : { kind },
    priceFen,
    purchaseWindowDays: integerOf(form, 'purchaseWindowDays'),
    coolingOffDays: integerOf(form, 'coolingOffDays'),
    coverageTypes: [...form.querySelectorAll('input[name="coverageTypes"]:checked')].map((box) => box.value),
  };
  if (!body.productId) {
    showLocalErrors(form, { productId: { key: 'msg.required' } });
    return;
  }
  const draft = await post('/plan-drafts', body);
  location.assign(`/portal/draft.html?id=${draft.id}`);
});
