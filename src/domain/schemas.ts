/**
 * JSON-schema (TypeBox) pieces for shapes the domain hands to the API, so a response schema and the
 * TypeScript type of what is sent are one definition (`Static<typeof X>`) and cannot drift.
 * Workflow code imports these files' types only: TypeBox stays out of the workflow bundle.
 */
import { Type } from '@sinclair/typebox';
import { COVERAGE_TYPES } from './catalog.ts';

/** A string from a fixed list; one `enum` keyword gives one clear error naming the allowed values. */
export const StringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const CoverageTypeSchema = StringEnum(COVERAGE_TYPES, 'coverage type');

/** A catalogue message in data form (src/i18n/catalogue.ts): its code and the values its words interpolate. */
export const MessageSchema = Type.Object({
  code: Type.String({ description: 'message catalogue code, e.g. matching:sameCategory' }),
  params: Type.Optional(
    // Open-ended by nature: each message names its own placeholders.
    Type.Record(Type.String(), Type.Unknown(), { description: 'values the message interpolates' }),
  ),
});
