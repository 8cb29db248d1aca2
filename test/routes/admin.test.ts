/**
 * The platform admin against the real system: the clause library curated with
 * versions (seeded clauses get their first revision on first edit), retired
 * clauses neither suggested nor selectable while published plans keep their
 * frozen text; a suspended manufacturer stops selling and writing while its
 * orders stay active; platform staff created by the admin and by the CLI.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clause, ClauseRevision, Notification, Order } from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';
import {
  createDraft,
  createProduct,
  PHONE_DRAFT,
  pickSelection,
  waitForStage,
} from '../helpers/plan-fixtures.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const run = promisify(execFile);

/** The editable fields of a clause as the admin list returns it. */
const textOf = (c: Record<string, unknown>) => ({
  coverageType: c.coverageType,
  categories: c.categories,
  titleZh: c.titleZh,
  titleEn: c.titleEn,
  bodyZh: c.bodyZh,
  bodyEn: c.bodyEn,
});

const NEW_CLAUSE = {
  key: 'smartphone-water-resistance-test',
  coverageType: 'liquid_damage',
  categories: ['smartphone', 'tablet'],
  titleZh: '防水性能检测',
  titleEn: 'Water resistance check',
  bodyZh: '维修后免费检测整机防水性能。',
  bodyEn: 'After a repair the water resistance of the whole unit is checked free of charge.',
};

