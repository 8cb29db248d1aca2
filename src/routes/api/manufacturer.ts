import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { createAccount, emailTaken } from '../../domain/auth.ts';
import { User } from '../../domain/entities/index.ts';
import { MANUFACTURER_ROLES } from '../../domain/entities/user.entity.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { Email, errors, Id, Password, Strict, StringEnum, Text } from '../schemas.ts';

const UserView = Type.Object({
  id: Id,
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
});
const view = (u: User) => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles });

/** The manufacturer's own users: its admin adds editors and approvers. */
export const manufacturerRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
};
