import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two tiers: fast unit tests for pure rules and documents, and integration
 * tests (HTTP via inject, workflows, browser) that share one Temporal dev
 * server and a migrated, seeded template database started in globalSetup.
 * The R1 fault test starts (and kills) its own processes, so it needs neither.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'test/domain/**/*.test.ts',
            'test/services/**/*.test.ts',
            'test/documents/**/*.test.ts',
            'test/config/**/*.test.ts',
            'test/payments/*.test.ts',
            'test/temporal/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/routes/**/*.test.ts',
            'test/workflows/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/payments/integration/**/*.test.ts',
            'test/notifications/**/*.test.ts',
            'test/faults/**/*.test.ts',
          ],
          // R1 runs its own processes (database, Temporal, worker, web): the faults project below.
          exclude: [...configDefaults.exclude, 'test/faults/r1-*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/quiet-temporal.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/r1-*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
