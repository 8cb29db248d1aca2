/**
 * Creates a platform user (the first platform admin, or an auditor) from the
 * command line:
 *
 *   PLATFORM_USER_PASSWORD='…' node src/cli/create-platform-user.ts --email a@b.cn --role platform_admin
 *   node src/cli/create-platform-user.ts --email a@b.cn --role auditor --name '审计 王' < password.txt
 *
 * The password comes from PLATFORM_USER_PASSWORD or standard input, never from
 * the command line (which other users of the machine can read). Uses
 * DATABASE_URL; without it, the embedded database `./scripts/start` serves.
 */
import { parseArgs } from 'node:util';
import { openOrm } from '../db/orm.config.ts';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../db/unique-constraints.ts';
import { createAccount, emailTaken } from '../domain/auth.ts';
import { PLATFORM_ROLES, type PlatformRole } from '../domain/entities/user.entity.ts';
import { DomainError } from '../domain/errors.ts';
import { translate } from '../i18n/catalogue.ts';

const USAGE =
  'usage: node src/cli/create-platform-user.ts --email <email> --role platform_admin|auditor [--name <display name>]\n' +
  '       the password comes from PLATFORM_USER_PASSWORD or standard input (at least 10 characters)';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (input is shown; prefer PLATFORM_USER_PASSWORD): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function options() {
  try {
    return parseArgs({
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    return fail((err as Error).message);
  }
}
const values = options();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const email = values.email?.trim().toLowerCase() ?? '';
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) fail('--email must be an email address');
if (!PLATFORM_ROLES.includes(values.role as PlatformRole))
  fail(`--role must be one of ${PLATFORM_ROLES.join(', ')}`);
const role = values.role as PlatformRole;
const displayName = (values.name ?? email.split('@')[0] ?? email).trim().slice(0, 100);
const password = process.env.PLATFORM_USER_PASSWORD ?? (await readStdin());
if (password.length < 10 || password.length > 200) fail('the password must have 10 to 200 characters');

const databaseUrl =
  process.env.DATABASE_URL ??
  `postgres://postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/postgres`;
const orm = await openOrm(databaseUrl, { pool: { min: 0, max: 1 } }).catch((err: unknown) => {
  console.error(
    `cannot reach the database at ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}: ${(err as Error).message}\n` +
      'set DATABASE_URL, or keep ./scripts/start running for its embedded database',
  );
  process.exit(1);
});
try {
  const em = orm.em.fork();
  const user = await createAccount(em, { manufacturer: null, email, displayName, password, roles: [role] });
  await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.userEmail]: emailTaken('email') });
  console.log(`created ${role} ${email} (${user.id}); log in at /audit/login.html`);
} catch (err) {
  if (!(err instanceof DomainError)) throw err;
  console.error(`${email}: ${translate('en', err.detail)}`);
  process.exitCode = 1;
} finally {
  await orm.close();
}
