import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { createAccount, emailTaken } from '../../domain/auth.ts';
import { User } from '../../domain/entities/index.ts';
import { MANUFACTURER_ROLES } from '../../domain/entities/user.entity.ts';
import { deliverPending } from '../../notifications/notifier.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { todoCounts } from '../../services/claim-view.ts';
import { deactivateUser, reactivateUser, resetUserPassword } from '../../services/users.ts';
import { Email, errors, Id, IdParams, Password, Strict, StringEnum, Text } from '../schemas.ts';

const UserView = Type.Object({
  id: Id,
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  active: Type.Boolean({ description: 'false while an admin has deactivated the user' }),
});
const view = (u: User) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  roles: u.roles,
  active: !u.deactivatedAt,
});

/** The manufacturer's own users: its admin adds editors and approvers, deactivates users and resets passwords. */
export const manufacturerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, notifications } = app.deps;
  app.get(
    '/manufacturer/todo',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['manufacturer'],
        summary:
          "The navigation's to-do counts: drafts to review (null unless you review), claims waiting, claims over SLA",
        response: {
          200: Type.Object({
            draftsToReview: Type.Union([Type.Integer(), Type.Null()]),
            claimsWaiting: Type.Integer(),
            claimsOverSla: Type.Integer(),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const { manufacturer, user } = memberOf(request);
      return todoCounts(request.em, config.claims, {
        manufacturerId: manufacturer.id,
        userId: user.id,
        reviews: user.roles.includes('approver') || user.roles.includes('admin'),
      });
    },
  );

  app.get(
    '/manufacturer/users',
    {
      onRequest: requireMember(app),
      schema: { tags: ['manufacturer'], response: { 200: Type.Array(UserView), ...errors(401) } },
    },
    async (request) => {
      const users = await request.em.find(
        User,
        { manufacturer: memberOf(request).manufacturer.id },
        { orderBy: { createdAt: 'asc' } },
      );
      return users.map(view);
    },
  );

  app.post(
    '/manufacturer/users',
    {
      onRequest: requireMember(app, 'admin'),
      schema: {
        tags: ['manufacturer'],
        summary: 'Add a user (editor and/or approver) to your manufacturer',
        body: Strict({
          displayName: Text(100),
          email: Email,
          password: Password,
          roles: Type.Array(StringEnum(MANUFACTURER_ROLES), { minItems: 1, uniqueItems: true }),
        }),
        response: { 201: UserView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { em, body } = request;
      const user = await createAccount(em, { ...body, manufacturer: memberOf(request).manufacturer.id });
      await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.userEmail]: emailTaken('email') });
      return reply.code(201).send(view(user));
    },
  );

  app.post(
    '/manufacturer/users/:id/deactivate',
    {
      onRequest: requireMember(app, 'admin'),
      schema: {
        tags: ['manufacturer'],
        summary:
          'Deactivate a user: no login, and every session of the user ends at once. Not yourself, not ' +
          'the last active admin',
        params: IdParams,
        response: { 200: UserView, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      view(
        await deactivateUser(request.em, { config, log: request.log }, memberOf(request), request.params.id),
      ),
  );

  app.post(
    '/manufacturer/users/:id/reactivate',
    {
      onRequest: requireMember(app, 'admin'),
      schema: {
        tags: ['manufacturer'],
        summary: 'Let a deactivated user log in again (with the password they had)',
        params: IdParams,
        response: { 200: UserView, ...errors(401, 403, 404) },
      },
    },
    async (request) =>
      view(
        await reactivateUser(request.em, { config, log: request.log }, memberOf(request), request.params.id),
      ),
  );

  app.post(
    '/manufacturer/users/:id/password-reset',
    {
      onRequest: requireMember(app, 'admin'),
      schema: {
        tags: ['manufacturer'],
        summary:
          "Reset a user's password: the old one stops working, the user's sessions end, and the user is " +
          'emailed a single-use link to set a new one',
        params: IdParams,
        response: {
          202: Type.Object({ message: Type.String() }),
          ...errors(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const dedupeKey = await resetUserPassword(
        request.em,
        { config, log: request.log },
        memberOf(request),
        request.params.id,
      );
      // In the outbox now; a failed delivery is retried by the worker's relay.
      await deliverPending(request.em, notifications, [dedupeKey]);
      return reply.code(202).send({ message: 'the user has been emailed a link to set a new password' });
    },
  );
};
