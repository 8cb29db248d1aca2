/**
 * globalSetup of the tiers that need PostgreSQL: one migrated, seeded template
 * database per project and run, which each test file clones (createTestDatabase).
 * The services project needs only this; the integration project adds Temporal.
 */
import type { TestProject } from 'vitest/node';
import { createTemplateDatabase } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export default async function provideTemplateDatabase(project: TestProject) {
  // Named by project too: projects of one run share the process id.
  const name = `yanbao_test_template_${project.name}_${process.pid}`;
  const drop = await createTemplateDatabase(name);
  project.provide('templateDatabase', name);
  return drop;
}
