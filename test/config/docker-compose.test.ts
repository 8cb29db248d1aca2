/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked by
 * reading: valid YAML, the services the design card names, and wiring that
 * points each part at the others.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// merge: docker compose honours YAML merge keys (<<), which the app service uses.
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true });

describe('docker-compose.yml', () => {
  it('describes PostgreSQL, Temporal with its UI, the app and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'app',
      'postgres',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
  });

  it('wires the app and the worker to the database and Temporal by service name', () => {
    for (const name of ['app', 'worker']) {
      const env = compose.services[name].environment;
      expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(compose.services[name].build).toBe('.');
    }
    expect(compose.services.app.ports).toContain('3000:3000');
    expect(compose.services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(compose.services.temporal.environment.POSTGRES_SEEDS).toBe('postgres');
  });

  it('only refers to files and services that exist', () => {
    const services = new Set(Object.keys(compose.services));
    for (const service of Object.values(compose.services) as {
      depends_on?: string[] | Record<string, unknown>;
      command?: string[];
      volumes?: string[];
    }[]) {
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(services).toContain(dependency);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('./')) expect(existsSync(source), source).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
      for (const part of service.command ?? []) {
        for (const file of part.match(/src\/[\w/.-]+\.ts/g) ?? []) expect(existsSync(file), file).toBe(true);
      }
    }
    expect(existsSync('Dockerfile')).toBe(true);
  });
});
