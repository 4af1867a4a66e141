import { prefixes } from '../../core/keys.js';

/**
 * Object keys of the splunk input step (DESIGN.md section 4). An input's name is its key below
 * `splunk_input/input/` without `.gz`, `.json` or `.jsonl`, so `splunk_input/input/day1.json.gz`
 * becomes `input/day1.json` and folders below the prefix are kept.
 */
export function splunkInputName(inputKey: string): string {
  const relative = inputKey.startsWith(prefixes.splunkInput)
    ? inputKey.slice(prefixes.splunkInput.length)
    : inputKey.slice(inputKey.lastIndexOf('/') + 1);
  const name = relative.replace(/\.gz$/i, '').replace(/\.(json|jsonl|ndjson)$/i, '');
  if (!name) throw new Error(`${inputKey}: no input name left once the extension is removed`);
  return name;
}

const pad = (n: number): string => String(n).padStart(5, '0');

export function splunkInputKeys(inputName: string) {
  const scratch = `splunk_input/scratch/${inputName}`;
  const failed = `splunk_input/scratch/transformed_failed/${inputName}`;
  return {
    chunkPrefix: `${scratch}/chunks/`,
    chunk: (n: number) => `${scratch}/chunks/chunk-${pad(n)}.json`,
    transformed: (n: number) => `${scratch}/transformed/chunk-${pad(n)}.json`,
    failedPrefix: `${failed}/`,
    /** Records the splitter could not read as JSON objects. */
    failedSplit: `${failed}/split.json`,
    failedChunk: (n: number) => `${failed}/chunk-${pad(n)}.json`,
    /** An oversized record's bytes, verbatim: too big to embed, too important to drop. */
    failedRecordBytes: (index: number) => `${failed}/record-${pad(index)}.bin`,
    merged: `${prefixes.input}${inputName}.json`,
  };
}
