/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked by reading: the
 * services and their order, the variables production requires (demanded with ${VAR:?}, never
 * defaulted), and — by substituting placeholders the way compose does and running the real
 * production configuration check on the result — that every process of the app image would start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { productionProblems } from '../../src/config.ts';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}

const composeText = readFileSync('docker-compose.yml', 'utf8');
// merge: docker compose honours YAML merge keys (<<), which the app-image services use.
const compose: { services: Record<string, Service>; volumes?: Record<string, unknown> } = parse(composeText, {
  merge: true,
});
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** What production refuses to start without (src/config.ts productionProblems): compose must demand each. */
const PLACEHOLDERS = {
  POSTGRES_PASSWORD: 'f3a1c9e07b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d',
  PUBLIC_BASE_URL: 'https://yanbao.example.com',
  COOKIE_SECRET: 'placeholder-cookie-secret-of-at-least-32-chars',
  LINK_SECRET: 'placeholder-link-secret-of-at-least-32-chars',
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  ALIPAY_APP_ID: '2021000000000001',
  ALIPAY_PRIVATE_KEY: 'placeholder-private-key',
  ALIPAY_PUBLIC_KEY: 'placeholder-public-key',
  ALIPAY_SELLER_ID: '2088000000000001',
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tPlaceholder',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'placeholder-access-key-secret',
  ALIYUN_SMS_SIGN_NAME: '延保',
  ALIYUN_SMS_TEMPLATES: 'order_confirmed:SMS_1,order_cancelled:SMS_2,claim_update:SMS_3,lookup_code:SMS_4',
};
const REQUIRED = Object.keys(PLACEHOLDERS);

/** Compose's interpolation: $$, ${VAR}, ${VAR-default}, ${VAR:-default}, ${VAR?message}, ${VAR:?message}. */
const VARIABLE = /\$(?:\$|\{(\w+)(?:(:?[-?])([^}]*))?\})/g;
function interpolate<T>(value: T, vars: Readonly<Record<string, string>>): T {
  if (typeof value === 'string')
    return value.replace(VARIABLE, (match, name: string, operator?: string, argument = '') => {
      if (match === '$$') return '$';
      const current = vars[name];
      const missing = operator?.startsWith(':') ? !current : current === undefined;
      if (operator?.endsWith('?') && missing)
        throw new Error(`required variable ${name} is missing: ${argument}`);
      if (operator?.endsWith('-') && missing) return argument;
      return current ?? '';
    }) as T;
  if (Array.isArray(value)) return value.map((item) => interpolate(item, vars)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  return value;
}

/** The services that run the app image built from this repository. */
const appServices = Object.keys(services).filter((name) => services[name]?.build === '.');

/** The environment a container of the app image gets: the Dockerfile's ENV, then compose's. */
function containerEnvironment(name: string): Record<string, string> {
  const dockerfileEnv = Object.fromEntries(
    [...readFileSync('Dockerfile', 'utf8').matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]),
  );
  return { ...dockerfileEnv, ...interpolate(service(name).environment ?? {}, PLACEHOLDERS) };
}

