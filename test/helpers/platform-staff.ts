/** Platform staff (auditors, the platform admin) for tests: created straight in the database, as the CLI does. */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { expect } from 'vitest';
import { hashPassword } from '../../src/domain/auth.ts';
import { User } from '../../src/domain/entities/index.ts';
import { ApiSession } from './api-session.ts';
import type { Harness } from './harness.ts';

export type PlatformRole = 'auditor' | 'platform_admin';

export const PLATFORM_PASSWORD = 'platform staff passphrase';

/** A new platform user with its own email; what `src/cli/create-platform-user.ts` does in production. */
export async function createPlatformUser(orm: MikroORM, role: PlatformRole, password = PLATFORM_PASSWORD) {
  const em = orm.em.fork();
  const email = `${role === 'auditor' ? 'auditor' : 'admin'}-${randomUUID().slice(0, 8)}@yanbao.test`;
  em.create(User, {
    manufacturer: null,
    email,
    displayName: role === 'auditor' ? '审计 王' : '平台 李',
    passwordHash: await hashPassword(password),
    roles: [role],
  });
  await em.flush();
  return { email, password };
}

/** A new platform user, logged in through the API. */
export async function platformUser(h: Harness, role: PlatformRole): Promise<ApiSession> {
  const { email, password } = await createPlatformUser(h.db.orm, role);
  const session = new ApiSession(h.app);
  expect((await session.login(email, password)).statusCode).toBe(200);
  return session;
}
