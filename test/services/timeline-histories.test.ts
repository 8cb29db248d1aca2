/**
 * Every recorded history (test/fixtures/*.history.json) told as the auditors' timeline: no step may fall
 * back to words generated from a bare name (a renamed activity, Update, Signal, stage or label), and
 * every message must have words, with all their parameters, in both languages. Read with and without
 * the facts the database adds, and with the actors named, so every variant of the words is checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { LOCALES, loadResources, type Message } from '../../src/i18n/catalogue.ts';
import { type TimelineFacts, tellMessage, withActor } from '../../src/services/timeline/engine.ts';
import { isMessage } from '../../src/services/timeline/words.ts';
import { buildTimeline } from '../../src/services/workflow-timeline.ts';
import { historyFromJSON } from '../../src/temporal/history-json.ts';

const FIXTURES = readdirSync('test/fixtures').filter((file) => file.endsWith('.history.json'));
const resources = loadResources();

function history(file: string) {
  // Through the wire encoding, so timestamps are Longs as in a history fetched from the server.
  const { History } = proto.temporal.api.history.v1;
  const recorded = historyFromJSON(JSON.parse(readFileSync(`test/fixtures/${file}`, 'utf8')));
  const events = History.decode(History.encode(recorded).finish()).events ?? [];
  const type = events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
  return { type, events };
}

/** The catalogue's template for a code in one locale, or undefined. */
function template(locale: string, code: string): string | undefined {
  const [namespace = '', key = ''] = code.split(':');
  let node: unknown = resources[locale]?.[namespace];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

/** What is wrong with a message and the messages in its parameters, in one locale. */
function problems(locale: string, msg: Message): string[] {
  const found: string[] = [];
  // The timeline's own words, or a label from the shared tables (stages, providers, order statuses).
  if (!/^(timeline|labels):/.test(msg.code)) found.push(`${msg.code}: neither timeline words nor a label`);
  if (msg.code.startsWith('timeline:fallback.'))
    found.push(`${msg.code}: fallback ${JSON.stringify(msg.params)}`);
  const words = template(locale, msg.code);
  if (words === undefined) found.push(`${msg.code}: no ${locale} words`);
  for (const [, name] of (words ?? '').matchAll(/{{\s*(\w+)\s*}}/g)) {
    const value = msg.params?.[name as string];
    if (value === undefined || value === null) found.push(`${msg.code}: ${name} missing`);
  }
  for (const value of Object.values(msg.params ?? {}))
    if (isMessage(value)) found.push(...problems(locale, value));
  return found;
}

const FACTS: TimelineFacts = {
  currency: 'CNY',
  plan: { code: 'UGRELVnnsm', nameZh: '星河手机两年全面保障', nameEn: 'Xinghe Phone 2-Year Complete Care' },
  draftCreator: 'Seller Admin',
  issuer: 'Xinghe 电器有限公司',
};

describe('timeline of every recorded history', () => {
  it('has a fixture for each workflow', () => {
    expect(new Set(FIXTURES.map((file) => history(file).type))).toEqual(
      new Set([
        'CancellationWorkflow',
        'ClaimWorkflow',
        'PlanCreationWorkflow',
        'PurchaseWorkflow',
        'StatsRollupWorkflow',
        'UnitQrBatchWorkflow',
      ]),
    );
  });

  for (const file of FIXTURES)
    it(`tells ${file} without fallback words or untranslated codes, in both languages`, () => {
      const { type, events } = history(file);
      for (const facts of [null, FACTS]) {
        const steps = buildTimeline(type, events, defaultPayloadConverter, facts).map((step) =>
          step.actorId ? withActor(step, 'Service Desk') : step,
        );
        expect(steps.length).toBeGreaterThan(0);
        for (const step of steps)
          for (const locale of LOCALES) {
            expect(problems(locale, step.message), `${step.step} (event ${step.eventId})`).toEqual([]);
            const words = tellMessage(locale, step.message);
            expect(words).not.toMatch(/{{|}}|timeline:|undefined|NaN|\[object/);
          }
      }
    });

  it('catches a step whose describer is missing', () => {
    const { events } = history('claim-closed.history.json');
    const steps = buildTimeline('RenamedClaimWorkflow', events, defaultPayloadConverter);
    expect(steps.flatMap((step) => problems('en', step.message))).toContain(
      'timeline:fallback.activity: fallback {"name":"announceClaimStep"}',
    );
  });
});

describe('timeline catalogue', () => {
  const keys = (node: unknown, prefix = ''): string[] =>
    typeof node === 'string'
      ? [prefix]
      : Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
          keys(value, prefix ? `${prefix}.${key}` : key),
        );

  it('has the same keys in zh-CN and en', () => {
    const [zh, en] = LOCALES.map((locale) => keys(resources[locale]?.timeline ?? {}).sort());
    expect(zh).toEqual(en);
    expect(zh?.length).toBeGreaterThan(100);
  });
});
