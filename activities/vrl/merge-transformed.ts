import type { ObjectStore } from '../../core/store/index.js';
import { splunkInputKeys } from './keys.js';

export interface MergeTransformedInput {
  inputName: string;
  /** The transformed chunks, in chunk order. */
  outputKeys: string[];
}

export interface MergeTransformedResult {
  /** `input/<name>.json`: writing it starts the normal run. */
  inputKey: string;
  alerts: number;
}

/**
 * Joins the transformed chunks into one internal-format file, `{"input": [...]}`, splicing each
 * chunk's text in as it was written rather than re-serialising it.
 */
export async function mergeTransformed(
  store: ObjectStore,
  input: MergeTransformedInput,
): Promise<MergeTransformedResult> {
  const inputKey = splunkInputKeys(input.inputName).merged;
  const parts: Buffer[] = [Buffer.from('{"input":[')];
  let alerts = 0;
  for (const key of input.outputKeys) {
    const text = (await store.get(key)).toString('utf8').trim();
    const chunk: unknown = JSON.parse(text);
    if (!Array.isArray(chunk)) throw new Error(`${key}: a transformed chunk must be a JSON array`);
    if (chunk.length === 0) continue;
    if (alerts > 0) parts.push(Buffer.from(','));
    parts.push(Buffer.from(text.slice(1, -1)));
    alerts += chunk.length;
  }
  parts.push(Buffer.from(']}'));
  await store.put(inputKey, Buffer.concat(parts));
  return { inputKey, alerts };
}
