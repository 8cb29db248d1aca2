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
  FIELD_WORDS,
  type FormRule,
  type FormSchemaCheck,
  fieldProblem,
  invalid,
  notFound,
  ruleProblems,
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

/** The product's own rules, each over the fields it reads. */
const PRODUCT_RULES: FormRule<ProductInput>[] = [
  {
    reads: ['retailPriceFen'],
    check: (input) => (input.retailPriceFen < 100 ? [fieldProblem('retailPriceFen', 'minFen')] : []),
  },
  { reads: ['launchDate'], check: (input) => launchDateProblems(input.launchDate, chinaDate(new Date())) },
  {
    reads: ['serialPattern'],
    check: (input) => {
      const problem = input.serialPattern ? serialPatternProblem(input.serialPattern) : null;
      return problem ? [{ field: 'serialPattern', ...problem }] : [];
    },
  },
];

const modelTaken = () => conflict(errorMessage('modelTaken'), [fieldProblem('model', 'modelExists')]);

/**
 * Refuses invalid input, schema and rule problems in one answer (`schema`: what the schema found, the
 * rules run on the fields it passed), and a brand and model the manufacturer already has (another
 * product's): a 409 alone, or one of the problems of a 400.
 */
async function checkInput(
  em: EntityManager,
  manufacturerId: string,
  input: ProductInput,
  schema: FormSchemaCheck,
  exceptId?: string,
) {
  const problems = [...schema.problems, ...ruleProblems(PRODUCT_RULES, input, schema.refused)];
  const clash =
    !schema.refused.has('brand') &&
    !schema.refused.has('model') &&
    (await em.findOne(MainProduct, {
      manufacturer: manufacturerId,
      brand: input.brand,
      model: input.model,
      ...(exceptId ? { id: { $ne: exceptId } } : {}),
    }));
  if (problems.length > 0) throw invalid([...problems, ...(clash ? modelTaken().fields : [])], FIELD_WORDS);
  if (clash) throw modelTaken();
}

/** The manufacturer's product; another manufacturer's is indistinguishable from a missing one. */
export async function ownProduct(em: EntityManager, manufacturerId: string, id: string) {
  const product = await em.findOne(MainProduct, { id, manufacturer: manufacturerId });
  if (!product) throw notFound('mainProduct');
  return product;
}

export async function createProduct(
  em: EntityManager,
  manufacturerId: string,
  input: ProductInput,
  schema: FormSchemaCheck,
) {
  await checkInput(em, manufacturerId, input, schema);
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
  schema: FormSchemaCheck,
) {
  const product = await ownProduct(em, manufacturerId, id);
  await checkInput(em, manufacturerId, input, schema, product.id);
  const plansOnSale = await em.count(Plan, { product: product.id, status: 'on_sale' });
  const bound = planBoundEditProblems(product, input, plansOnSale);
  if (bound.length > 0) throw conflict(errorMessage('plansOnSale'), bound);
  em.assign(product, { ...input, serialPattern: input.serialPattern ?? null });
  await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.productModel]: modelTaken() });
  return product;
}
