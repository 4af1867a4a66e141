// Bundles the S3-triggered starter into one ESM file for the Node.js Lambda runtime
// (handler: index.handler). Everything is bundled, the AWS SDK included, so the function does not
// depend on the SDK version the runtime happens to carry.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'lambda');

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  entryPoints: [path.join(root, 'starters', 'lambda.ts')],
  outfile: path.join(outdir, 'index.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies (gRPC, protobuf) call require() for Node built-ins; ESM has none.
  banner: {
    js:
      "import { createRequire as __createRequire } from 'node:module';\n" +
      'const require = __createRequire(import.meta.url);',
  },
});
await writeFile(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
const bytes = result.metafile.outputs[path.relative(root, path.join(outdir, 'index.mjs'))]?.bytes;
process.stdout.write(`built ${path.relative(root, outdir)}/index.mjs (${bytes ?? '?'} bytes)\n`);
