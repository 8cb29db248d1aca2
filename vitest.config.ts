import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three tiers: fast unit tests for pure rules and documents, service tests on
 * PostgreSQL alone (a migrated, seeded template database from globalSetup), and
 * integration tests (HTTP via inject, workflows, browser) that share one
 * Temporal dev server and such a template.
 * The R1 fault test, the shutdown test and the topology test start (and kill) their own processes,
 * so they need neither.
 */
/** Tests that start (and kill) their own PostgreSQL, Temporal, worker and web server processes. */
const OWN_PROCESSES = ['test/faults/r1-*.test.ts', 'test/faults/shutdown.test.ts'];

/**
 * Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine,
 * so every file waited for the one before it while most of their time went to waiting on
 * PostgreSQL, Temporal and timers. Two workers share the shared-server projects (one group: the
 * same maxWorkers); each file still has its own database and task queue. The projects that
 * start and kill their own processes come after, one file at a time, as before.
 */
const SHARED_WORKERS = 2;
/** Sets up OpenTelemetry, whose instrumentation patches http and fastify as they load: needs fresh modules. */
const TRACED = ['test/workflows/tracing.test.ts'];
/**
 * Files of these projects run one after another in a reused worker, keeping the modules it has
 * loaded: importing the app, the ORM and the Temporal SDK afresh for every file was most of the
 * CPU time. Every file still makes its own database, app and worker, and no test mocks modules.
 */
const REUSE_MODULES = { isolate: false };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          maxWorkers: SHARED_WORKERS,
          ...REUSE_MODULES,
          include: [
            'test/domain/**/*.test.ts',
            'test/i18n/**/*.test.ts',
            'test/services/**/*.test.ts',
            'test/documents/**/*.test.ts',
            'test/config/**/*.test.ts',
            'test/payments/*.test.ts',
            'test/temporal/*.test.ts',
            'test/openapi/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, 'test/services/**/*.db.test.ts'],
        },
      },
      {
        test: {
          // Service logic without a workflow, on PostgreSQL (a database per file from the template), no Temporal.
          name: 'services',
          maxWorkers: SHARED_WORKERS,
          ...REUSE_MODULES,
          include: ['test/services/**/*.db.test.ts'],
          globalSetup: ['test/helpers/template-database.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          maxWorkers: SHARED_WORKERS,
          ...REUSE_MODULES,
          include: [
            'test/routes/**/*.test.ts',
            'test/workflows/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/payments/integration/**/*.test.ts',
            'test/notifications/**/*.test.ts',
            'test/faults/**/*.test.ts',
          ],
          // R1 and the shutdown tests run their own processes (database, Temporal, worker, web): the faults project below.
          exclude: [...configDefaults.exclude, ...OWN_PROCESSES, ...TRACED],
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/quiet-temporal.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'traced',
          maxWorkers: SHARED_WORKERS,
          include: TRACED,
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/quiet-temporal.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'faults',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          include: OWN_PROCESSES,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // The production topology (scripts/cluster): real Temporal server, two workers, two web processes.
          name: 'topology',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          include: ['test/topology/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
