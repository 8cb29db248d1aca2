/** Log in, then go back where the visitor was sent from (a portal page) or to the overview. */
import { safeNext } from '../../assets/api.js';
import { byId, param } from '../../assets/dom.js';
import { handleLogin } from '../../assets/login-form.js';
import { bootPublic } from '../../assets/shell.js';

bootPublic();

// Platform staff (auditors, platform admins) have no manufacturer: their pages are under /audit/.
handleLogin(byId('login-form'), (me) => (me?.manufacturer ? safeNext(param('next')) : '/audit/'));
