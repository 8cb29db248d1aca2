/**
 * What web/assets/api.js's calls send and answer, read from the generated `paths` (api.d.ts):
 * a call names a concrete path (`/plan-drafts/${id}`, maybe with `?…`), matched here to its
 * route template (`/api/v1/plan-drafts/{id}`). A path no route matches (or a plain `string`) is `unknown`.
 */
import type { paths } from './api.d.ts';

export type { paths };

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Unprefixed<P> = P extends `/api/v1${infer R}` ? R : never;
/** A route as the portal names it: without /api/v1. */
export type ApiRoute = Unprefixed<keyof paths>;

/** `/plan-drafts/{id}` → `/plan-drafts/${string}`. */
type Filled<T extends string> = T extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Filled<B>}` : T;

/** The operation of a route and method; never when the route has no such method. */
type Operation<T extends ApiRoute, M extends HttpMethod> = NonNullable<
  paths[`/api/v1${T}`][Lowercase<M> & keyof paths[`/api/v1${T}`]]
>;

/** Every path a call can name, ids filled in, with or without a query string. */
export type ApiPath = { [T in ApiRoute]: Filled<T> | `${Filled<T>}?${string}` }[ApiRoute];

/** The route templates a concrete path can be, for one method. */
type Routes<M extends HttpMethod, L extends string> = {
  [T in ApiRoute]: [Operation<T, M>] extends [never]
    ? never
    : L extends Filled<T> | `${Filled<T>}?${string}`
      ? T
      : never;
}[ApiRoute];

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<O> = O extends { responses: infer Rs }
  ? { [S in keyof Rs]: S extends 200 | 201 | 202 ? JsonOf<Rs[S]> : S extends 204 ? null : never }[keyof Rs]
  : never;
type RequestOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;

/** What a successful call answers (null for 204). */
export type ApiResponse<M extends HttpMethod, L extends string> = string extends L
  ? unknown
  : [Routes<M, L>] extends [never]
    ? unknown
    : Success<Operation<Routes<M, L>, M>>;

/** What a call sends as its JSON body (undefined: none). */
export type ApiBody<M extends HttpMethod, L extends string> = string extends L
  ? unknown
  : [Routes<M, L>] extends [never]
    ? unknown
    : RequestOf<Operation<Routes<M, L>, M>>;

/** A 2xx JSON body of a route by its template, e.g. `ApiResult<'GET', '/plan-drafts/{id}'>`. */
export type ApiResult<M extends HttpMethod, T extends ApiRoute> = Success<Operation<T, M>>;

/** A schema of the API by route: `ApiSchema<'GET', '/plan-drafts/{id}'>['draft']`, for JSDoc in pages. */
export type ApiSchema<M extends HttpMethod, T extends ApiRoute> = ApiResult<M, T>;

/** Options of api(): `anonymous` skips the CSRF token (login, signup); `keep401` hands a 401 to the caller. */
export interface CallOptions {
  anonymous?: boolean;
  keep401?: boolean;
}
