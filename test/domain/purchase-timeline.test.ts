/**
 * The auditor's timeline of a purchase whose payment was declined, read from the recorded
 * history (test/fixtures/purchase-declined.history.json): the failure notice and the close it
 * caused are told in business words, not as bare signal and activity names.
 */
import { readFileSync } from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { buildTimeline, stepInWords } from '../../src/services/workflow-timeline.ts';
import { historyFromJSON } from '../../src/temporal/history-json.ts';

describe('purchase timeline with a declined payment', () => {
  it('tells the decline and the close it caused, with the provider, event and payment ids', () => {
    // Through the wire encoding, so timestamps are Longs as in a history fetched from the server.
    const { History } = proto.temporal.api.history.v1;
    const recorded = historyFromJSON(
      JSON.parse(readFileSync('test/fixtures/purchase-declined.history.json', 'utf8')),
    );
    const history = History.decode(History.encode(recorded).finish());
    const steps = buildTimeline('PurchaseWorkflow', history.events ?? [], defaultPayloadConverter).map(
      stepInWords,
    );
    const codes = steps.map((s) => s.step);
    expect(codes.indexOf('signal.paymentFailed')).toBeLessThan(codes.indexOf('activity.closeFailedPayment'));
    expect(codes.indexOf('activity.closeFailedPayment')).toBeLessThan(codes.indexOf('activity.expireOrder'));
    const failed = steps.find((s) => s.step === 'signal.paymentFailed');
    expect(failed?.details).toMatchObject({ provider: 'sandbox' });
    const paymentId = String(failed?.details.providerPaymentId);
    expect(failed?.details.eventId).toBe(`failed-${paymentId}`);
    expect(failed?.textEn).toBe(
      `Payment declined at Simulated payment (sandbox): event id failed-${paymentId}, payment ${paymentId}`,
    );
    expect(failed?.textZh).toContain('付款失败通知');
    const closed = steps.find((s) => s.step === 'activity.closeFailedPayment');
    expect(closed?.textEn).toBe('Payment declined; payment closed at the provider');
  });
});
