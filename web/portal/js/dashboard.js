/** Overview: who and which company, counts that link to each list, and the latest drafts. */
import { get } from '../../assets/api.js';
import { byId, h, tx } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { draftTable } from './tables.js';

const me = await bootPortal('dashboard');

const welcome = byId('welcome');
welcome.dataset.i18n = 'dashboard.welcome';
welcome.dataset.i18nArgs = JSON.stringify({ name: me.user.displayName });
welcome.textContent = t('dashboard.welcome', { name: me.user.displayName });
byId('company-line').replaceChildren(
  h('strong', {}, me.manufacturer.name),
  ' · ',
  ...me.user.roles.flatMap((role, i) => [i > 0 ? ' / ' : '', tx(`role.${role}`)]),
);
byId('suspended').hidden = me.manufacturer.status !== 'suspended';
if (!hasRole(me, 'editor')) byId('quick-actions').hidden = true;

const [products, drafts, review, plans] = await Promise.all([
  get('/products?limit=1'),
  get('/plan-drafts?limit=8'),
  get('/plan-drafts?status=awaiting_review&limit=1'),
  get('/plans?limit=1'),
]);
byId('stat-products').textContent = String(products.total);
byId('stat-drafts').textContent = String(drafts.total);
byId('stat-review').textContent = String(review.total);
byId('stat-plans').textContent = String(plans.total);
byId('recent-drafts').replaceChildren(draftTable(drafts.items, 'drafts.empty'));
