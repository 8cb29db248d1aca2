/**
 * The warranty certificate and its verification through HTTP against real
 * PostgreSQL and Temporal (issue 10 items 13 and 18): private responses are
 * never cached; the certificate carries a read-only verification code, never
 * the order's access token; the code opens no order and cancels nothing; and
 * once the order is cancelled the certificate is served void and every check
 * of it says cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Order } from '../../src/domain/entities/index.ts';
import { certificateVerificationCode } from '../../src/domain/order-links.ts';
import { cancellationWorkflowId } from '../../workflows/cancellation.messages.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { allPageTexts, decodePageImages, jsQR, openPdf, toRgba } from '../helpers/pdf.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

describe('certificate and verification', () => {
  let h: Harness;
  let planCode: string;
  beforeAll(async () => {
    h = await startHarness(
      { purchase: { paymentTimeout: '10 minutes', latePaymentWindow: '5 seconds' } },
      { listen: true },
    );
    planCode = (await publishedPlan(h)).code;
  });
  afterAll(() => h?.close());

  const get = (url: string) => h.app.inject({ method: 'GET', url });
  const certificate = (orderNumber: string, t: string) => get(`/o/${orderNumber}/certificate.pdf?t=${t}`);
  const code = (orderNumber: string) => certificateVerificationCode(orderNumber, h.config.linkSecret);

  /** Every word a reader of the PDF can get at: page text, link annotations, document info, QR codes. */
  async function readable(pdfBytes: Buffer) {
    const pdf = await openPdf(pdfBytes);
    try {
      const texts = await allPageTexts(pdf);
      const links: string[] = [];
      const qr: string[] = [];
      for (let i = 1; i <= pdf.numPages; i++) {
        const page = await pdf.getPage(i);
        for (const a of await page.getAnnotations()) links.push(String(a.url ?? a.unsafeUrl ?? ''));
        for (const img of await decodePageImages(page)) {
          const data = jsQR(toRgba(img), img.width, img.height)?.data;
          if (data) qr.push(data);
        }
      }
      const { info } = await pdf.getMetadata();
      return { texts, all: [...texts, ...links, ...qr, JSON.stringify(info)].join('\n'), qr };
    } finally {
      await pdf.destroy();
    }
  }

  it('sends private order data with Cache-Control: no-store', async () => {
    const { orderNumber, token } = await activeOrder(h, planCode);
    const status = await get(`/api/v1/public/orders/${orderNumber}?t=${token}`);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    const pdf = await certificate(orderNumber, token);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('no-store');
    const check = await get(`/api/v1/public/certificates/${orderNumber}/${code(orderNumber)}`);
    expect(check.statusCode, check.body).toBe(200);
    expect(check.headers['cache-control']).toBe('no-store');
    const page = await get(`/v/${orderNumber}/${code(orderNumber)}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('prints a verification code and link, never the order link token', async () => {
    const { orderNumber, token } = await activeOrder(h, planCode);
    const pdf = await certificate(orderNumber, token);
    const { all, qr } = await readable(pdf.rawPayload);
    expect(all).not.toContain(token);
    expect(all).not.toContain(`/o/${orderNumber}`);
    const url = `${h.config.publicBaseUrl}/v/${orderNumber}/${code(orderNumber)}`;
    expect(all.replace(/\s+/g, '')).toContain(url);
    expect(qr).toEqual([url]);
  });

  it('shows cover status, dates, plan and a masked serial to the code, without name or phone; a wrong code is 404', async () => {
    const { orderNumber } = await activeOrder(h, planCode);
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber });
    const check = await get(`/api/v1/public/certificates/${orderNumber}/${code(orderNumber)}`);
    const body = check.json();
    expect(body).toMatchObject({
      orderNumber,
      coverageStart: order.coverageStart,
      coverageEnd: order.coverageEnd,
      terminatedOn: null,
      serialNumberMasked: `${order.serialNumber.slice(0, 3)}${'*'.repeat(order.serialNumber.length - 7)}${order.serialNumber.slice(-4)}`,
    });
    // after_base_warranty: the coverage bought starts once the base warranty ends
    expect(body.status).toBe(
      chinaDate(new Date()) < (order.coverageStart as string) ? 'not_started' : 'active',
    );
    for (const secret of [order.consumerName, order.consumerPhone, order.serialNumber])
      expect(check.body).not.toContain(secret);
    const page = await get(`/v/${orderNumber}/${code(orderNumber)}`);
    for (const secret of [order.consumerName, order.consumerPhone, order.serialNumber])
      expect(page.body).not.toContain(secret);
    expect(page.body).toContain(body.serialNumberMasked);

    const c = code(orderNumber);
    const wrong = `${c[0] === 'A' ? 'B' : 'A'}${c.slice(1)}`;
    expect((await get(`/api/v1/public/certificates/${orderNumber}/${wrong}`)).statusCode).toBe(404);
    expect((await get(`/v/${orderNumber}/${wrong}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/public/certificates/${orderNumber}/short`)).statusCode).toBe(400);
  });

  it('does not accept the verification code as the order token: no order page, no certificate, no cancellation', async () => {
    const { orderNumber } = await activeOrder(h, planCode);
    const c = code(orderNumber);
    expect((await get(`/o/${orderNumber}?t=${c}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/public/orders/${orderNumber}?t=${c}`)).statusCode).toBe(404);
    expect((await certificate(orderNumber, c)).statusCode).toBe(404);
    expect((await get(`/api/v1/public/orders/${orderNumber}/cancellation-preview?t=${c}`)).statusCode).toBe(
      404,
    );
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${orderNumber}/cancellation?t=${c}`,
      payload: {},
    });
    expect(cancel.statusCode).toBe(404);
    expect((await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber })).status).toBe('active');
  });

  it('serves a cancelled order its certificate marked void with the date, and the check says cancelled', async () => {
    const { orderNumber, token } = await activeOrder(h, planCode);
    // Downloaded (so stored) while the order is active: a valid certificate.
    const before = await readable((await certificate(orderNumber, token)).rawPayload);
    expect(before.all).not.toMatch(/作废|VOID/);

    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${orderNumber}/cancellation?t=${token}`,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(202);
    await h.client.workflow.getHandle(cancellationWorkflowId(orderNumber)).result();
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber });
    expect(order.status).toBe('cancelled');
    const on = chinaDate(order.cancelledAt as Date);

    const after = await readable((await certificate(orderNumber, token)).rawPayload);
    for (const text of after.texts) expect(text).toContain('已作废 VOID');
    expect(after.texts[0]).toContain(`本凭证已作废：订单已于 ${on} 退保，保障已终止。`);
    expect(after.texts[0]).not.toContain(`${order.coverageStart} 至 ${order.coverageEnd}`);

    const check = await get(`/api/v1/public/certificates/${orderNumber}/${code(orderNumber)}`);
    expect(check.json()).toMatchObject({ status: 'cancelled', terminatedOn: on });
    const page = await get(`/v/${orderNumber}/${code(orderNumber)}?lang=en`);
    expect(page.body).toContain('Cancelled: the certificate is void');
    expect(page.body).toContain(on);
  });
});
