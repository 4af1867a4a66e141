import { Worker, NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
const address = '127.0.0.1:7412';
const nc = await NativeConnection.connect({ address });
const bundle = await bundleWorkflowCode({ workflowsPath: new URL('./wf.mjs', import.meta.url).pathname });
const same = process.argv[2] === 'same';
const w1 = await Worker.create({ connection: nc, taskQueue: 'lat-wf', workflowBundle: bundle, activities: { noop: async () => 1 } });
const w2 = await Worker.create({ connection: nc, taskQueue: 'lat-act', activities: { noop: async () => 1 } });
const client = new Client({ connection: await Connection.connect({ address }) });
await w2.runUntil(w1.runUntil(async () => {
  const t = performance.now();
  await client.workflow.execute('loop', { taskQueue: 'lat-wf', workflowId: 'lat-' + Date.now(), args: [100, same ? 'lat-wf' : 'lat-act'] });
  console.log(same ? 'same queue' : 'separate queue', ((performance.now() - t) / 100).toFixed(1), 'ms per activity');
}));
