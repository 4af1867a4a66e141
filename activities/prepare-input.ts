import { log } from '@temporalio/activity';
import { inputFileSchema, nodeFeatureSchema, type RejectedRecord } from '../core/formats.js';
import { badInput, failureTypes } from '../core/failures.js';
import { modelInputKey, runKeys, techniqueLookupKey } from '../core/keys.js';
import { getJson, putJson } from '../core/store/index.js';
import type { ActivityDeps } from './deps.js';
import { sanitiseAlerts } from './sanitise.js';

export interface PrepareInputArgs {
  run: string;
  inputKey: string;
  chunkSize: number;
}

export interface PreparedInput {
  alerts: number;
  rejected: number;
  rejectedKey: string;
  chunks: number;
  /** Per chunk: the technique model's input key, or null when every name was already known. */
  techniqueInputs: (string | null)[];
  lookupHits: number;
}

export type TechniqueLookup = Record<string, string[]>;

/**
 * The "enrich with technique" step: reads an internal-format file, sanitises it, keeps the id
 * mappings, splits it into chunks and prepares one technique-model input per chunk for the names
 * the lookup table does not know.
 */
export function makePrepareInput({ store, config }: ActivityDeps) {
  return async function prepareInput(args: PrepareInputArgs): Promise<PreparedInput> {
    const keys = runKeys(args.run);
    const parsed = parseInputFile(
      args.inputKey,
      await store.get(args.inputKey),
      config.maxInputBytes,
    );
    const { alerts, rejected } = sanitiseAlerts(args.inputKey, parsed.records);
    rejected.push(...parsed.rejected);
    const lookup = (await store.getIfExists(techniqueLookupKey))
      ? await getJson<TechniqueLookup>(store, techniqueLookupKey)
      : {};

    await putJson(store, keys.rejected, rejected);
    await putJson(
      store,
      keys.idMap,
      alerts.map((a) => a.id),
    );
    await putJson(store, keys.nodeFeature, parsed.nodeFeature);

    const chunkMap: Record<string, [number, number]> = {};
    const techniqueInputs: (string | null)[] = [];
    let lookupHits = 0;
    for (let n = 0, start = 0; start < alerts.length; n++, start += args.chunkSize) {
      const chunk = alerts.slice(start, start + args.chunkSize);
      chunkMap[String(n)] = [chunk[0]!.i, chunk[chunk.length - 1]!.i];
      const unknownNames = new Set<string>();
      for (const alert of chunk) {
        const known = lookup[alert.name];
        if (known && known.length > 0) {
          alert.tech = [...new Set([...alert.tech, ...known])];
          lookupHits++;
        } else if (alert.tech.length === 0) {
          unknownNames.add(alert.name);
        }
      }
      await putJson(store, keys.chunk(n), chunk);
      if (unknownNames.size === 0) {
        techniqueInputs.push(null);
      } else {
        const inputKey = modelInputKey(keys.techniqueInputPrefix(n));
        await putJson(store, inputKey, { names: [...unknownNames].sort() });
        techniqueInputs.push(inputKey);
      }
      log.info('chunk prepared', {
        run: args.run,
        chunk: n,
        alerts: chunk.length,
        namesToClassify: unknownNames.size,
      });
    }
    await putJson(store, keys.chunkMap, chunkMap);
    log.info('input sanitised', {
      run: args.run,
      inputKey: args.inputKey,
      alerts: alerts.length,
      rejected: rejected.length,
      chunks: techniqueInputs.length,
    });
    return {
      alerts: alerts.length,
      rejected: rejected.length,
      rejectedKey: keys.rejected,
      chunks: techniqueInputs.length,
      techniqueInputs,
      lookupHits,
    };
  };
}

interface ParsedInputFile {
  records: unknown[];
  nodeFeature: Record<string, Record<string, unknown>>;
  rejected: RejectedRecord[];
}

/** Whole-file problems end the run with a non-retryable failure naming the file. */
export function parseInputFile(key: string, body: Buffer, maxBytes: number): ParsedInputFile {
  if (body.length > maxBytes) {
    throw badInput(
      failureTypes.inputTooLarge,
      `${key}: ${body.length} bytes is over MAX_INPUT_BYTES (${maxBytes})`,
      {
        key,
        bytes: body.length,
      },
    );
  }
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw badInput(failureTypes.invalidInputFile, `${key}: the file is empty`, { key });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw badInput(
      failureTypes.invalidInputFile,
      `${key}: not valid JSON (${(err as Error).message})`,
      {
        key,
      },
    );
  }
  if (Array.isArray(json)) return { records: json, nodeFeature: {}, rejected: [] };
  // node_feature is checked host by host below: one bad host must not reject the whole file.
  const file = inputFileSchema.pick({ input: true }).safeParse(json);
  if (!file.success) {
    const issue = file.error.issues[0]!;
    throw badInput(
      failureTypes.invalidInputFile,
      `${key}: field "${issue.path.join('.') || '(root)'}": ${issue.message}; ` +
        'expected {"input": [...]}',
      { key, field: issue.path.join('.') },
    );
  }
  return {
    records: file.data.input,
    ...sanitiseNodeFeatures(key, (json as { node_feature?: unknown }).node_feature),
  };
}

function sanitiseNodeFeatures(
  key: string,
  raw: unknown,
): Pick<ParsedInputFile, 'nodeFeature' | 'rejected'> {
  if (raw === undefined || raw === null) return { nodeFeature: {}, rejected: [] };
  const whole = nodeFeatureSchema.safeParse(raw);
  if (whole.success) return { nodeFeature: whole.data, rejected: [] };
  const nodeFeature: Record<string, Record<string, unknown>> = {};
  const rejected: RejectedRecord[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    rejected.push({
      file: key,
      index: -1,
      field: 'node_feature',
      reason: 'expected an object of hosts',
      record: raw,
    });
    return { nodeFeature, rejected };
  }
  for (const [host, features] of Object.entries(raw as Record<string, unknown>)) {
    if (features && typeof features === 'object' && !Array.isArray(features)) {
      nodeFeature[host] = features as Record<string, unknown>;
    } else {
      rejected.push({
        file: key,
        index: -1,
        field: `node_feature.${host}`,
        reason: 'expected an object of feature names to values',
        record: features,
      });
    }
  }
  return { nodeFeature, rejected };
}
