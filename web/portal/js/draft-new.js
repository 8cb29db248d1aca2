/** A warranty requirement for one product; creating it starts the plan-creation workflow. */
import { get, post } from '../../assets/api.js';
import { byId, fieldValue, h, integerOf, onSubmit, param, showLocalErrors, tx } from '../../assets/dom.js';
import { formatFen, parseYuanToFen } from '../../assets/format.js';
import { bootPortal } from '../../assets/shell.js';
import { BENEFIT_TYPES, START_RULES } from './vocabulary.js';

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
