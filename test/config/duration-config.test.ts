/**
 * Duration settings are read when the configuration loads: a bad one stops the start with every
 * bad name listed, instead of failing inside a workflow hours later.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { durationsFromEnv, loadConfig } from '../../src/config.ts';

describe('duration settings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('keeps the defaults and takes what is set, as written', () => {
    const durations = durationsFromEnv({ PAYMENT_TIMEOUT: '30 minutes', CLAIM_REPAIR_SLA: '' });
    expect(durations.PAYMENT_TIMEOUT).toBe('30 minutes');
    expect(durations.CLAIM_REPAIR_SLA).toBe('10 days');
    expect(durations.PLAN_REVIEW_REMINDER).toBe('24 hours');
  });

  it('refuses unreadable, zero and negative durations in one error naming each', () => {
    let message = '';
    try {
      durationsFromEnv({
        PAYMENT_TIMEOUT: '15 minuets',
        LATE_PAYMENT_WINDOW: '0',
        STATS_ROLLUP_EVERY: '-1 minute',
        PLAN_DRAFT_EXPIRY: '30 days',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PAYMENT_TIMEOUT .*"15 minuets"/);
    expect(message).toMatch(/LATE_PAYMENT_WINDOW/);
    expect(message).toMatch(/STATS_ROLLUP_EVERY/);
    expect(message).not.toMatch(/PLAN_DRAFT_EXPIRY/);
  });

  it('stops loadConfig on a bad duration', () => {
    vi.stubEnv('NODE_ENV', 'test');
    vi.stubEnv('CLAIM_DECISION_SLA', 'two days');
    vi.stubEnv('PLAN_REVIEW_REMINDER', 'daily');
    expect(() => loadConfig()).toThrow(/CLAIM_DECISION_SLA/);
    expect(() => loadConfig()).toThrow(/PLAN_REVIEW_REMINDER/);
    vi.stubEnv('CLAIM_DECISION_SLA', '2 days');
    vi.stubEnv('PLAN_REVIEW_REMINDER', '1 hour');
    expect(loadConfig().claims.decisionSla).toBe('2 days');
    expect(loadConfig().planReview.reminderInterval).toBe('1 hour');
  });
});