/** loadConfig() in a fresh Node process that sees exactly the container's environment. */
function loadConfigIn(env: Record<string, string>) {
  const probe = `const { loadConfig } = await import('./src/config.ts');
const c = loadConfig();
console.log(JSON.stringify({ env: c.env, host: c.host, port: c.port, publicBaseUrl: c.publicBaseUrl,
  databaseUrl: c.databaseUrl, temporal: c.temporal, payments: c.payments, payloadKeyId: c.payloadKeys.currentKeyId }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '');
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the Temporal server and UI, the setup jobs, the worker and the web server', () => {
    expect(Object.keys(services).sort()).toEqual([
      'app',
      'migrate',
      'postgres',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
    expect(appServices.sort()).toEqual(['app', 'migrate', 'temporal-setup', 'worker']);
    expect(service('migrate').command).toEqual(['node', 'src/migrate.ts']);
    expect(service('temporal-setup').command).toEqual(['node', 'src/setup-temporal.ts']);
    expect(service('worker').command).toEqual(['node', 'src/worker.ts']);
    expect(service('app').command).toEqual(['node', 'src/server.ts']);
  });

  it('demands every variable production requires with :? (compose then stops, naming it), never a default', () => {
    for (const name of REQUIRED) {
      const uses = [...composeText.matchAll(new RegExp(`\\$\\{${name}([^}]*)\\}`, 'g'))];
      expect(uses.length, name).toBeGreaterThan(0);
      for (const use of uses) expect(use[1], `${name} in ${use[0]}`).toMatch(/^:\?\s*\S/);
    }
    // The whole file with one of them missing: compose stops and names the variable.
    for (const name of REQUIRED) {
      const { [name as keyof typeof PLACEHOLDERS]: _left, ...others } = PLACEHOLDERS;
      expect(() => interpolate(compose, others), name).toThrow(name);
      expect(() => interpolate(compose, { ...others, [name]: '' }), name).toThrow(name);
    }
  });

  it.each(appServices)('gives %s an environment the production configuration accepts', (name) => {
    const env = containerEnvironment(name);
    expect(env.NODE_ENV).toBe('production');
    expect(productionProblems(env)).toEqual([]);

    const config = loadConfigIn(env);
    expect(config.env).toBe('production');
    expect(config.publicBaseUrl).toBe(PLACEHOLDERS.PUBLIC_BASE_URL);
    expect(new URL(config.databaseUrl).hostname).toBe('postgres');
    expect(new URL(config.databaseUrl).password).toBe(PLACEHOLDERS.POSTGRES_PASSWORD);
    expect(config.temporal).toMatchObject({ address: 'temporal:7233', namespace: 'default' });
    expect(config.payments).toEqual({ real: ['alipay'], sandbox: 'off' });
    expect(config.payloadKeyId).toBe('k1');
  });

  it("points the Temporal UI at Yanbao's codec endpoint, with the operator's session cookie", () => {
    const ui = interpolate(service('temporal-ui').environment ?? {}, PLACEHOLDERS);
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`${PLACEHOLDERS.PUBLIC_BASE_URL}/codec`);
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN).toBeUndefined();
  });

  it('has the web server listen on all interfaces at the published port', () => {
    const config = loadConfigIn(containerEnvironment('app'));
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000 });
    expect(service('app').environment?.PORT).toBe('3000');
    expect(service('app').ports).toContain('3000:3000');
  });

  it('starts the worker and the web server only after the migration and the Temporal setup completed', () => {
    for (const name of ['worker', 'app']) {
      expect(service(name).depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-setup': { condition: 'service_completed_successfully' },
      });
    }
    expect(service('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service('temporal-setup').depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(service('temporal').depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(service('temporal-schema').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('runs the Temporal server with PostgreSQL persistence and SQL visibility, prepared by admin-tools', () => {
    const temporal = service('temporal');
    expect(temporal.image).toMatch(/^temporalio\/server:1\.29\.\d+$/);
    expect(temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
      DBNAME: 'temporal',
      VISIBILITY_DBNAME: 'temporal_visibility',
    });
    expect(temporal.environment).not.toHaveProperty('ENABLE_ES');

    const schema = service('temporal-schema');
    expect(schema.image).toMatch(/^temporalio\/admin-tools:1\.29\.\d+(-|$)/);
    expect(schema.environment).toMatchObject({ SQL_PLUGIN: 'postgres12', SQL_HOST: 'postgres' });
    const script = interpolate((schema.command ?? []).join('\n'), PLACEHOLDERS);
    for (const step of ['temporal-sql-tool', 'create-database', 'setup-schema -v 0.0', 'update-schema -d'])
      expect(script).toContain(step);
    // Both databases, each with its own versioned schema directory.
    expect(script).toContain('temporal:temporal temporal_visibility:visibility');
    expect(script).toMatch(/\/etc\/temporal\/schema\/postgresql\/v12\/\$\{db##\*:\}\/versioned/);
  });

  it('checks health with the Temporal CLI and the app’s own /ready, never auto-setup or tctl', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect(svc.image ?? '', name).not.toContain('auto-setup');
      for (const part of [
        ...(svc.healthcheck?.test ?? []),
        ...(svc.command ?? []),
        ...(svc.entrypoint ?? []),
      ])
        expect(part, name).not.toMatch(/\btctl\b/);
    }
    expect(service('temporal').healthcheck?.test.join(' ')).toMatch(
      /^CMD temporal operator cluster health --address temporal:7233$/,
    );
    const appCheck = service('app').healthcheck?.test.join(' ') ?? '';
    expect(appCheck).toContain('http://127.0.0.1:3000/ready');
    expect(readFileSync('src/routes/health.ts', 'utf8')).toContain("'/ready'");
  });

  it('keeps local data, dependencies, tests and secrets out of the image build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['.git', '**/node_modules', '.tools', '.data', 'test', '.env', '.env.*'])
      expect(ignored).toContain(entry);
    // Whatever the Dockerfile copies must reach the build context.
    const copied = [...readFileSync('Dockerfile', 'utf8').matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) =>
      (m[1] ?? '').split(' '),
    );
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'workflows', 'activities', 'web']),
    );
    for (const source of copied) {
      expect(existsSync(source), source).toBe(true);
      expect(
        ignored.some((entry) => source === entry || source.startsWith(`${entry}/`)),
        source,
      ).toBe(false);
    }
  });

  it('only refers to files, services and volumes that exist', () => {
    const names = new Set(Object.keys(services));
    for (const svc of Object.values(services)) {
      for (const dependency of Object.keys(svc.depends_on ?? {})) expect(names).toContain(dependency);
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('./')) expect(existsSync(source), source).toBe(true);
        else expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      for (const part of svc.command ?? []) {
        for (const file of part.match(/src\/[\w/.-]+\.ts/g) ?? []) expect(existsSync(file), file).toBe(true);
      }
    }
    expect(existsSync('Dockerfile')).toBe(true);
  });
});
