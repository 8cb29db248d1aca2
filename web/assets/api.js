/**
 * The one way pages talk to /api/v1: JSON in and out, the session cookie,
 * a CSRF token on every write (fetched once per page, refreshed once if the
 * server no longer accepts it), typed errors, and 401 → the login page.
 */

import { getLang } from './i18n.js';

export class ApiError extends Error {
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

let csrfToken = null;

export async function refreshCsrf() {
  const response = await fetch('/api/v1/auth/csrf', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new ApiError(response.status, await bodyOf(response));
  csrfToken = (await response.json()).token;
  return csrfToken;
}

/** A new session means a new token: call after login, signup and logout. */
export function forgetCsrf() {
  csrfToken = null;
}

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

/** Only portal paths are accepted as a place to go back to after login. */
export function safeNext(next) {
  return typeof next === 'string' && /^\/portal\/[\w\-./?=&%]*$/.test(next) && !next.includes('//')
    ? next
    : '/portal/';
}

/**
 * Calls the API. `options.anonymous` skips the CSRF token (login, signup);
 * `options.keep401` hands a 401 to the caller instead of going to the login page.
 */
export async function api(method, path, body, options = {}) {
  const write = method !== 'GET' && method !== 'HEAD';
  const send = async () => {
    // The API words its errors in the page's language.
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

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
export const put = (path, body, options) => api('PUT', path, body, options);

/** Query string from an object, skipping empty values. */
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
