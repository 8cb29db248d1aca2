/** Staff login: then back to the audit page the visitor came from, or the workflow list. */
import { byId, param } from '../../assets/dom.js';
import { handleLogin } from '../../assets/login-form.js';
import { bootStaffPublic, safeAuditNext } from './frame.js';

bootStaffPublic();

// A manufacturer's user belongs in the portal.
handleLogin(byId('login-form'), (me) => (me.manufacturer ? '/portal/' : safeAuditNext(param('next'))));
