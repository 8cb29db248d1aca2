/**
 * Main products (patent module 3): a manufacturer sees and changes only its
 * own; a brand and model exist once per manufacturer; what a plan on sale was
 * priced from cannot change under it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../db/unique-constraints.ts';
import type { ProductCategory } from '../domain/catalog.ts';
import { chinaDate } from '../domain/coverage.ts';
import { MainProduct, Plan } from '../domain/entities/index.ts';
import {
  conflict,
  errorMessage,
  type FieldProblem,
  fieldProblem,
  invalid,
  notFound,
} from '../domain/errors.ts';
import { launchDateProblems } from '../domain/product.ts';
import { planBoundEditProblems } from '../domain/product-edits.ts';
import { serialPatternProblem } from '../domain/serial-batch.ts';

export interface ProductInput {
  brand: string;
  name: string;
  model: string;
  category: ProductCategory;
  retailPriceFen: number;
  baseWarrantyMonths: number;
  launchDate: string;
  serialPattern?: string | null | undefined;
}

function productProblems(input: ProductInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.retailPriceFen < 100) problems.push(fieldProblem('retailPriceFen', 'minFen'));
  problems.push(...launchDateProblems(input.launchDate, chinaDate(new Date())));
  const patternProblem = input.serialPattern ? serialPatternProblem(input.serialPattern) : null;
  if (patternProblem) problems.push({ field: 'serialPattern', ...patternProblem });
  return problems;
}

const modelTaken = () => conflict(errorMessage('modelTaken'), [fieldProblem('model', 'modelExists')]);

/** Refuses invalid input and a brand and model the manufacturer already has (another product's). */
async function checkInput(em: EntityManager, manufacturerId: string, input: ProductInput, exceptId?: string) {
  const problems = productProblems(input);
  if (problems.length > 0) throw invalid(problems);
  const clash = await em.findOne(MainProduct, {
    manufacturer: manufacturerId,
    brand: input.brand,
    model: input.model,
    ...(exceptId ? { id: { $ne: exceptId } } : {}),
  });
  if (clash) throw modelTaken();
}

/** The manufacturer's product; another manufacturer's is indistinguishable from a missing one. */
export async function ownProduct(em: EntityManager, manufacturerId: string, id: string) {
  const product = await em.findOne(MainProduct, { id, manufacturer: manufacturerId });
  if (!product) throw notFound('mainProduct');
  return product;
}

export async function createProduct(em: EntityManager, manufacturerId: string, input: ProductInput) {
  await checkInput(em, manufacturerId, input);
  const product = em.create(MainProduct, {
    ...input,
    serialPattern: input.serialPattern ?? null,
    manufacturer: manufacturerId,
  });
  await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.productModel]: modelTaken() });
  return product;
}

/** Edits a product; its retail price and base warranty cannot change while a plan of it is on sale (409). */
export async function updateProduct(
  em: EntityManager,
  manufacturerId: string,
  id: string,
  input: ProductInput,
) {
  const product = await ownProduct(em, manufacturerId, id);
  await checkInput(em, manufacturerId, input, product.id);
  const plansOnSale = await em.count(Plan, { product: product.id, status: 'on_sale' });
  const bound = planBoundEditProblems(product, input, plansOnSale);
  if (bound.length > 0) throw conflict(errorMessage('plansOnSale'), bound);
  em.assign(product, { ...input, serialPattern: input.serialPattern ?? null });
  await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.productModel]: modelTaken() });
  return product;
}
