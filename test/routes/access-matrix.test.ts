/**
 * Access control, route by route and role by role: every route registered
 * under /api/v1 (collected with an onRoute hook as the app is built, so a new
 * route is covered the day it is added) is called by an anonymous visitor, a
 * consumer holding an order link, an editor, an approver, an auditor, a
 * platform admin and another manufacturer's admin, each time with a request
 * the route's own schema accepts, so the answer comes from the guards and not
 * from validation. Another manufacturer never gets a 2xx on the first one's
 * resources, and no 2xx answer it gets mentions them.
 */
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Clause, Plan } from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { addUser } from '../helpers/plan-fixtures.ts';
import { createPlatformUser } from '../helpers/platform-staff.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
};
interface ApiRoute {
  method: string;
  url: string;
  schema: { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema; hide?: boolean };
}

type RoleName =
  | 'anonymous'
  | 'consumer'
  | 'editor'
  | 'approver'
  | 'auditor'
  | 'platform_admin'
  | 'other_manufacturer';
/** The platform admin goes last: suspending the manufacturer is among the routes it may call. */
const ROLES: RoleName[] = [
  'anonymous',
  'consumer',
  'editor',
  'approver',
  'auditor',
  'other_manufacturer',
  'platform_admin',
];

/** Where a route belongs, by its path: decides who may call it. */
type Audience = 'public' | 'session' | 'member' | 'staff' | 'admin';
const PUBLIC = [
  /^\/api\/v1\/auth\/(signup|login|forgot-password|reset-password)$/,
  /^\/api\/v1\/public\//,
  /^\/api\/v1\/payments\//,
];
const SESSION = [/^\/api\/v1\/auth\/(me|csrf|logout|password)$/, /^\/api\/v1\/clauses$/];
/** Session routes every signed-in user may write to for their own account, auditors included. */
const OWN_ACCOUNT = ['/api/v1/auth/logout', '/api/v1/auth/password'];
function audienceOf(route: ApiRoute): Audience {
  if (route.url.startsWith('/api/v1/admin/')) return 'admin';
  if (route.url.startsWith('/api/v1/audit/')) return 'staff';
  if (PUBLIC.some((p) => p.test(route.url))) return 'public';
  if (SESSION.some((p) => p.test(route.url))) return 'session';
  return 'member';
}

/**
 * Manufacturer routes that need a role: the roles (besides admin) that may call
 * them. Routes not listed are open to every member; a member route missing
 * here is still checked for everyone else, and for members it must not answer 401.
 */
const MEMBER_ROLES: Record<string, ('editor' | 'approver')[]> = {
  'POST /api/v1/products': ['editor'],
  'PUT /api/v1/products/:id': ['editor'],
  'POST /api/v1/plan-drafts': ['editor'],
  'POST /api/v1/plan-drafts/:id/selection': ['editor'],
  'POST /api/v1/plan-drafts/:id/review': ['approver'],
  'POST /api/v1/plans/:id/unit-batches': ['editor'],
  'POST /api/v1/plans/:id/stop': ['approver'],
  'POST /api/v1/plans/:id/resume': ['approver'],
  'POST /api/v1/plans/:id/versions': ['editor'],
  'POST /api/v1/manufacturer/users': [],
  'POST /api/v1/manufacturer/users/:id/deactivate': [],
  'POST /api/v1/manufacturer/users/:id/reactivate': [],
  'POST /api/v1/manufacturer/users/:id/password-reset': [],
  'POST /api/v1/claims/:claimNumber/decision': ['approver'],
  'POST /api/v1/claims/:claimNumber/repair': ['approver'],
  'POST /api/v1/claims/:claimNumber/close': ['approver'],
};
/** Member reads that must succeed for every member on the manufacturer's own resources. */
const MEMBER_READS = [
  'GET /api/v1/products',
  'GET /api/v1/products/:id',
  'GET /api/v1/plan-drafts',
  'GET /api/v1/plan-drafts/:id',
  'GET /api/v1/plans',
  'GET /api/v1/plans/:id',
  'GET /api/v1/plans/:id/documents/:kind',
  'GET /api/v1/plans/:id/unit-batches',
  'GET /api/v1/unit-batches/:id',
  'GET /api/v1/manufacturer/users',
  'GET /api/v1/manufacturer/todo',
  'GET /api/v1/claims',
  'GET /api/v1/claims/:claimNumber',
  'GET /api/v1/orders',
  'GET /api/v1/orders/:orderNumber',
  'POST /api/v1/orders/:orderNumber/phone-reveal',
  'GET /api/v1/cancellations',
  'GET /api/v1/workflows/:workflowId/timeline',
];

