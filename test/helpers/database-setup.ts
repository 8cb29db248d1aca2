/**
 * globalSetup of the services tier: only the migrated, seeded template
 * database (no Temporal, no workflow bundle), for service logic that runs no
 * workflow.
 */
import type { TestProject } from 'vitest/node';
import { createTemplateDatabase } from './database.ts';

export default async function setup(project: TestProject) {
  const template = await createTemplateDatabase('services');
  project.provide('templateDatabase', template.name);
  return template.drop;
}
