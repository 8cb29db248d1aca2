/**
 * The platform admin: curates the clause library (add, edit with versioning,
 * retire, restore), suspends and reactivates manufacturers, and creates
 * platform staff (auditors, other admins). Every route needs platform_admin.
 */

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { createAccount, emailTaken } from '../../domain/auth.ts';
import { CLAUSE_STATUSES } from '../../domain/entities/clause.entity.ts';
import { Clause, ClauseRevision, Manufacturer, Order, Plan, User } from '../../domain/entities/index.ts';
import { MANUFACTURER_STATUSES } from '../../domain/entities/manufacturer.entity.ts';
import { PLATFORM_ROLES } from '../../domain/entities/user.entity.ts';
import { conflict, errorMessage, fieldProblem, notFound } from '../../domain/errors.ts';
import { enqueueAndDeliver } from '../../notifications/notifier.ts';
import { authOf, requireUser } from '../../plugins/auth.ts';
import {
  Category,
  CoverageTypeSchema,
  Email,
  errors,
  Id,
  IdParams,
  Pagination,
  Password,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';
import { ClauseView, clauseView, findClauses } from './clauses.ts';

export const CLAUSE_KEY_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

const ClauseText = {
  coverageType: CoverageTypeSchema,
  categories: Type.Array(Category, { minItems: 1, uniqueItems: true }),
  titleZh: Text(100),
  titleEn: Text(200),
  bodyZh: Text(5000),
  bodyEn: Text(10000),
};

/** The library view plus what curating needs: whether it is retired, and when it last changed. */
const ClauseAdminView = Type.Composite([
  ClauseView,
  Type.Object({ status: Type.String(), updatedAt: Type.String({ format: 'date-time' }) }),
]);
const clauseAdminView = (c: Clause) => ({
  ...clauseView(c),
  status: c.status,
  updatedAt: c.updatedAt.toISOString(),
});

const RevisionView = Type.Object({
  version: Type.Integer(),
  status: Type.String(),
  coverageType: Type.String(),
  categories: Type.Array(Type.String()),
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Type.String(),
  bodyEn: Type.String(),
  editedBy: Type.Union([Type.Object({ id: Id, displayName: Type.String() }), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
  /** A seeded version never edited yet: shown from the clause itself, stored on its first edit. */
  stored: Type.Boolean(),
});

const ManufacturerAdminView = Type.Object({
  id: Id,
  name: Type.String(),
  usccCode: Type.String(),
  contactName: Type.String(),
  email: Type.String(),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  users: Type.Integer(),
  plansOnSale: Type.Integer(),
  activeOrders: Type.Integer(),
});

const StaffView = Type.Object({
  id: Id,
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
const staffView = (u: User) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  roles: u.roles,
  createdAt: u.createdAt.toISOString(),
});

const snapshot = (clause: Clause) => ({
  clause: clause.id,
  version: clause.version,
  coverageType: clause.coverageType,
  categories: [...clause.categories],
  titleZh: clause.titleZh,
  titleEn: clause.titleEn,
  bodyZh: clause.bodyZh,
  bodyEn: clause.bodyEn,
  status: clause.status,
});

/**
 * Changes a clause as one new version: the row is locked, the version the
 * admin edited must still be the current one, a seeded clause's first version
 * is stored before it is superseded, and the new version is stored with who made it.
 */
async function reviseClause(
  em: EntityManager,
  id: string,
  editedBy: string,
  expectedVersion: number | null,
  change: (clause: Clause) => boolean,
): Promise<Clause> {
  return em.transactional(async (tx) => {
    const clause = await tx.findOne(Clause, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!clause) throw notFound('clause');
    if (expectedVersion !== null && clause.version !== expectedVersion)
      throw conflict(errorMessage('clauseVersion', { version: clause.version }), [
        fieldProblem('version', 'staleVersion', { expected: expectedVersion, actual: clause.version }),
      ]);
    const before = snapshot(clause);
    const since = clause.updatedAt;
    if (!change(clause)) return clause;
    // Stored late, the seeded version keeps the time it was last written.
    if (!(await tx.count(ClauseRevision, { clause: clause.id, version: before.version })))
      tx.create(ClauseRevision, { ...before, editedBy: null, createdAt: since, updatedAt: since });
    clause.version = before.version + 1;
    tx.create(ClauseRevision, { ...snapshot(clause), editedBy });
    return clause;
  });
}

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { notifications, config } = app.deps;
  const admin = requireUser(app, 'platform_admin');

  app.get(
    '/admin/clauses',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'The whole clause library, retired clauses included',
        querystring: Type.Composite([
          Type.Object({
            status: Type.Optional(StringEnum(CLAUSE_STATUSES)),
            category: Type.Optional(Category),
            coverageType: Type.Optional(CoverageTypeSchema),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'key or text' })),
          }),
          Pagination,
        ]),
        response: {
          200: Type.Object({ items: Type.Array(ClauseAdminView), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const [items, total] = await findClauses(request.em, request.query, request.query.status, {
        alsoKey: true,
      });
      return { items: items.map(clauseAdminView), total };
    },
  );

  app.post(
    '/admin/clauses',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Add a clause to the library (version 1)',
        body: Strict({
          key: Type.String({
            minLength: 3,
            maxLength: 100,
            pattern: CLAUSE_KEY_PATTERN,
            description: 'stable key, lower-case words joined by hyphens',
          }),
          ...ClauseText,
        }),
        response: { 201: ClauseAdminView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const em = request.em;
      const keyTaken = conflict(errorMessage('clauseKeyTaken'), [fieldProblem('key', 'keyInLibrary')]);
      if (await em.count(Clause, { key: request.body.key })) throw keyTaken;
      const clause = em.create(Clause, { id: randomUUID(), ...request.body, version: 1, status: 'active' });
      em.create(ClauseRevision, { ...snapshot(clause), editedBy: authOf(request).user.id });
      await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.clauseKey]: keyTaken });
      return reply.code(201).send(clauseAdminView(clause));
    },
  );

  app.put(
    '/admin/clauses/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Edit a clause: a new version; published plans keep the text they froze',
        params: IdParams,
        body: Strict({
          version: Type.Integer({
            minimum: 1,
            description: 'the version being edited (409 when it is no longer current)',
          }),
          ...ClauseText,
        }),
        response: { 200: ClauseAdminView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { version, ...next } = request.body;
      const clause = await reviseClause(
        request.em,
        request.params.id,
        authOf(request).user.id,
        version,
        (c) => {
          const same =
            c.coverageType === next.coverageType &&
            c.titleZh === next.titleZh &&
            c.titleEn === next.titleEn &&
            c.bodyZh === next.bodyZh &&
            c.bodyEn === next.bodyEn &&
            c.categories.length === next.categories.length &&
            c.categories.every((category) => next.categories.includes(category));
          if (same) return false;
          Object.assign(c, next, { categories: [...next.categories] });
          return true;
        },
      );
      return clauseAdminView(clause);
    },
  );

  for (const [action, status, summary] of [
    ['retire', 'retired', 'Retire a clause: no longer suggested or selectable for new plans'],
    ['restore', 'active', 'Bring a retired clause back into the library'],
  ] as const) {
    app.post(
      `/admin/clauses/:id/${action}`,
      {
        onRequest: admin,
        schema: {
          tags: ['admin'],
          summary,
          params: IdParams,
          response: { 200: ClauseAdminView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const clause = await reviseClause(
          request.em,
          request.params.id,
          authOf(request).user.id,
          null,
          (c) => {
            if (c.status === status) throw conflict(errorMessage('clauseAlready', { status }));
            c.status = status;
            return true;
          },
        );
        return clauseAdminView(clause);
      },
    );
  }

  app.get(
    '/admin/clauses/:id/revisions',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: "A clause's versions, newest first, with who made each",
        params: IdParams,
        response: { 200: Type.Array(RevisionView), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const em = request.em;
      const clause = await em.findOne(Clause, { id: request.params.id });
      if (!clause) throw notFound('clause');
      const revisions = await em.find(
        ClauseRevision,
        { clause: clause.id },
        { orderBy: { version: 'desc' } },
      );
      const editors = new Map(
        (
          await em.find(User, {
            id: { $in: revisions.map((r) => r.editedBy).filter((id): id is string => id !== null) },
          })
        ).map((u) => [u.id, u.displayName]),
      );
      const views = revisions.map((r) => ({
        version: r.version,
        status: r.status,
        coverageType: r.coverageType,
        categories: r.categories,
        titleZh: r.titleZh,
        titleEn: r.titleEn,
        bodyZh: r.bodyZh,
        bodyEn: r.bodyEn,
        editedBy: r.editedBy ? { id: r.editedBy, displayName: editors.get(r.editedBy) ?? r.editedBy } : null,
        at: r.createdAt.toISOString(),
        stored: true,
      }));
      // A seeded clause nobody edited has no stored revision yet: its current text is version 1.
      if (!revisions.some((r) => r.version === clause.version))
        views.unshift({
          ...snapshot(clause),
          editedBy: null,
          at: clause.createdAt.toISOString(),
          stored: false,
        });
      return views;
    },
  );

  app.get(
    '/admin/manufacturers',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Manufacturers with their users, plans on sale and active orders',
        querystring: Type.Composite([
          Type.Object({
            status: Type.Optional(StringEnum(MANUFACTURER_STATUSES)),
            q: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'name or credit code' }),
            ),
          }),
          Pagination,
        ]),
        response: {
          200: Type.Object({ items: Type.Array(ManufacturerAdminView), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { status, q, limit, offset } = request.query;
      const em = request.em;
      const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      const [items, total] = await em.findAndCount(
        Manufacturer,
        {
          ...(status ? { status } : {}),
          ...(like ? { $or: [{ name: { $ilike: like } }, { usccCode: { $ilike: like } }] } : {}),
        },
        { orderBy: { name: 'asc' }, limit, offset },
      );
      const ids = items.map((m) => m.id);
      const among = ids.map(() => '?').join(', ');
      const countBy = async (table: string, condition: string) =>
        new Map(
          ids.length
            ? (
                (await em.execute(
                  `select manufacturer_id as id, count(*) as n from ${table} where manufacturer_id in (${among})${condition} group by 1`,
                  ids,
                )) as { id: string; n: string | number }[]
              ).map((r) => [r.id, Number(r.n)])
            : [],
        );
      const [users, plans, orders] = await Promise.all([
        countBy('app_user', ''),
        countBy('plan', ` and status = 'on_sale'`),
        countBy('purchase_order', ` and status = 'active'`),
      ]);
      return {
        items: items.map((m) => manufacturerView(m, users.get(m.id), plans.get(m.id), orders.get(m.id))),
        total,
      };
    },
  );

  const manufacturerView = (m: Manufacturer, users = 0, plansOnSale = 0, activeOrders = 0) => ({
    id: m.id,
    name: m.name,
    usccCode: m.usccCode,
    contactName: m.contactName,
    email: m.email,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
    users,
    plansOnSale,
    activeOrders,
  });

  for (const [action, status, summary] of [
    [
      'suspend',
      'suspended',
      'Suspend a manufacturer: its plans stop selling and its users can only read; orders stay valid',
    ],
    ['reactivate', 'active', 'Lift a suspension: plans sell again and users may change things again'],
  ] as const) {
    app.post(
      `/admin/manufacturers/:id/${action}`,
      {
        onRequest: admin,
        schema: {
          tags: ['admin'],
          summary,
          params: IdParams,
          body: Strict({
            reason: Type.Optional(Text(500, 'why; sent to the manufacturer and kept in the outbox')),
          }),
          response: { 200: ManufacturerAdminView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const em = request.em;
        const manufacturer = await em.findOne(Manufacturer, { id: request.params.id });
        if (!manufacturer) throw notFound('manufacturer');
        if (manufacturer.status === status) throw conflict(errorMessage('manufacturerAlready', { status }));
        manufacturer.status = status;
        await em.flush();
        // Its landing pages answer 410 (or sell again) from the next request on.
        app.landingCache.invalidate();
        const reason = request.body.reason ?? '';
        const by = authOf(request).user.displayName;
        // The outbox keeps the notice, so who changed the status, when and why stays on record.
        await enqueueAndDeliver(em, notifications, [
          {
            dedupeKey: `manufacturer-${status}:${manufacturer.id}:${manufacturer.updatedAt.getTime()}`,
            channel: 'email',
            recipient: manufacturer.email,
            subject:
              status === 'suspended'
                ? `延保平台账户已暂停 / Yanbao account suspended: ${manufacturer.name}`
                : `延保平台账户已恢复 / Yanbao account reactivated: ${manufacturer.name}`,
            body:
              status === 'suspended'
                ? `您的延保方案已暂停销售，已售订单继续有效；账户暂时只能查看。原因：${reason || '—'}\n` +
                  `Your plans are no longer on sale; orders already sold stay valid, and your account is read-only for now. Reason: ${reason || '—'}\n` +
                  `(${by}, ${config.publicBaseUrl})`
                : `您的延保方案恢复销售，账户恢复正常。${reason}\nYour plans are on sale again and your account is fully usable. ${reason}\n(${by})`,
          },
        ]);
        const [users, plansOnSale, activeOrders] = await Promise.all([
          em.count(User, { manufacturer: manufacturer.id }),
          em.count(Plan, { manufacturer: manufacturer.id, status: 'on_sale' }),
          em.count(Order, { manufacturer: manufacturer.id, status: 'active' }),
        ]);
        return manufacturerView(manufacturer, users, plansOnSale, activeOrders);
      },
    );
  }

  app.get(
    '/admin/users',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Platform staff: auditors and platform admins',
        response: { 200: Type.Array(StaffView), ...errors(401, 403) },
      },
    },
    async (request) => {
      const users = await request.em.find(User, { manufacturer: null }, { orderBy: { createdAt: 'asc' } });
      return users.map(staffView);
    },
  );

  app.post(
    '/admin/users',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Add an auditor or another platform admin',
        body: Strict({
          email: Email,
          displayName: Text(100),
          password: Password,
          role: StringEnum(PLATFORM_ROLES),
        }),
        response: { 201: StaffView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { em, body } = request;
      const user = await createAccount(em, { ...body, manufacturer: null, roles: [body.role] });
      await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.userEmail]: emailTaken('email') });
      return reply.code(201).send(staffView(user));
    },
  );
};
