/** Field problems and refusals as English words, for tests that read what a rule says rather than its catalogue code. */
import { DomainError, type FieldProblem } from '../../src/domain/errors.ts';
import { translate } from '../../src/i18n/catalogue.ts';

export const inEnglish = (problems: readonly FieldProblem[]) =>
  problems.map((problem) => ({ field: problem.field, message: translate('en', problem) }));

export const englishOf = (problem: FieldProblem | null | undefined) =>
  problem ? { field: problem.field, message: translate('en', problem) } : problem;

/** An error body's fields as field and words only, for tests that compare what they say. */
export const fieldWords = (fields: { field: string; message: string }[] | undefined) =>
  fields?.map(({ field, message }) => ({ field, message }));

/** The DomainError a call refuses with; anything else (or no refusal) fails the test. */
export async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

/** What a refusal says, in English words, with its status. */
export const said = (err: DomainError) => ({ status: err.status, message: translate('en', err.detail) });
