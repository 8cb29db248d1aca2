import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { hashPassword } from '../domain/auth.ts';
import { User } from '../domain/entities/index.ts';
import { MANUFACTURER_ROLES } from '../domain/entities/user.entity.ts';
import { conflict } from '../domain/errors.ts';
import { memberOf, requireMember } from '../plugins/auth.ts';
import { Email, errors, Id, Password, Strict, StringEnum, Text } from './schemas.ts';

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
      preHandler: requireMember(app),
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
      preHandler: requireMember(app, 'admin'),
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
      const em = request.em;
      const email = request.body.email.toLowerCase();
      if (await em.count(User, { email }))
        throw conflict('this email already has an account', [
          { field: 'email', message: 'is already registered' },
        ]);
      const user = em.create(User, {
        manufacturer: memberOf(request).manufacturer.id,
        email,
        displayName: request.body.displayName,
        passwordHash: await hashPassword(request.body.password),
        roles: request.body.roles,
      });
      await em.flush();
      return reply.code(201).send(view(user));
    },
  );
};