// ---- requests the schemas accept ----

/** A string matching a simple pattern (anchors, classes, groups, alternation, quantifiers). */
function sampleOf(pattern: string): string {
  let i = 0;
  const atom = (): string => {
    const c = pattern[i++] as string;
    if (c === '\\') {
      const e = pattern[i++] as string;
      return { d: '1', w: 'a', S: 'x', s: ' ' }[e] ?? e;
    }
    if (c === '[') {
      const negated = pattern[i] === '^';
      if (negated) i++;
      let first = '';
      while (pattern[i] !== ']') {
        let ch = pattern[i++] as string;
        if (ch === '\\')
          ch = { d: '1', w: 'a', S: 'x' }[pattern[i++] as string] ?? (pattern[i - 1] as string);
        if (!first) first = ch;
      }
      i++;
      return negated ? 'a' : first;
    }
    if (c === '(') {
      if (pattern.startsWith('?:', i)) i += 2;
      let depth = 1;
      const start = i;
      while (depth > 0) {
        if (pattern[i] === '\\') i++;
        else if (pattern[i] === '(') depth++;
        else if (pattern[i] === ')') depth--;
        i++;
      }
      const inner = pattern.slice(start, i - 1);
      // First alternative at depth 0.
      let d = 0;
      let cut = inner.length;
      for (let j = 0; j < inner.length; j++) {
        if (inner[j] === '\\') j++;
        else if (inner[j] === '(') d++;
        else if (inner[j] === ')') d--;
        else if (inner[j] === '|' && d === 0) {
          cut = j;
          break;
        }
      }
      return sampleOf(inner.slice(0, cut));
    }
    if (c === '.') return 'x';
    return c;
  };
  let out = '';
  while (i < pattern.length) {
    if (pattern[i] === '^' || pattern[i] === '$') {
      i++;
      continue;
    }
    if (pattern[i] === '|') break;
    const piece = atom();
    let times = 1;
    if (pattern[i] === '{') {
      const close = pattern.indexOf('}', i);
      times = Number(pattern.slice(i + 1, close).split(',')[0]);
      i = close + 1;
    } else if (pattern[i] === '*' || pattern[i] === '?') {
      times = 0;
      i++;
    } else if (pattern[i] === '+') i++;
    out += piece.repeat(times);
  }
  return out;
}

let uniq = 0;
/** A value the JSON schema accepts; `known` supplies values for named properties (ids of real resources). */
function exampleOf(schema: JsonSchema | undefined, known: Record<string, unknown> = {}, name = ''): unknown {
  if (!schema) return undefined;
  if (name in known) return known[name];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives)
    return exampleOf(alternatives.find((s) => s.type !== 'null') ?? alternatives[0], known, name);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s, known, name)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleOf(schema.properties?.[key], known, key);
      return out;
    }
    case 'array': {
      const n = Number(schema.minItems ?? 0);
      if (schema.items?.enum) return schema.items.enum.slice(0, Math.max(n, 1));
      return Array.from({ length: n }, () => exampleOf(schema.items, known));
    }
    case 'integer':
    case 'number':
      return Number(
        schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 0),
      );
    case 'boolean':
      return false;
    case 'null':
      return null;
    default: {
      const min = Number(schema.minLength ?? 1);
      switch (schema.format) {
        case 'uuid':
          return randomUUID();
        case 'email':
          return `matrix-${++uniq}-${randomUUID().slice(0, 6)}@example.com`;
        case 'date':
          return chinaDate(new Date());
        case 'date-time':
          return new Date().toISOString();
      }
      if (typeof schema.pattern === 'string' && schema.pattern !== '\\S') {
        const sample = sampleOf(schema.pattern);
        const long =
          sample.length < min ? sample + (sample.at(-1) ?? 'x').repeat(min - sample.length) : sample;
        if (new RegExp(schema.pattern).test(long)) return long;
      }
      return 'x'.repeat(Math.max(min, 1));
    }
  }
}

