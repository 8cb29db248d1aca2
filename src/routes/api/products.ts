import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MainProduct } from '../../domain/entities/index.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { createProduct, ownProduct, updateProduct } from '../../services/products.ts';
import { Category, errors, Fen, Id, IdParams, IsoDate, Pagination, Strict, Text } from '../schemas.ts';
import { formSchemaCheck } from '../validation.ts';

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

/** Main products (patent module 3; services/products.ts): a manufacturer sees and changes only its own. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const manufacturerOf = (request: Parameters<typeof memberOf>[0]) => memberOf(request).manufacturer.id;

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
        { manufacturer: manufacturerOf(request) },
        { orderBy: { createdAt: 'desc' }, limit: request.query.limit, offset: request.query.offset },
      );
      return { items: items.map(view), total };
    },
  );

  app.post(
    '/products',
    {
      onRequest: requireMember(app, 'editor', 'admin'),
      // Schema and product rules answer together (formSchemaCheck).
      attachValidation: true,
      schema: {
        tags: ['products'],
        body: ProductInput,
        response: { 201: ProductView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const product = await createProduct(
        request.em,
        manufacturerOf(request),
        request.body,
        formSchemaCheck(request),
      );
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
    async (request) => view(await ownProduct(request.em, manufacturerOf(request), request.params.id)),
  );

  app.put(
    '/products/:id',
    {
      onRequest: requireMember(app, 'editor', 'admin'),
      // Schema and product rules answer together (formSchemaCheck).
      attachValidation: true,
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
      const product = await updateProduct(
        request.em,
        manufacturerOf(request),
        request.params.id,
        request.body,
        formSchemaCheck(request),
      );
      // Landing pages show the product's brand, name, model and base warranty.
      app.landingCache.invalidate();
      return view(product);
    },
  );
};
