/**
 * A browser-like client over real HTTPS to the cluster's load balancer: trusts the cluster's
 * self-signed certificate, keeps cookies, sends the CSRF token on writes once it has one (as the
 * web pages do), posts HTML forms, and never follows redirects (the caller checks them).
 */
import https from 'node:https';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  private readonly origin: string;
  private readonly agent: https.Agent;

  constructor(origin: string, ca: Buffer) {
    this.origin = origin;
    this.agent = new https.Agent({ ca, keepAlive: true });
  }

  /** JSON (or no) body, like the API's own pages send it. */
  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> {
    return this.send(
      method,
      path,
      body === undefined ? null : { type: 'application/json', payload: JSON.stringify(body) },
    );
  }

  /** An HTML form's POST (urlencoded), as a browser sends the checkout page's Pay button. */
  submitForm(path: string, fields: Record<string, string> = {}): Promise<Answer> {
    return this.send('POST', path, {
      type: 'application/x-www-form-urlencoded',
      payload: new URLSearchParams(fields).toString(),
    });
  }

  async refreshCsrf(): Promise<void> {
    const answer = await this.request('GET', '/api/v1/auth/csrf');
    if (answer.status !== 200) throw new Error(`csrf: ${answer.status} ${answer.text}`);
    this.csrf = answer.json<{ token: string }>().token;
  }

  async login(email: string, password: string): Promise<void> {
    const answer = await this.request('POST', '/api/v1/auth/login', { email, password });
    if (answer.status !== 200) throw new Error(`login ${email}: ${answer.status} ${answer.text}`);
    await this.refreshCsrf();
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    path: string,
    body: { type: string; payload: string } | null,
  ): Promise<Answer> {
    const url = new URL(path, this.origin);
    const headers: Record<string, string> = { accept: 'application/json, text/html' };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body) {
      headers['content-type'] = body.type;
      headers['content-length'] = String(Buffer.byteLength(body.payload));
    }
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        { method, headers, agent: this.agent, signal: AbortSignal.timeout(30_000) },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => {
            this.remember(response.headers['set-cookie'] ?? []);
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text,
              json: <T>() => JSON.parse(text) as T,
            });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body?.payload);
    });
  }

  private remember(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!name) continue;
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