const paramNames = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);

describe('access-control matrix: every API route × every role', () => {
  let h: Harness;
  const routes: ApiRoute[] = [];
  /** The first manufacturer's resources, by what names them. */
  const own: Record<string, string> = {};
  /** Strings another manufacturer must never see. */
  const secrets: string[] = [];
  let otherOrder: string;
  let token: string;
  const sessions = new Map<RoleName, { session: ApiSession; login: () => Promise<void> }>();

  const collect = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods)
        if (route.url.startsWith('/api/v1/') && method !== 'HEAD')
          routes.push({ method, url: route.url, schema: (route.schema ?? {}) as ApiRoute['schema'] });
    });
  };

  beforeAll(async () => {
    diagnostics.subscribe('fastify.initialization', collect);
    try {
      h = await startHarness(
        { loginThrottle: { accountFailures: 100_000, addressFailures: 100_000, windowMinutes: 15 } },
        { listen: true },
      );
    } finally {
      diagnostics.unsubscribe('fastify.initialization', collect);
    }
    // Coverage from purchase, so a repair request can be filed on the order today.
    const a = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    const em = h.db.orm.em.fork();
    const plan = await em.findOneOrFail(Plan, { id: a.planId });
    const placed = await register(h, registration(a.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    otherOrder = (await register(h, registration(a.code))).orderNumber;
    token = orderAccessToken(placed.orderNumber, h.config.linkSecret);
    const batch = await a.editor.session.request('POST', `/api/v1/plans/${a.planId}/unit-batches`, {
      serials: ['XH0000000001'],
      format: 'zip',
    });
    expect(batch.statusCode, batch.body).toBe(201);
    Object.assign(own, {
      manufacturer: a.editor.me.manufacturer.id,
      user: a.editor.me.user.id,
      product: a.productId,
      draft: plan.draft,
      plan: a.planId,
      batch: batch.json().id,
      orderNumber: placed.orderNumber,
      workflowId: purchaseWorkflowId(placed.orderNumber),
      clause: (await em.findOneOrFail(Clause, { key: 'parts-labour-genuine-parts' })).id,
    });
    // A repair request on the order, when the claims API accepts one from its schema.
    const claimRoute = routes.find(
      (r) => r.method === 'POST' && r.url === '/api/v1/public/orders/:orderNumber/claims',
    );
    if (claimRoute) {
      const filed = await h.app.inject({
        method: 'POST',
        url: `/api/v1/public/orders/${own.orderNumber}/claims?t=${token}`,
        payload: exampleOf(claimRoute.schema.body, {
          faultDate: chinaDate(new Date()),
          contactPhone: '13912345678',
          coverageType: 'parts_labour',
        }) as object,
      });
      if (filed.statusCode === 201) own.claimNumber = filed.json().claimNumber;
      else console.warn(`no claim for the matrix: ${filed.statusCode} ${filed.body}`);
    }
    secrets.push(
      ...Object.values(own).filter((v) => v !== own.clause),
      a.code,
      a.editor.email,
      placed.orderNumber,
    );

    const editor = await addUser(a.editor.session, ['editor'], () => new ApiSession(h.app));
    const approver = await addUser(a.editor.session, ['approver'], () => new ApiSession(h.app));
    const password = 'another long passphrase';
    const relogin = (session: ApiSession, email: string, pass: string) => async () => {
      session.cookies.clear();
      expect((await session.login(email, pass)).statusCode).toBe(200);
    };
    sessions.set('editor', {
      session: editor.session,
      login: relogin(editor.session, editor.email, password),
    });
    sessions.set('approver', {
      session: approver.session,
      login: relogin(approver.session, approver.email, password),
    });
    const other = await signUp(h.app, 'Other');
    sessions.set('other_manufacturer', {
      session: other.session,
      login: relogin(other.session, other.email, other.password),
    });
    for (const role of ['auditor', 'platform_admin'] as const) {
      const { email, password } = await createPlatformUser(h.db.orm, role);
      const session = new ApiSession(h.app);
      const login = relogin(session, email, password);
      await login();
      sessions.set(role, { session, login });
    }
  });
  /** ACCESS_MATRIX_REPORT=1 prints the whole matrix (route × role → status) after the run. */
  const report = new Map<string, Partial<Record<RoleName, number>>>();
  afterAll(async () => {
    if (process.env.ACCESS_MATRIX_REPORT) console.table(Object.fromEntries(report));
    await h?.close();
  });

  const key = (route: ApiRoute) => `${route.method} ${route.url}`;
  const ownsParams = (route: ApiRoute) => paramNames(route.url).some((p) => p !== 'provider' && p !== 'kind');

  /** The route's URL with the first manufacturer's resources filled in. */
  function urlFor(route: ApiRoute, role: RoleName, orderNumber = own.orderNumber as string): string {
    const schemaOf = (name: string) => route.schema.params?.properties?.[name];
    let url = route.url.replace(/:(\w+)/g, (_whole, name: string) => {
      const byPrefix: [RegExp, string | undefined][] = [
        [/^\/api\/v1\/products\//, own.product],
        [/^\/api\/v1\/plan-drafts\//, own.draft],
        [/^\/api\/v1\/plans\//, own.plan],
        [/^\/api\/v1\/unit-batches\//, own.batch],
        [/^\/api\/v1\/admin\/clauses\//, own.clause],
        [/^\/api\/v1\/admin\/manufacturers\//, own.manufacturer],
        [/^\/api\/v1\/manufacturer\/users\//, own.user],
      ];
      const value =
        name === 'orderNumber'
          ? orderNumber
          : name === 'id'
            ? byPrefix.find(([p]) => p.test(route.url))?.[1]
            : own[name];
      return encodeURIComponent(String(value ?? exampleOf(schemaOf(name))));
    });
    const query = exampleOf(route.schema.querystring) as Record<string, unknown> | undefined;
    if (query && Object.keys(query).length > 0) {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) search.set(k, String(v));
      if (search.has('t')) search.set('t', role === 'consumer' ? token : 'x'.repeat(24));
      url += `?${search}`;
    }
    return url;
  }

  function bodyFor(route: ApiRoute): unknown {
    if (route.url === '/api/v1/auth/login')
      return { email: 'nobody@example.com', password: 'wrong password' };
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) return undefined;
    if (!route.schema.body) return {};
    return exampleOf(route.schema.body, { version: 1 });
  }

  async function call(role: RoleName, route: ApiRoute, url: string): Promise<LightMyRequestResponse> {
    const body = bodyFor(route);
    const account = sessions.get(role);
    if (!account)
      return h.app.inject({
        method: route.method as 'GET',
        url,
        ...(body === undefined ? {} : { payload: body as object }),
      });
    const response = await account.session.request(route.method as 'GET', url, body);
    if (route.url === '/api/v1/auth/logout' && response.statusCode < 300) await account.login();
    return response;
  }

  type Expectation = { ok: (status: number) => boolean; says: string };
  const is = (code: number): Expectation => ({ ok: (s) => s === code, says: String(code) });
  const success: Expectation = { ok: (s) => s >= 200 && s < 300, says: '2xx' };
  const notDenied: Expectation = { ok: (s) => s < 500 && s !== 401 && s !== 403, says: 'not 401/403/5xx' };
  const refused: Expectation = { ok: (s) => s >= 400 && s < 500, says: '4xx' };
  const answered: Expectation = { ok: (s) => s < 500, says: 'not 5xx' };

  function expected(route: ApiRoute, role: RoleName): Expectation {
    const audience = audienceOf(route);
    const read = route.method === 'GET';
    const member = role === 'editor' || role === 'approver';
    const staff = role === 'auditor' || role === 'platform_admin';
    if (route.schema.hide && /\.(js|css|map)$/.test(route.url)) return answered; // a static asset, public by nature
    switch (audience) {
      case 'public': {
        if (route.url === '/api/v1/auth/login') return is(401);
        if (route.url === '/api/v1/payments/:provider/notify') return refused;
        // Consumer routes need the order link's token: a session of any kind is no substitute.
        if (paramNames(route.url).includes('orderNumber'))
          return role !== 'consumer'
            ? refused
            : read && route.url === '/api/v1/public/orders/:orderNumber'
              ? success
              : notDenied;
        return answered;
      }
      case 'session':
        if (role === 'anonymous' || role === 'consumer') return is(401);
        // Auditors only read, but ending their own session and changing their own password are allowed.
        if (!read && role === 'auditor' && !OWN_ACCOUNT.includes(route.url)) return is(403);
        // The schema's example is not the caller's current password: refused, but not as a stranger.
        if (route.url === '/api/v1/auth/password') return notDenied;
        return success;
      case 'staff':
        if (role === 'anonymous' || role === 'consumer') return is(401);
        if (!staff) return is(403);
        if (!read && role === 'auditor') return is(403);
        return read ? success : notDenied;
      case 'admin':
        if (role === 'anonymous' || role === 'consumer') return is(401);
        if (role !== 'platform_admin') return is(403);
        return read ? success : notDenied;
      case 'member': {
        if (role === 'anonymous' || role === 'consumer') return is(401);
        if (staff) return is(403);
        if (role === 'other_manufacturer') return ownsParams(route) ? is(404) : answered;
        const roles = MEMBER_ROLES[key(route)];
        if (member && roles && !roles.includes(role)) return is(403);
        if (MEMBER_READS.includes(key(route))) return success;
        return notDenied;
      }
    }
  }

  it('collects every API route with its schema', () => {
    const keys = routes.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const known of [
      'POST /api/v1/auth/login',
      'GET /api/v1/products/:id',
      'POST /api/v1/plan-drafts/:id/review',
      'GET /api/v1/public/orders/:orderNumber',
      'POST /api/v1/payments/:provider/notify',
      'GET /api/v1/audit/workflows/:workflowId',
      'GET /api/v1/audit/reconciliation.csv',
      'POST /api/v1/admin/manufacturers/:id/suspend',
      'POST /api/v1/admin/users',
    ])
      expect(keys).toContain(known);
    // Every route's parameters can be filled in: from the first manufacturer's resources or the schema.
    for (const route of routes) expect(urlFor(route, 'editor'), key(route)).not.toMatch(/undefined|:\w+/);
  });

  for (const role of ROLES) {
    it(`answers ${role} as the guards say, on every route`, async () => {
      const problems: string[] = [];
      const ordered = [...routes].sort(
        (x, y) => Number(x.url === '/api/v1/auth/logout') - Number(y.url === '/api/v1/auth/logout'),
      );
      for (const route of ordered) {
        const url = urlFor(route, role);
        const response = await call(role, route, url);
        const want = expected(route, role);
        report.set(key(route), { ...report.get(key(route)), [role]: response.statusCode });
        if (!want.ok(response.statusCode))
          problems.push(
            `${route.method} ${url}: got ${response.statusCode}, expected ${want.says} — ${response.body.slice(0, 160)}`,
          );
        if (role === 'other_manufacturer' && response.statusCode < 300) {
          const leaked = secrets.filter((s) => response.body.includes(s));
          if (leaked.length > 0) problems.push(`${route.method} ${url}: leaks ${leaked.join(', ')}`);
        }
        // A consumer's token opens only its own order.
        if (role === 'consumer' && paramNames(route.url).includes('orderNumber')) {
          const wrong = await call(role, route, urlFor(route, role, otherOrder));
          if (wrong.statusCode < 400 || wrong.statusCode >= 500)
            problems.push(
              `${route.method} with another order's number: got ${wrong.statusCode}, expected 4xx`,
            );
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
