import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Written by `npm run build` next to the compiled workflows, so workers start without webpack. */
const prebuiltBundle = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

/**
 * The workflow code's entry: compiled JavaScript when running from dist/, TypeScript source when
 * running from the tests.
 */
export function workflowsEntry(): string {
  const compiled = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
  if (existsSync(compiled)) return compiled;
  return fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
}

/**
 * The workflow code as one bundle. Source files import each other with `.js` paths (ESM), so the
 * bundler is told to look for the `.ts` file first when it runs from source.
 */
export async function bundlePipelineWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: workflowsEntry(),
    logger: {
      trace() {},
      debug() {},
      info() {},
      warn: console.warn,
      error: console.error,
      log() {},
    },
    webpackConfigHook: (config) => {
      config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
      return config;
    },
  });
}

/** The prebuilt bundle when this is a build that has one, a fresh bundle otherwise. */
export async function loadPipelineWorkflows(): Promise<{ code: string }> {
  if (workflowsEntry().endsWith('.js') && existsSync(prebuiltBundle)) {
    return { code: readFileSync(prebuiltBundle, 'utf8') };
  }
  return bundlePipelineWorkflows();
}

/** `node dist/workers/bundle.js`: writes the prebuilt bundle (part of `npm run build`). */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { code } = await bundlePipelineWorkflows();
  await writeFile(prebuiltBundle, code);
  console.log(
    `workflow bundle written to ${prebuiltBundle} (${(code.length / 1024).toFixed(0)} KiB)`,
  );
}
