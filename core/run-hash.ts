import { createHash } from 'node:crypto';

/**
 * What identifies one run: the object's key and its content. The same object never runs twice,
 * while the same bytes under two keys (input/a/x.json, input/b/x.json) are two runs.
 */
export function runHash(key: string, content: Buffer): string {
  return createHash('sha256').update(key).update('\0').update(content).digest('hex');
}
