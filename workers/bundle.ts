import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/**
 * The workflow code as one bundle. Source files import each other with `.js` paths (ESM), so the
 * bundler is told to look for the `.ts` file first when it runs from source (tests).
 */
export function workflowsEntry(): string {
  const compiled = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
  if (existsSync(compiled)) return compiled;
  return fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
}

export async function bundlePipelineWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: workflowsEntry(),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
    webpackConfigHook: (config) => {
      config.resolve = {
        ...config.resolve,
        extensionAlias: { '.js': ['.ts', '.js'] },
      };
      return config;
    },
  });
}
