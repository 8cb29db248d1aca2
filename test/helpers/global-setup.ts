/**
 * Starts what the integration tier shares, once: the real Temporal dev server
 * (the CLI binary the setup script built, never a download), a template
 * database migrated and seeded, and the workflow bundle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { WORKFLOWS_PATH } from '../../src/temporal/worker-factory.ts';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { createTemplateDatabase } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    templateDatabase: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const temporalCli = process.env.TEMPORAL_CLI_PATH;
  if (!temporalCli) throw new Error('TEMPORAL_CLI_PATH is not set: run the tests with scripts/test');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCli },
      ip: '127.0.0.1',
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
    },
  });

  let template: Awaited<ReturnType<typeof createTemplateDatabase>> | undefined;
  const teardown = async () => {
    await env.teardown();
    await template?.drop();
  };
  try {
    template = await createTemplateDatabase('integration');

    mkdirSync('test/.artifacts', { recursive: true });
    const workflowBundlePath = `test/.artifacts/workflow-bundle-${process.pid}.js`;
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });
    writeFileSync(workflowBundlePath, code);

    project.provide('temporalAddress', env.address);
    project.provide('templateDatabase', template.name);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
