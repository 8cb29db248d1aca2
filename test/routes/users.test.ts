/**
 * Managing users and passwords through HTTP against real PostgreSQL: deactivation ends sessions
 * at once, an admin's reset and "forgot password" email a single-use expiring link (through the
 * outbox, in the manufacturer's language) that the server-rendered page and the API both accept,
 * and a user changes their own password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSession, tokenHash } from '../../src/domain/auth.ts';
import { Manufacturer, Notification, PasswordReset, User } from '../../src/domain/entities/index.ts';
import { setPasswordWithLink } from '../../src/services/users.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { addUser } from '../helpers/plan-fixtures.ts';

const NEW_PASSWORD = 'a brand new passphrase';
const LINK = /https:\/\/yanbao\.test\/account\/reset-password\?t=([\w-]+)&lang=(zh|en)/;

describe('users and passwords', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  /** A manufacturer's admin and a signed-in editor of the same manufacturer. */
  async function team() {
    const admin = await signUp(h.app, 'Team');
    const editor = await addUser(admin.session, ['editor'], () => new ApiSession(h.app));
    return { admin, editor: { ...editor, password: 'another long passphrase' } };
  }

  /** The email the notifier delivered to this address (after `before` earlier ones), waiting for it briefly. */
  async function emailTo(recipient: string, before = 0) {
    for (let i = 0; i < 100; i++) {
      const found = h.delivered.slice(before).filter((m) => m.recipient === recipient);
      if (found.length > 0) return found.at(-1) as (typeof h.delivered)[number];
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no email to ${recipient}`);
  }
  const tokenOf = (body: string) => (LINK.exec(body) ?? [])[1] as string;

  const forgot = (email: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email } });
  const resetWith = (token: string, password = NEW_PASSWORD) =>
    h.app.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, password } });
  const postPage = (token: string, password: string, confirm = password, lang = 'zh') =>
    h.app.inject({
      method: 'POST',
      url: `/account/reset-password?lang=${lang}`,
      payload: new URLSearchParams({ t: token, password, confirm }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const canLogin = async (email: string, password: string) =>
    (await new ApiSession(h.app).login(email, password)).statusCode;

  it('deactivates a user: their sessions answer 401 at once and they cannot log in; reactivating lets them back', async () => {
    const { admin, editor } = await team();
    expect((await editor.session.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);

    const off = await admin.session.request('POST', `/api/v1/manufacturer/users/${editor.id}/deactivate`);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ id: editor.id, active: false });
    expect((await editor.session.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const login = await new ApiSession(h.app).login(editor.email, editor.password);
    expect(login.statusCode).toBe(403);
    expect(login.json().message).toContain('deactivated');
    // Even a session that began as the user was deactivated (a login in flight) opens nothing.
    const late = await startSession(h.db.orm.em.fork(), editor.id, 1);
    const lateMe = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { yanbao_session: late },
    });
    expect(lateMe.statusCode).toBe(401);
    const listed = (await admin.session.request('GET', '/api/v1/manufacturer/users')).json();
    expect(listed.find((u: { id: string }) => u.id === editor.id).active).toBe(false);

    const on = await admin.session.request('POST', `/api/v1/manufacturer/users/${editor.id}/reactivate`);
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().active).toBe(true);
    expect(await canLogin(editor.email, editor.password)).toBe(200);
  });

  it('refuses deactivating yourself, the last active admin, or another manufacturer’s user; editors may not', async () => {
    const { admin, editor } = await team();
    const self = await admin.session.request(
      'POST',
      `/api/v1/manufacturer/users/${admin.me.user.id}/deactivate`,
    );
    expect(self.statusCode).toBe(422);
    expect(self.json()).toMatchObject({ error: 'cannot_deactivate_self', fields: [{ field: 'id' }] });

    // Two admins deactivating each other at once: one wins, the other would leave no admin.
    const second = await addUser(admin.session, ['admin'], () => new ApiSession(h.app));
    const both = await Promise.all([
      admin.session.request('POST', `/api/v1/manufacturer/users/${second.id}/deactivate`),
      second.session.request('POST', `/api/v1/manufacturer/users/${admin.me.user.id}/deactivate`),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const refused = both.find((r) => r.statusCode === 409)?.json();
    expect(refused.fields).toEqual([
      { field: 'id', code: 'errors:field.lastActiveAdmin', message: 'is the last active admin' },
    ]);
    const em = h.db.orm.em.fork();
    const activeAdmins = await em.count(User, {
      manufacturer: admin.me.manufacturer.id,
      roles: { $overlap: ['admin'] },
      deactivatedAt: null,
    });
    expect(activeAdmins).toBe(1);

    const other = await signUp(h.app, 'Other');
    expect(
      (await other.session.request('POST', `/api/v1/manufacturer/users/${editor.id}/deactivate`)).statusCode,
    ).toBe(404);
    expect(
      (await editor.session.request('POST', `/api/v1/manufacturer/users/${admin.me.user.id}/deactivate`))
        .statusCode,
    ).toBe(403);
  });

  it('an admin’s reset ends the sessions, retires the old password and emails a working single-use link', async () => {
    const { admin, editor } = await team();
    const before = h.delivered.length;
    const reset = await admin.session.request(
      'POST',
      `/api/v1/manufacturer/users/${editor.id}/password-reset`,
    );
    expect(reset.statusCode, reset.body).toBe(202);
    expect((await editor.session.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect(await canLogin(editor.email, editor.password)).toBe(401);

    // In the outbox, in the manufacturer's language (Chinese unless it chose English).
    const email = await emailTo(editor.email, before);
    expect(email.subject).toBe('延保平台：设置新密码');
    expect(email.body).toContain('60 分钟内有效');
    const row = await h.db.orm.em
      .fork()
      .findOneOrFail(Notification, { recipient: editor.email, channel: 'email' });
    expect(row.status).toBe('delivered');
    const [, token, lang] = LINK.exec(email.body) ?? [];
    expect(lang).toBe('zh');

    // The page: a form while the link works, the password set on POST, the link spent after.
    const form = await h.app.inject({ method: 'GET', url: `/account/reset-password?t=${token}&lang=zh` });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('设置新密码');
    expect(form.body).toContain('name="password"');
    // The token is in the address: no other site may learn it from the referrer.
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    const english = await h.app.inject({ method: 'GET', url: `/account/reset-password?t=${token}&lang=en` });
    expect(english.body).toContain('Set a new password');
    const set = await postPage(token as string, NEW_PASSWORD);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.body).toContain('密码已设置');
    expect(await canLogin(editor.email, NEW_PASSWORD)).toBe(200);
    const again = await postPage(token as string, 'yet another passphrase');
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('此链接已使用过');
    expect(
      (await h.app.inject({ method: 'GET', url: `/account/reset-password?t=${token}` })).statusCode,
    ).toBe(410);
    expect(await canLogin(editor.email, NEW_PASSWORD)).toBe(200);
  });

  it('writes the email in English for a manufacturer whose language is English', async () => {
    const { admin, editor } = await team();
    await h.db.orm.em.fork().nativeUpdate(Manufacturer, { id: admin.me.manufacturer.id }, { locale: 'en' });
    const before = h.delivered.length;
    expect(
      (await admin.session.request('POST', `/api/v1/manufacturer/users/${editor.id}/password-reset`))
        .statusCode,
    ).toBe(202);
    const email = await emailTo(editor.email, before);
    expect(email.subject).toBe('Yanbao: set a new password');
    expect(email.body).toContain('valid for 60 minutes');
    expect(LINK.exec(email.body)?.[2]).toBe('en');
  });

  it('answers "forgot password" the same for any address, and emails only a real, active account', async () => {
    const { editor } = await team();
    const before = h.delivered.length;
    const known = await forgot(editor.email.toUpperCase());
    const unknown = await forgot(`nobody-${Date.now()}@example.com`);
    expect(known.statusCode).toBe(202);
    expect([unknown.statusCode, unknown.body]).toEqual([known.statusCode, known.body]);
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(known.headers).sort());
    const email = await emailTo(editor.email, before);
    expect(h.delivered.slice(before).map((m) => m.recipient)).toEqual([editor.email]);

    // The link from the email, through the API: sessions end, the new password works, once.
    const token = tokenOf(email.body);
    expect((await resetWith(token)).statusCode).toBe(204);
    expect((await editor.session.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect(await canLogin(editor.email, NEW_PASSWORD)).toBe(200);
    const used = await resetWith(token, 'another new passphrase');
    expect(used.statusCode).toBe(422);
    expect(used.json()).toMatchObject({ error: 'reset_link_used', fields: [{ field: 'token' }] });
    // Stored as a hash only.
    const link = await h.db.orm.em.fork().findOneOrFail(PasswordReset, { tokenHash: tokenHash(token) });
    expect(JSON.stringify(link)).not.toContain(token);
  });

  it('sends a deactivated user nothing, with the same answer, and no earlier link of theirs works', async () => {
    const { admin, editor } = await team();
    let before = h.delivered.length;
    await forgot(editor.email);
    const earlier = tokenOf((await emailTo(editor.email, before)).body);
    await admin.session.request('POST', `/api/v1/manufacturer/users/${editor.id}/deactivate`);
    before = h.delivered.length;
    const answer = await forgot(editor.email);
    expect(answer.statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.delivered.slice(before).filter((m) => m.recipient === editor.email)).toEqual([]);
    const refused = await resetWith(earlier);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toBe('reset_link_account_deactivated');
    const adminReset = await admin.session.request(
      'POST',
      `/api/v1/manufacturer/users/${editor.id}/password-reset`,
    );
    expect(adminReset.statusCode).toBe(409);
    expect(adminReset.json().fields).toEqual([
      { field: 'id', code: 'errors:field.deactivated', message: 'is deactivated' },
    ]);
  });

  it('keeps one link per user: a second request retires the first', async () => {
    const { editor } = await team();
    let before = h.delivered.length;
    await forgot(editor.email);
    const first = tokenOf((await emailTo(editor.email, before)).body);
    before = h.delivered.length;
    await forgot(editor.email);
    const second = tokenOf((await emailTo(editor.email, before)).body);
    expect(second).not.toBe(first);
    const stale = await resetWith(first);
    expect(stale.statusCode).toBe(422);
    expect(stale.json().error).toBe('reset_link_unknown');
    expect((await resetWith(second)).statusCode).toBe(204);
  });

  it('refuses an expired link, on the page and through the API', async () => {
    const { editor } = await team();
    const before = h.delivered.length;
    await forgot(editor.email);
    const token = tokenOf((await emailTo(editor.email, before)).body);
    await h.db.orm.em
      .fork()
      .nativeUpdate(
        PasswordReset,
        { tokenHash: tokenHash(token) },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    const page = await h.app.inject({ method: 'GET', url: `/account/reset-password?t=${token}&lang=en` });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('This link has expired');
    expect(page.body).not.toContain('name="password"');
    const api = await resetWith(token);
    expect(api.statusCode).toBe(422);
    expect(api.json().error).toBe('reset_link_expired');
    expect(await canLogin(editor.email, editor.password)).toBe(200);
  });

  it('checks the password rules before spending the link, in the page’s language', async () => {
    const { editor } = await team();
    const before = h.delivered.length;
    await forgot(editor.email);
    const token = tokenOf((await emailTo(editor.email, before)).body);
    const short = await postPage(token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('密码至少需要 10 个字符');
    const mismatch = await postPage(token, NEW_PASSWORD, 'something else entirely', 'en');
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('The two passwords are not the same');
    const api = await resetWith(token, 'short');
    expect(api.statusCode).toBe(400);
    expect(api.json().fields.map((f: { field: string }) => f.field)).toEqual(['password']);
    // Still unspent.
    expect((await postPage(token, NEW_PASSWORD)).statusCode).toBe(200);
    const unknown = await h.app.inject({ method: 'GET', url: '/account/reset-password?t=nonsense' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('此链接无效');
  });

  it('logs an audit line, hashing the new password with argon2id', async () => {
    const { editor } = await team();
    const before = h.delivered.length;
    await forgot(editor.email);
    const token = tokenOf((await emailTo(editor.email, before)).body);
    const lines: [object, string][] = [];
    const log = { info: (details: object, message: string) => lines.push([details, message]) };
    await setPasswordWithLink(
      h.db.orm.em.fork(),
      { config: h.config, log: log as never },
      token,
      NEW_PASSWORD,
    );
    expect(lines).toEqual([
      [{ userId: editor.id, sessionsEnded: 1 }, 'password set through an emailed link'],
    ]);
    const user = await h.db.orm.em.fork().findOneOrFail(User, { id: editor.id });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('limits "forgot password" per address like logins, for known and unknown addresses alike', async () => {
    const { editor } = await team();
    const nobody = `nobody-${Date.now()}@example.com`;
    for (const email of [editor.email, nobody]) {
      const answers = [];
      for (let i = 0; i < h.config.loginThrottle.accountFailures + 1; i++) answers.push(await forgot(email));
      expect(answers.slice(0, -1).every((a) => a.statusCode === 202)).toBe(true);
      const last = answers.at(-1);
      expect(last?.statusCode).toBe(429);
      expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('changes your own password: the current one is needed, other sessions end, this one stays', async () => {
    const { editor } = await team();
    const elsewhere = new ApiSession(h.app);
    expect((await elsewhere.login(editor.email, editor.password)).statusCode).toBe(200);
    const wrong = await editor.session.request('POST', '/api/v1/auth/password', {
      currentPassword: 'not my password',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields).toEqual([
      {
        field: 'currentPassword',
        code: 'errors:field.notCurrentPassword',
        message: 'is not your current password',
      },
    ]);
    const tooShort = await editor.session.request('POST', '/api/v1/auth/password', {
      currentPassword: editor.password,
      newPassword: 'short',
    });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().fields.map((f: { field: string }) => f.field)).toEqual(['newPassword']);

    const changed = await editor.session.request('POST', '/api/v1/auth/password', {
      currentPassword: editor.password,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await editor.session.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect(await canLogin(editor.email, editor.password)).toBe(401);
    expect(await canLogin(editor.email, NEW_PASSWORD)).toBe(200);
  });
});
