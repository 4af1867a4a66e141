import { proxyActivities } from '@temporalio/workflow';
export async function loop(n, queue) {
  const { noop } = proxyActivities({ startToCloseTimeout: '10s', taskQueue: queue });
  for (let i = 0; i < n; i++) await noop(i);
}
