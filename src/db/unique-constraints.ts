/**
 * Unique constraints that two simultaneous requests can both run into. Routes
 * check for a clash before writing, but a double-clicked "Save" sends two
 * requests that both pass the check before either writes; the database then
 * refuses the second, and that refusal must reach the user as the same 409.
 */
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { DomainError } from '../domain/errors.ts';

/** The names the migrations gave them (a test checks that the schema still has each). */
export const UNIQUE_CONSTRAINTS = {
  userEmail: 'app_user_email_unique',
  manufacturerUscc: 'manufacturer_uscc_code_unique',
  productModel: 'main_product_manufacturer_id_brand_model_unique',
  clauseKey: 'clause_key_unique',
} as const;

type UniqueConstraint = (typeof UNIQUE_CONSTRAINTS)[keyof typeof UNIQUE_CONSTRAINTS];

/** Flushes, answering a violation of one of `conflicts`' constraints with its conflict. */
export async function flushRefusingDuplicates(
  em: EntityManager,
  conflicts: Partial<Record<UniqueConstraint, DomainError>>,
): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    const constraint =
      err instanceof UniqueConstraintViolationException
        ? (err as { constraint?: string }).constraint
        : undefined;
    throw (constraint && conflicts[constraint as UniqueConstraint]) || err;
  }
}
