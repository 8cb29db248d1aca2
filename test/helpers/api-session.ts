/**
 * A browser-like API user over app.inject: keeps cookies, fetches a CSRF token
 * after login and sends it on writes, like the web pages do.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { usccCheckCharacter } from '../../src/domain/uscc.ts';

export class ApiSession {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  private readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await this.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
    });
    this.remember(response);
    return response;
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async refreshCsrf(): Promise<string> {
    const response = await this.request('GET', '/api/v1/auth/csrf');
    if (response.statusCode !== 200) throw new Error(`csrf: ${response.statusCode} ${response.body}`);
    this.csrf = response.json().token;
    return this.csrf as string;
  }

  async login(email: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.request('POST', '/api/v1/auth/login', { email, password });
    if (response.statusCode === 200) await this.refreshCsrf();
    return response;
  }
}

let counter = 0;
/** A valid unified social credit code, different on every call. */
export function makeUscc(): string {
  const body = `91310000${String(process.pid % 1e3).padStart(3, '0')}${String(Date.now() % 1e3).padStart(3, '0')}${String(counter++ % 1000).padStart(3, '0')}`;
  return body + usccCheckCharacter(body);
}

export async function signUp(app: FastifyInstance, name = 'Test') {
  const session = new ApiSession(app);
  const tag = Math.random().toString(36).slice(2, 8);
  const email = `admin-${tag}@${name.toLowerCase().replace(/\W/g, '')}.example`;
  const password = 'correct horse battery';
  const response = await session.request('POST', '/api/v1/auth/signup', {
    company: {
      name: `${name} 电器有限公司`,
      usccCode: makeUscc(),
      contactName: '王经理',
      contactPhone: '13812345678',
      email: `contact-${tag}@example.com`,
    },
    user: { displayName: `${name} Admin`, email, password },
  });
  if (response.statusCode !== 201) throw new Error(`signup: ${response.statusCode} ${response.body}`);
  await session.refreshCsrf();
  return { session, email, password, me: response.json() };
}