describe('platform admin API', () => {
  let h: Harness;
  let admin: ApiSession;
  let adminId: string;

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    admin = await platformUser(h, 'platform_admin');
    adminId = (await admin.request('GET', '/api/v1/auth/me')).json().user.id;
  });
  afterAll(() => h?.close());

  const revisions = async (id: string) => {
    const response = await admin.request('GET', `/api/v1/admin/clauses/${id}/revisions`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      version: number;
      status: string;
      titleEn: string;
      editedBy: { id: string; displayName: string } | null;
      stored: boolean;
    }[];
  };

  it('adds a clause as version 1 with its revision, refusing a taken key and bad fields', async () => {
    const created = await admin.request('POST', '/api/v1/admin/clauses', NEW_CLAUSE);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...NEW_CLAUSE, version: 1, status: 'active' });
    expect(await revisions(created.json().id)).toEqual([
      expect.objectContaining({
        version: 1,
        stored: true,
        editedBy: { id: adminId, displayName: '平台 李' },
      }),
    ]);
    const again = await admin.request('POST', '/api/v1/admin/clauses', NEW_CLAUSE);
    expect(again.statusCode).toBe(409);
    expect(fieldWords(again.json().fields)).toEqual([{ field: 'key', message: 'is already in the library' }]);
    // Sent twice at once, both pass the check; the unique key still gives one clause and a 409.
    const twice = { ...NEW_CLAUSE, key: `${NEW_CLAUSE.key}-twice` };
    const both = await Promise.all([1, 2].map(() => admin.request('POST', '/api/v1/admin/clauses', twice)));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const bad = await admin.request('POST', '/api/v1/admin/clauses', {
      ...NEW_CLAUSE,
      key: 'Not A Key',
      coverageType: 'everything',
      categories: [],
      titleZh: ' ',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(expect.arrayContaining(['categories', 'coverageType', 'key', 'titleZh']));
    // The library the manufacturers pick from has it.
    const { session } = await signUp(h.app, 'Picker');
    const library = await session.request(
      'GET',
      '/api/v1/clauses?category=tablet&coverageType=liquid_damage',
    );
    expect(library.json().items.map((c: { key: string }) => c.key)).toContain(NEW_CLAUSE.key);
  });

  it('edits a seeded clause as a new version, storing the seeded first version on the way', async () => {
    const em = h.db.orm.em.fork();
    const seeded = await em.findOneOrFail(Clause, { key: 'parts-labour-genuine-parts' });
    expect(await em.count(ClauseRevision, { clause: seeded.id })).toBe(0);
    const before = await revisions(seeded.id);
    expect(before).toEqual([expect.objectContaining({ version: 1, stored: false, editedBy: null })]);

    const listed = (await admin.request('GET', `/api/v1/admin/clauses?q=${seeded.key}`)).json().items[0];
    expect(listed).toMatchObject({ id: seeded.id, version: 1, status: 'active' });
    const text = textOf(listed);
    const edited = await admin.request('PUT', `/api/v1/admin/clauses/${seeded.id}`, {
      ...text,
      version: 1,
      titleEn: 'Genuine parts only (revised)',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, titleEn: 'Genuine parts only (revised)' });
    const after = await revisions(seeded.id);
    expect(after.map((r) => [r.version, r.stored, r.editedBy?.displayName ?? null])).toEqual([
      [2, true, '平台 李'],
      [1, true, null],
    ]);
    expect(after[1]?.titleEn).toBe(seeded.titleEn);

    // Someone else's edit came first: the stale version is refused and nothing changes.
    const stale = await admin.request('PUT', `/api/v1/admin/clauses/${seeded.id}`, {
      ...text,
      version: 1,
      titleEn: 'Lost update',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().fields[0].field).toBe('version');
    // Saving the same text again is not a new version.
    const same = await admin.request('PUT', `/api/v1/admin/clauses/${seeded.id}`, {
      ...text,
      version: 2,
      titleEn: 'Genuine parts only (revised)',
    });
    expect(same.json().version).toBe(2);
    expect(await em.fork().count(ClauseRevision, { clause: seeded.id })).toBe(2);
    expect(
      (await admin.request('PUT', `/api/v1/admin/clauses/${randomUUID()}`, { ...text, version: 1 }))
        .statusCode,
    ).toBe(404);
  });

  it('retires a clause: no longer suggested for new drafts nor selectable, then restores it', async () => {
    const { session } = await signUp(h.app, 'Drafter');
    const productId = (await createProduct(session)).id;
    const first = await createDraft(session, productId);
    const { suggestions } = await waitForStage(session, first.id, 'awaiting_selection');
    const selection = pickSelection(suggestions, PHONE_DRAFT.coverageTypes);
    const victim = selection[0] as string;

    const retired = await admin.request('POST', `/api/v1/admin/clauses/${victim}/retire`);
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json().status).toBe('retired');
    expect((await admin.request('POST', `/api/v1/admin/clauses/${victim}/retire`)).statusCode).toBe(409);
    const history = await revisions(victim);
    expect(history[0]).toMatchObject({ status: 'retired', stored: true });
    expect(history.at(-1)).toMatchObject({ version: 1, status: 'active' });

    // Not suggested for a new draft, not in the picker, not accepted in a selection.
    const second = await createDraft(session, productId);
    const fresh = await waitForStage(session, second.id, 'awaiting_selection');
    expect(fresh.suggestions.clauses.map((c) => c.clauseId)).not.toContain(victim);
    const picker = await session.request('GET', '/api/v1/clauses?limit=200');
    expect(picker.json().items.map((c: { id: string }) => c.id)).not.toContain(victim);
    const refused = await session.request('POST', `/api/v1/plan-drafts/${first.id}/selection`, {
      clauseIds: selection,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('retired');
    // The admin still sees it, marked retired.
    const listed = await admin.request('GET', '/api/v1/admin/clauses?status=retired&limit=200');
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(victim);

    const restored = await admin.request('POST', `/api/v1/admin/clauses/${victim}/restore`);
    expect(restored.json()).toMatchObject({ status: 'active', version: (history[0]?.version ?? 0) + 1 });
    const accepted = await session.request('POST', `/api/v1/plan-drafts/${first.id}/selection`, {
      clauseIds: selection,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('keeps the frozen clause text of published plans when the library changes', async () => {
    const plan = await publishedPlan(h);
    const read = async () =>
      (await plan.editor.session.request('GET', `/api/v1/plans/${plan.planId}`)).json().versions[0]
        .clauses as {
        clauseId: string | null;
        key: string | null;
        titleEn: string;
      }[];
    const frozen = await read();
    const target = frozen.find((c) => c.clauseId) as { clauseId: string; key: string; titleEn: string };
    const current = (await admin.request('GET', `/api/v1/admin/clauses?q=${target.key}`)).json().items[0];
    expect(current.id).toBe(target.clauseId);
    const id = current.id as string;
    const text = { ...textOf(current), version: current.version };
    const edit = await admin.request('PUT', `/api/v1/admin/clauses/${id}`, {
      ...text,
      titleEn: 'Changed after publishing',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await read()).find((c) => c.clauseId === id)?.titleEn).toBe(target?.titleEn);
  });

  it('suspends a manufacturer: the plan stops selling and writes are refused, orders stay active; reactivation undoes it', async () => {
    const plan = await publishedPlan(h);
    const manufacturerId = plan.editor.me.manufacturer.id;
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    expect((await h.app.inject({ method: 'GET', url: `/w/${plan.code}` })).statusCode).toBe(200);

    const suspended = await admin.request('POST', `/api/v1/admin/manufacturers/${manufacturerId}/suspend`, {
      reason: '资质审查中',
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended', plansOnSale: 1, activeOrders: 1 });
    expect(
      (await admin.request('POST', `/api/v1/admin/manufacturers/${manufacturerId}/suspend`, {})).statusCode,
    ).toBe(409);
    const notice = await h.db.orm.em.fork().findOneOrFail(Notification, {
      dedupeKey: { $like: `manufacturer-suspended:${manufacturerId}:%` },
    });
    expect(notice.body).toContain('资质审查中');

    // The consumer landing says it is no longer on sale; the API refuses new orders.
    expect((await h.app.inject({ method: 'GET', url: `/w/${plan.code}` })).statusCode).toBe(410);
    const refusedOrder = await h.app.inject({
      method: 'POST',
      url: '/api/v1/public/orders',
      payload: registration(plan.code),
    });
    expect(refusedOrder.statusCode).toBe(404);
    expect(refusedOrder.json().error).toBe('not_on_sale');
    // Its users still log in and read; every write is refused.
    const editor = plan.editor.session;
    expect((await editor.login(plan.editor.email, plan.editor.password)).statusCode).toBe(200);
    expect((await editor.request('GET', '/api/v1/products')).statusCode).toBe(200);
    const write = await editor.request('POST', '/api/v1/products', { brand: 'x' });
    expect([400, 403]).toContain(write.statusCode);
    const validWrite = await editor.request('PUT', `/api/v1/products/${plan.productId}`, {
      brand: '星河',
      name: '星河 X5 智能手机',
      model: 'XH-X5-256',
      category: 'smartphone',
      retailPriceFen: 299_900,
      baseWarrantyMonths: 12,
      launchDate: '2026-03-01',
      serialPattern: '^XH[0-9]{10}$',
    });
    expect(validWrite.statusCode, validWrite.body).toBe(403);
    expect(validWrite.json().message).toBe('the manufacturer is suspended');
    // The order sold before stays valid.
    const token = orderAccessToken(placed.orderNumber, h.config.linkSecret);
    const order = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${placed.orderNumber}?t=${token}`,
    });
    expect(order.json().status).toBe('active');
    expect((await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber })).status).toBe(
      'active',
    );

    const listed = await admin.request('GET', '/api/v1/admin/manufacturers?status=suspended');
    expect(listed.json().items.map((m: { id: string }) => m.id)).toContain(manufacturerId);

    const reactivated = await admin.request(
      'POST',
      `/api/v1/admin/manufacturers/${manufacturerId}/reactivate`,
      {},
    );
    expect(reactivated.json().status).toBe('active');
    expect((await h.app.inject({ method: 'GET', url: `/w/${plan.code}` })).statusCode).toBe(200);
    expect(
      (await admin.request('POST', `/api/v1/admin/manufacturers/${randomUUID()}/suspend`, {})).statusCode,
    ).toBe(404);
  });

  it('creates auditors; only a platform admin may', async () => {
    const email = `auditor-${randomUUID().slice(0, 8)}@yanbao.test`;
    const body = { email, displayName: '审计 赵', password: 'auditor passphrase', role: 'auditor' };
    const created = await admin.request('POST', '/api/v1/admin/users', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email, roles: ['auditor'] });
    expect((await admin.request('POST', '/api/v1/admin/users', body)).statusCode).toBe(409);
    expect((await admin.request('POST', '/api/v1/admin/users', { ...body, role: 'admin' })).statusCode).toBe(
      400,
    );
    const auditor = new ApiSession(h.app);
    const login = await auditor.login(email, 'auditor passphrase');
    expect(login.json()).toMatchObject({ user: { roles: ['auditor'] }, manufacturer: null });
    expect((await auditor.request('GET', '/api/v1/audit/workflows')).statusCode).toBe(200);
    expect((await auditor.request('GET', '/api/v1/admin/users')).statusCode).toBe(403);
    expect(
      (await auditor.request('POST', '/api/v1/admin/users', { ...body, email: `x${email}` })).statusCode,
    ).toBe(403);
    const { session: manufacturer } = await signUp(h.app, 'Outsider');
    expect((await manufacturer.request('GET', '/api/v1/admin/clauses')).statusCode).toBe(403);
    const staff = (await admin.request('GET', '/api/v1/admin/users')).json() as { email: string }[];
    expect(staff.map((u) => u.email)).toContain(email);
  });

  it('creates the first platform admin from the command line', async () => {
    const cli = (args: string[], env: Record<string, string>, input?: string) => {
      const child = run(process.execPath, ['src/cli/create-platform-user.ts', ...args], {
        env: { ...process.env, DATABASE_URL: h.db.url, ...env },
      });
      if (input !== undefined) child.child.stdin?.end(input);
      return child;
    };
    const email = `first-admin-${randomUUID().slice(0, 8)}@yanbao.test`;
    const out = await cli(['--email', email, '--role', 'platform_admin', '--name', '首位管理员'], {
      PLATFORM_USER_PASSWORD: 'first admin passphrase',
    });
    expect(out.stdout).toContain(`created platform_admin ${email}`);
    const session = new ApiSession(h.app);
    expect((await session.login(email, 'first admin passphrase')).json().user).toMatchObject({
      displayName: '首位管理员',
      roles: ['platform_admin'],
    });
    expect((await session.request('GET', '/api/v1/admin/users')).statusCode).toBe(200);

    // The password may come on standard input instead.
    const auditorEmail = `cli-auditor-${randomUUID().slice(0, 8)}@yanbao.test`;
    await cli(['--email', auditorEmail, '--role', 'auditor'], {}, 'piped in passphrase\n');
    expect((await new ApiSession(h.app).login(auditorEmail, 'piped in passphrase')).statusCode).toBe(200);

    await expect(
      cli(['--email', email, '--role', 'root'], { PLATFORM_USER_PASSWORD: 'long enough password' }),
    ).rejects.toMatchObject({
      code: 2,
    });
    await expect(
      cli(['--email', email, '--role', 'auditor'], { PLATFORM_USER_PASSWORD: 'short' }),
    ).rejects.toMatchObject({
      code: 2,
    });
    await expect(
      cli(['--email', email, '--role', 'auditor'], { PLATFORM_USER_PASSWORD: 'long enough password' }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('already has an account') });
  });
});
