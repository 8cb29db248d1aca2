import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { chinaDate } from '../../domain/coverage.ts';
import { MainProduct, Plan } from '../../domain/entities/index.ts';
import {
  conflict,
  errorMessage,
  type FieldProblem,
  fieldProblem,
  invalid,
  notFound,
} from '../../domain/errors.ts';
import { launchDateProblems } from '../../domain/product.ts';
import { planBoundEditProblems } from '../../domain/product-edits.ts';
import { serialPatternProblem } from '../../domain/serial-batch.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { Category, errors, Fen, Id, IdParams, IsoDate, Pagination, Strict, Text } from '../schemas.ts';

const ProductInput = Strict({
  brand: Text(100),
  name: Text(200),
  model: Text(100),
  category: Category,
  retailPriceFen: Fen('retail price'),
  baseWarrantyMonths: Type.Integer({
    minimum: 0,
    maximum: 120,
    description: "the manufacturer's own warranty",
  }),
  launchDate: IsoDate,
  serialPattern: Type.Optional(
    Type.Union([
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'regular expression for serial numbers, RE2 syntax (no lookarounds or backreferences), matched against the whole serial',
      }),
      Type.Null(),
    ]),
  ),
});
type ProductInput = Static<typeof ProductInput>;

const ProductView = Type.Object({
  id: Id,
  brand: Type.String(),
  name: Type.String(),
  model: Type.String(),
  category: Type.String(),
  retailPriceFen: Type.Integer(),
  currency: Type.String(),
  baseWarrantyMonths: Type.Integer(),
  launchDate: Type.String(),
  serialPattern: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
const view = (p: MainProduct) => ({
  id: p.id,
  brand: p.brand,
  name: p.name,
  model: p.model,
  category: p.category,
  retailPriceFen: p.retailPriceFen,
  currency: p.currency,
  baseWarrantyMonths: p.baseWarrantyMonths,
  launchDate: p.launchDate,
  serialPattern: p.serialPattern ?? null,
  createdAt: p.createdAt.toISOString(),
});

function productProblems(input: ProductInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.retailPriceFen < 100) problems.push(fieldProblem('retailPriceFen', 'minFen'));
  problems.push(...launchDateProblems(input.launchDate, chinaDate(new Date())));
  const patternProblem = input.serialPattern ? serialPatternProblem(input.serialPattern) : null;
  if (patternProblem) problems.push({ field: 'serialPattern', ...patternProblem });
  return problems;
}

/** Main products (patent module 3): a manufacturer sees and changes only its own. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const own = async (request: Parameters<typeof memberOf>[0], id: string) => {
    const product = await request.em.findOne(MainProduct, {
      id,
      manufacturer: memberOf(request).manufacturer.id,
    });
    // Another manufacturer's product is indistinguishable from a missing one.
    if (!product) throw notFound('mainProduct');
    return product;
  };
  const modelTaken = () => conflict(errorMessage('modelTaken'), [fieldProblem('model', 'modelExists')]);
  const duplicateCheck = async (
    request: Parameters<typeof memberOf>[0],
    input: ProductInput,
    exceptId?: string,
  ) => {
    const clash = await request.em.findOne(MainProduct, {
      manufacturer: memberOf(request).manufacturer.id,
      brand: input.brand,
      model: input.model,
      ...(exceptId ? { id: { $ne: exceptId } } : {}),
    });
    if (clash) throw modelTaken();
  };

  app.get(
    '/products',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['products'],
        querystring: Pagination,
        response: {
          200: Type.Object({ items: Type.Array(ProductView), total: Type.Integer() }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      const [items, total] = await request.em.findAndCount(
        MainProduct,
        { manufacturer: memberOf(request).manufacturer.id },
        { orderBy: { createdAt: 'desc' }, limit: request.query.limit, offset: request.query.offset },
      );
      return { items: items.map(view), total };
    },
  );

  app.post(
    '/products',
    {
      onRequest: requireMember(app, 'editor', 'admin'),
      schema: {
        tags: ['products'],
        body: ProductInput,
        response: { 201: ProductView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const problems = productProblems(request.body);
      if (problems.length > 0) throw invalid(problems);
      await duplicateCheck(request, request.body);
      const product = request.em.create(MainProduct, {
        ...request.body,
        serialPattern: request.body.serialPattern ?? null,
        manufacturer: memberOf(request).manufacturer.id,
      });
      await flushRefusingDuplicates(request.em, { [UNIQUE_CONSTRAINTS.productModel]: modelTaken() });
      return reply.code(201).send(view(product));
    },
  );

  app.get(
    '/products/:id',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['products'],
        params: IdParams,
        response: { 200: ProductView, ...errors(400, 401, 404) },
      },
    },
    async (request) => view(await own(request, request.params.id)),
  );

  app.put(
    '/products/:id',
    {
      onRequest: requireMember(app, 'editor', 'admin'),
      schema: {
        tags: ['products'],
        summary:
          'Edit a main product; its retail price and base warranty cannot change while a plan of it is on sale (409)',
        params: IdParams,
        body: ProductInput,
        response: { 200: ProductView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const product = await own(request, request.params.id);
      const problems = productProblems(request.body);
      if (problems.length > 0) throw invalid(problems);
      await duplicateCheck(request, request.body, product.id);
      const plansOnSale = await request.em.count(Plan, { product: product.id, status: 'on_sale' });
      const bound = planBoundEditProblems(product, request.body, plansOnSale);
      if (bound.length > 0) throw conflict(errorMessage('plansOnSale'), bound);
      request.em.assign(product, { ...request.body, serialPattern: request.body.serialPattern ?? null });
      await flushRefusingDuplicates(request.em, { [UNIQUE_CONSTRAINTS.productModel]: modelTaken() });
      // Landing pages show the product's brand, name, model and base warranty.
      app.landingCache.invalidate();
      return view(product);
    },
  );
};
