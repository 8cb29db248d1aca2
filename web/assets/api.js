// @ts-check
/**
 * The one way pages talk to /api/v1: JSON in and out, the session cookie,
 * a CSRF token on every write (fetched once per page, refreshed once if the
 * server no longer accepts it), typed errors, and 401 → the login page.
 * Calls are typed from the API's OpenAPI document (web/types/client.d.ts, web/types/api.d.ts):
 * `get(\`/plan-drafts/${id}\`)` answers what GET /api/v1/plan-drafts/{id} is declared to send.
 */

import { getLang } from './i18n.js';

/** @typedef {import('../types/client.d.ts').HttpMethod} HttpMethod */
/** @typedef {import('../types/client.d.ts').ApiPath} ApiPath */
/** @typedef {import('../types/client.d.ts').CallOptions} CallOptions */
/** @typedef {import('../types/api.d.ts').components['schemas']} Schemas */
/**
 * An error answer (ErrorResponse), as far as a body could be read.
 * @typedef {{ error?: string, message?: string, code?: string, params?: Record<string, unknown>, fields?: { field: string, message: string, code?: string, params?: Record<string, unknown> }[] }} ErrorBody
 */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {ErrorBody | null} body
   */
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? 'http_error';
    this.fields = Array.isArray(body?.fields) ? body.fields : [];
    /** What the error says as a catalogue message, when the API sent one. */
    this.detail = typeof body?.code === 'string' ? { code: body.code, params: body.params } : null;
  }
}

/** @type {string | null} */
let csrfToken = null;

/** @returns {Promise<string>} */
export async function refreshCsrf() {
  const response = await fetch('/api/v1/auth/csrf', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new ApiError(response.status, await bodyOf(response));
  /** @type {{ token: string }} */
  const { token } = await response.json();
  csrfToken = token;
  return token;
}

/** A new session means a new token: call after login, signup and logout. */
export function forgetCsrf() {
  csrfToken = null;
}

/**
 * @param {Response} response
 * @returns {Promise<any>} the JSON body, or null (204, not JSON, unreadable)
 */
async function bodyOf(response) {
  const type = response.headers.get('content-type') ?? '';
  if (response.status === 204) return null;
  if (type.includes('application/json')) return response.json().catch(() => null);
  return null;
}

export function loginUrl() {
  const here = `${location.pathname}${location.search}`;
  return `/portal/login.html?next=${encodeURIComponent(here)}`;
}

/**
 * Only portal paths are accepted as a place to go back to after login.
 * @param {unknown} next
 * @returns {string}
 */
export function safeNext(next) {
  return typeof next === 'string' && /^\/portal\/[\w\-./?=&%]*$/.test(next) && !next.includes('//')
    ? next
    : '/portal/';
}

/**
 * Calls the API. `options.anonymous` skips the CSRF token (login, signup);
 * `options.keep401` hands a 401 to the caller instead of going to the login page.
 * @template {HttpMethod} M
 * @template {ApiPath | string} P
 * @param {M} method
 * @param {P} path without /api/v1, ids filled in, maybe with a query string
 * @param {import('../types/client.d.ts').ApiBody<M, P>} [body]
 * @param {CallOptions} [options]
 * @returns {Promise<import('../types/client.d.ts').ApiResponse<M, P>>}
 */
export async function api(method, path, body, options = {}) {
  const write = method !== 'GET' && method !== 'HEAD';
  const send = async () => {
    // The API words its errors in the page's language.
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json', 'accept-language': getLang() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (write && !options.anonymous) headers['x-csrf-token'] = csrfToken ?? (await refreshCsrf());
    return fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };
  let response = await send();
  let data = await bodyOf(response);
  if (write && !options.anonymous && response.status === 403 && /csrf/i.test(data?.error ?? '')) {
    // The token died with an old session (e.g. a login in another tab): get a new one and retry once.
    csrfToken = null;
    response = await send();
    data = await bodyOf(response);
  }
  if (response.status === 401 && !options.keep401) {
    location.assign(loginUrl());
    // Never resolves: the page is going away.
    return new Promise(() => {});
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * @template {ApiPath | string} P
 * @param {P} path
 * @param {CallOptions} [options]
 */
export const get = (path, options) => api('GET', path, undefined, options);
/**
 * @template {ApiPath | string} P
 * @param {P} path
 * @param {import('../types/client.d.ts').ApiBody<'POST', P>} [body]
 * @param {CallOptions} [options]
 */
export const post = (path, body, options) => api('POST', path, body, options);
/**
 * @template {ApiPath | string} P
 * @param {P} path
 * @param {import('../types/client.d.ts').ApiBody<'PUT', P>} [body]
 * @param {CallOptions} [options]
 */
export const put = (path, body, options) => api('PUT', path, body, options);

/**
 * Query string from an object, skipping empty values.
 * @param {Record<string, unknown>} params
 * @returns {'' | `?${string}`}
 */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    // A list repeats its parameter (ids=a&ids=b), as the API's array parameters read it.
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
