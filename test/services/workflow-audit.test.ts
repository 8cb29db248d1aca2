/**
 * The workflow list's visibility query and its signed page tokens, without
 * Temporal: every filter combination, hostile values, and tokens forged,
 * edited or carried to another query.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import {
  EXECUTION_STATUS_NAMES,
  openPageToken,
  signPageToken,
  visibilityQuery,
  type WorkflowFilter,
} from '../../src/services/workflow-audit.ts';
import { inEnglish } from '../helpers/messages.ts';

const QUEUE = 'yanbao';
const MANUFACTURER = '0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d';
const PLAN = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

/** Each filter with a value and the clause it must add, in the order the query holds them. */
const CLAUSES: [keyof WorkflowFilter, string, string][] = [
  ['type', 'PurchaseWorkflow', 'WorkflowType = "PurchaseWorkflow"'],
  ['status', 'continued_as_new', 'ExecutionStatus = "ContinuedAsNew"'],
  ['manufacturerId', MANUFACTURER, `YanbaoManufacturerId = "${MANUFACTURER}"`],
  ['planId', PLAN, `YanbaoPlanId = "${PLAN}"`],
  ['orderNumber', 'YB20260101-ABCD', 'YanbaoOrderNumber = "YB20260101-ABCD"'],
  ['businessStatus', 'awaiting_payment', 'YanbaoBusinessStatus = "awaiting_payment"'],
  ['from', '2026-01-01T08:00:00+08:00', 'StartTime >= "2026-01-01T00:00:00.000Z"'],
  ['to', '2026-01-02T00:00:00Z', 'StartTime < "2026-01-02T00:00:00.000Z"'],
];

describe('visibilityQuery', () => {
  it('builds the query for every combination of filters, schedules left out unless a type is asked for', () => {
    for (let mask = 0; mask < 1 << CLAUSES.length; mask++) {
      const chosen = CLAUSES.filter((_, i) => mask & (1 << i));
      const filter = Object.fromEntries(chosen.map(([key, value]) => [key, value])) as WorkflowFilter;
      const expected = [
        'TaskQueue = "yanbao"',
        ...(filter.type ? [] : ['WorkflowType != "StatsRollupWorkflow"']),
        ...chosen.map(([, , clause]) => clause),
      ].join(' AND ');
      expect(visibilityQuery(filter, QUEUE), JSON.stringify(filter)).toBe(expected);
    }
  });

  it('names every execution status as the visibility language does', () => {
    expect(
      EXECUTION_STATUS_NAMES.map((status) => visibilityQuery({ type: 'X', status }, QUEUE).split(' AND ')[2]),
    ).toEqual([
      'ExecutionStatus = "Running"',
      'ExecutionStatus = "Completed"',
      'ExecutionStatus = "Failed"',
      'ExecutionStatus = "Canceled"',
      'ExecutionStatus = "Terminated"',
      'ExecutionStatus = "ContinuedAsNew"',
      'ExecutionStatus = "TimedOut"',
    ]);
  });

  const HOSTILE = [
    'YB" OR WorkflowType != "x',
    '1" OR 1=1',
    "a' OR 'a'='a",
    'a\\" OR "b',
    'a"',
    '\\',
    'a b',
    'a\nb',
    'a)',
    '(a',
    '',
    '屏幕',
    'a%',
    'a*',
  ];

  it('refuses any value that could close the string or become query syntax, for every string filter', () => {
    for (const key of ['type', 'manufacturerId', 'planId', 'orderNumber', 'businessStatus'] as const)
      for (const value of HOSTILE) {
        if (value === '') continue; // an empty filter is no filter
        const attempt = () => visibilityQuery({ [key]: value }, QUEUE);
        expect(attempt, `${key}=${JSON.stringify(value)}`).toThrow(DomainError);
        try {
          attempt();
        } catch (err) {
          expect((err as DomainError).status).toBe(400);
          expect(inEnglish((err as DomainError).fields)).toEqual([
            { field: 'querystring', message: 'has a character not allowed in a query' },
          ]);
        }
      }
  });

  it('refuses a hostile task queue, so configuration cannot widen the list either', () => {
    for (const queue of HOSTILE)
      expect(() => visibilityQuery({}, queue), JSON.stringify(queue)).toThrow(DomainError);
  });

  it('writes instants in UTC whatever offset they were given with', () => {
    expect(visibilityQuery({ type: 'X', from: '2026-03-01T23:30:00-02:00' }, QUEUE)).toBe(
      'TaskQueue = "yanbao" AND WorkflowType = "X" AND StartTime >= "2026-03-02T01:30:00.000Z"',
    );
  });
});

describe('page tokens', () => {
  const secret = 'a cookie secret of at least thirty-two characters';
  const query = 'TaskQueue = "yanbao"|25';
  const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);

  it('opens what it signed, to the same bytes', () => {
    const token = signPageToken(secret, query, bytes);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(openPageToken(secret, query, token)).toEqual(Buffer.from(bytes));
  });

  it('refuses a token for another query, page size or secret', () => {
    const token = signPageToken(secret, query, bytes);
    expect(openPageToken(secret, 'TaskQueue = "yanbao"|26', token)).toBeNull();
    expect(openPageToken(secret, 'TaskQueue = "other"|25', token)).toBeNull();
    expect(openPageToken(`${secret}!`, query, token)).toBeNull();
  });

  it('refuses a token whose bytes or signature were edited', () => {
    const token = signPageToken(secret, query, bytes);
    const [payload = '', mac = ''] = token.split('.');
    // The top bit of the character's six: a change base64url decoding cannot drop as padding.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${ALPHABET[(ALPHABET.indexOf(text[at] ?? 'A') + 32) % 64]}${text.slice(at + 1)}`;
    for (let at = 0; at < payload.length; at++)
      expect(openPageToken(secret, query, `${flip(payload, at)}.${mac}`), `payload[${at}]`).toBeNull();
    for (let at = 0; at < mac.length; at++)
      expect(openPageToken(secret, query, `${payload}.${flip(mac, at)}`), `mac[${at}]`).toBeNull();
    expect(openPageToken(secret, query, `${payload}AA.${mac}`)).toBeNull();
    expect(openPageToken(secret, query, `${payload}.${mac.slice(0, -1)}`)).toBeNull();
  });

  it('refuses forged and malformed tokens', () => {
    for (const forged of ['', '.', 'AAAA', `AAAA.${'A'.repeat(43)}`, `.${'A'.repeat(43)}`, 'a.b.c'])
      expect(openPageToken(secret, query, forged), JSON.stringify(forged)).toBeNull();
  });
});
