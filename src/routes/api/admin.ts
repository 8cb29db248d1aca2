/**
 * The platform admin: curates the clause library (add, edit with versioning,
 * retire, restore), suspends and reactivates manufacturers, and creates
 * platform staff (auditors, other admins). Every route needs platform_admin.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { createAccount, emailTaken } from '../../domain/auth.ts';
import { CLAUSE_STATUSES } from '../../domain/entities/clause.entity.ts';
import { type Clause, User } from '../../domain/entities/index.ts';
import { MANUFACTURER_STATUSES } from '../../domain/entities/manufacturer.entity.ts';
import { PLATFORM_ROLES } from '../../domain/entities/user.entity.ts';
import { authOf, requireUser } from '../../plugins/auth.ts';
import {
  addClause,
  clauseRevisions,
  editClause,
  findClauses,
  setClauseStatus,
} from '../../services/clause-library.ts';
import { listManufacturers, setManufacturerStatus } from '../../services/manufacturers.ts';
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
import { ClauseView, clauseView } from './clauses.ts';

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
      const clause = await addClause(request.em, request.body, authOf(request).user.id);
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
      const clause = await editClause(request.em, request.params.id, authOf(request).user.id, version, next);
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
        const clause = await setClauseStatus(request.em, request.params.id, authOf(request).user.id, status);
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
    async (request) => clauseRevisions(request.em, request.params.id),
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
    async (request) => listManufacturers(request.em, request.query),
  );

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
      async (request) =>
        setManufacturerStatus(
          { em: request.em, notifications, config, landingCache: app.landingCache },
          request.params.id,
          status,
          { reason: request.body.reason, by: authOf(request).user.displayName },
        ),
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
