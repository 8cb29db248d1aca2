/** Field problems as English words, for tests that read what a rule says rather than its catalogue code. */
import type { FieldProblem } from '../../src/domain/errors.ts';
import { translate } from '../../src/i18n/catalogue.ts';

export const inEnglish = (problems: readonly FieldProblem[]) =>
  problems.map((problem) => ({ field: problem.field, message: translate('en', problem) }));

export const englishOf = (problem: FieldProblem | null | undefined) =>
  problem ? { field: problem.field, message: translate('en', problem) } : problem;

/** An error body's fields as field and words only, for tests that compare what they say. */
export const fieldWords = (fields: { field: string; message: string }[] | undefined) =>
  fields?.map(({ field, message }) => ({ field, message }));
