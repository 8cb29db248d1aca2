/**
 * JSON-schema pieces shared by routes: ids, money, phone, enums, errors.
 * Each route composes its whole schema from these (TypeBox → JSON Schema → Ajv).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PASSWORD_LENGTH } from '../domain/auth.ts';
import { COVERAGE_START_KINDS, PRODUCT_CATEGORIES } from '../domain/catalog.ts';
import { ORDER_NUMBER_PATTERN } from '../domain/order-links.ts';
import { CoverageTypeSchema, StringEnum } from '../domain/schemas.ts';

export { CoverageTypeSchema, StringEnum };

export const Id = Type.String({ format: 'uuid', description: 'UUID' });
export const IdParams = Type.Object({ id: Id });
export const OrderNumber = Type.String({
  pattern: ORDER_NUMBER_PATTERN,
  description: 'order number, e.g. YBABCDEFGH23456789',
});
export const OrderParams = Type.Object({ orderNumber: OrderNumber });
/** The consumer's access to an order: the token from the order link (API routes; pages answer a bad link in HTML). */
export const OrderTokenQuery = Type.Object({
  t: Type.String({ minLength: 10, maxLength: 64, description: 'access token from the order link' }),
});

/**
 * The most an amount can be: what every money column holds (PostgreSQL integer), 2,147,483,647
 * fen ≈ ¥21.47 million. No consumer product, plan, payment or repair comes near it; totals over
 * many rows (statistics) are summed in SQL as bigint and use FenTotal instead.
 */
export const MAX_FEN = 2_147_483_647;

/** Money is integer minor units (fen); never floats. */
export const Fen = (description: string) =>
  Type.Integer({
    minimum: 0,
    maximum: MAX_FEN,
    description: `${description}, integer fen (1 yuan = 100 fen), at most ${MAX_FEN} (¥21,474,836.47)`,
  });

/** A sum of amounts over many rows (bigint in SQL): not bounded by one column. */
export const FenTotal = (description: string) =>
  Type.Integer({ minimum: 0, description: `${description}, integer fen (1 yuan = 100 fen)` });

export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const MobilePhone = Type.String({
  minLength: 5,
  maxLength: 20,
  description: 'mobile phone number; +86 assumed when no country code is given',
});
export const Password = Type.String({
  minLength: PASSWORD_LENGTH.min,
  maxLength: PASSWORD_LENGTH.max,
  description: `at least ${PASSWORD_LENGTH.min} characters`,
});
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const Category = StringEnum(PRODUCT_CATEGORIES, 'product category');

export const CoverageStartRuleSchema = Type.Object(
  {
    kind: StringEnum(COVERAGE_START_KINDS),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'only for waiting_days' })),
  },
  { additionalProperties: false, description: 'when coverage starts for a unit' },
);

export const Pagination = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

/** Keyset pagination (a large list, newest first): the page size and the previous page's cursor. */
export const CursorPage = {
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[A-Za-z0-9_-]+$',
      description: "the previous page's nextCursor",
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'page size' }),
};
export const NextCursor = Type.Union([
  Type.String({ description: 'cursor of the next page; null on the last page' }),
  Type.Null(),
]);

/** A message in data form (src/i18n/catalogue.ts): its code and the values its words interpolate. */
const MessageCode = {
  code: Type.String({ description: 'message catalogue code, e.g. errors:field.blank' }),
  params: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: 'values the message interpolates' }),
  ),
};

export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'machine code, e.g. validation_failed' }),
    message: Type.String({
      description: "in the request's language (Accept-Language; English when it names neither)",
    }),
    code: Type.Optional(MessageCode.code),
    params: MessageCode.params,
    fields: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String({ description: "in the request's language" }),
          ...MessageCode,
        }),
      ),
    ),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorBody = Static<typeof ErrorResponse>;

/** The 4xx answers a route can give, for its `response` schema. */
export const errors = (...statuses: (400 | 401 | 403 | 404 | 409 | 422 | 429)[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorResponse])) as Record<number, TSchema>;

export const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

/** A workflow id as Yanbao makes them (`purchase-…`, `claim-…`). */
export const WorkflowParams = Type.Object({
  workflowId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$' }),
});

/** One business step of a workflow's timeline, in both languages. */
export const TimelineStepView = Type.Object({
  eventId: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  step: Type.String(),
  outcome: Type.String(),
  textZh: Type.String(),
  textEn: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
  attempts: Type.Union([Type.Integer(), Type.Null()]),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
});
