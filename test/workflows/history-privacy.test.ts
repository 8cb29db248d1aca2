/**
 * What anyone with access to the Temporal server (its UI, its database, `temporal workflow show`)
 * sees of a purchase: read with a plain client that holds no key, a real purchase's history and
 * its description (memo, search attributes) never carry the consumer's name, phone number or
 * serial in clear, in the protobuf bytes the server stores nor in the JSON it exports; decrypting
 * with the app's payload codec recovers all three, so the search is the one that would find them.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderNumberFor, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { historyToJSON } from '../../src/temporal/history-json.ts';
import { decodeFetchedHistory } from '../../src/temporal/payload-codec.ts';
import { placeOrder } from '../../src/temporal/purchase.client.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const { History } = proto.temporal.api.history.v1;
const { DescribeWorkflowExecutionResponse } = proto.temporal.api.workflowservice.v1;

/** A name no fixture uses: two surnames' characters and two random ones from the common CJK block. */
const uniqueName = () =>
  `欧阳${String.fromCodePoint(randomInt(0x4e00, 0x9fa5))}${String.fromCodePoint(randomInt(0x4e00, 0x9fa5))}`;

/** Which of the needles occur in the bytes (as UTF-8, the encoding of protobuf strings and JSON). */
const found = (haystack: Uint8Array | string, needles: Record<string, string>) =>
  Object.entries(needles)
    .filter(([, needle]) => Buffer.from(haystack).includes(Buffer.from(needle, 'utf8')))
    .map(([what]) => what);

describe('personal data in a purchase history on the Temporal server', () => {
  let h: Harness;
  let plain: Client;
  let orderNumber: string;
  let personal: Record<'name' | 'phone' | 'serial', string>;
  let body: ReturnType<typeof registration>;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    // What a Temporal operator has: the server, no payload key.
    plain = new Client({ connection: h.client.connection, namespace: h.config.temporal.namespace });
    plan = await publishedPlan(h);
    body = registration(plan.code, {
      consumerName: uniqueName(),
      consumerPhone: `139${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    });
    personal = {
      name: body.consumerName as string,
      // The national number: inside the E.164 form the workflow carries (+86…) as well.
      phone: body.consumerPhone as string,
      serial: body.serialNumber as string,
    };
    const placed = await register(h, body);
    orderNumber = placed.orderNumber;
    await pay(h, placed.payUrl);
    expect((await h.client.workflow.getHandle(purchaseWorkflowId(orderNumber)).result()).stage).toBe(
      'completed',
    );
  });
  afterAll(() => h?.close());

  it('holds no name, phone number or serial in clear; the codec recovers all three', async () => {
    const handle = plain.workflow.getHandle(purchaseWorkflowId(orderNumber));
    const history = await handle.fetchHistory();
    const description = await handle.describe();
    const stored = History.encode(history).finish();
    const exported = JSON.stringify(historyToJSON(history));
    const described = DescribeWorkflowExecutionResponse.encode(description.raw).finish();
    const events = history.events ?? [];
    // The history is the whole purchase: the register Update's arguments, activity inputs and
    // results, the payment signal, and the search attributes set at the start.
    expect(events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(true);
    expect(events.filter((e) => e.activityTaskCompletedEventAttributes).length).toBeGreaterThan(2);
    expect(events.some((e) => e.workflowExecutionCompletedEventAttributes)).toBe(true);
    // The search reaches clear fields: the order number (workflow id, search attribute) is there.
    expect(found(stored, { orderNumber })).toEqual(['orderNumber']);
    expect(found(described, { orderNumber })).toEqual(['orderNumber']);

    expect(found(stored, personal)).toEqual([]);
    expect(found(exported, personal)).toEqual([]);
    expect(found(described, personal)).toEqual([]);

    // Decrypted with the app's own codec, the same history names the consumer.
    const decrypted = await decodeFetchedHistory(h.client, history);
    expect(found(History.encode(decrypted).finish(), personal).sort()).toEqual(['name', 'phone', 'serial']);
  });

  it('holds none in a refused registration either: failure messages name fields, never values', async () => {
    // The same unit again under a new key, as when two registrations race past the web server's
    // check: the registration activity refuses it, and that failure (whose message the codec does
    // not encrypt) is in the history.
    const idempotencyKey = randomUUID().replaceAll('-', '');
    const refusal = await placeOrder(
      h.client,
      h.config,
      {
        idempotencyKey,
        planId: plan.planId,
        consumerName: personal.name,
        consumerPhone: `+86${personal.phone}`,
        serialNumber: personal.serial,
        productPurchaseDate: String(body.productPurchaseDate),
        paymentProvider: 'sandbox',
      },
      plan.editor.me.manufacturer.id,
    ).catch((err: unknown) => err);
    expect(refusal).toMatchObject({ code: 'conflict', status: 409 });
    const workflowId = purchaseWorkflowId(orderNumberFor(idempotencyKey, h.config.linkSecret));
    expect((await h.client.workflow.getHandle(workflowId).result()).stage).toBe('rejected');
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    const failures = (history.events ?? []).flatMap((e) => [
      e.activityTaskFailedEventAttributes?.failure?.message,
      e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure?.message,
    ]);
    expect(failures).toContain('this unit already has an active or pending order for this plan');
    expect(found(History.encode(history).finish(), personal)).toEqual([]);
    expect(found(JSON.stringify(historyToJSON(history)), personal)).toEqual([]);
    const decrypted = await decodeFetchedHistory(h.client, history);
    expect(found(History.encode(decrypted).finish(), personal).sort()).toEqual(['name', 'phone', 'serial']);
  });
});
