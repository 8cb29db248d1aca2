/** Every plan draft of the manufacturer, newest activity first. */
import { get } from '../../assets/api.js';
import { byId } from '../../assets/dom.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { draftTable, productNameMap } from './tables.js';

const me = await bootPortal('drafts');
byId('draft-new').hidden = !hasRole(me, 'editor');
const [drafts, productNames] = await Promise.all([get('/plan-drafts?limit=200'), productNameMap(get)]);
byId('draft-list').replaceChildren(draftTable(drafts.items, 'drafts.empty', { productNames }));
