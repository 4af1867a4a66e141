import { heartbeat, log } from '@temporalio/activity';
import type { Alert, RejectedRecord } from '../core/formats.js';
import { badInput, failureTypes } from '../core/failures.js';
import { modelInputKey, runKeys, techniqueLookupKey } from '../core/keys.js';
import { getJson, ObjectNotFoundError, putJson, type ObjectStore } from '../core/store/index.js';
import type { ActivityDeps } from './deps.js';
import { createInputFileReader, readWholeInputFile } from './input-file-reader.js';
import { sanitiseAlerts, type SanitiseProgress } from './sanitise.js';

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
 * The "enrich with technique" step: reads an internal-format file as a stream, sanitises it
 * record by record, keeps the id mappings, writes each chunk as soon as it is full and prepares
 * one technique-model input per chunk for the names the lookup table does not know.
 */
export function makePrepareInput({ store, config }: ActivityDeps) {
  return async function prepareInput(args: PrepareInputArgs): Promise<PreparedInput> {
    const keys = runKeys(args.run);
    await checkInputSize(store, args.inputKey, config.maxInputBytes);
    const lookup = (await store.getIfExists(techniqueLookupKey))
      ? await getJson<TechniqueLookup>(store, techniqueLookupKey)
      : {};
    const chunks = new ChunkWriter(store, args.run, args.chunkSize, lookup);
    const rejected: RejectedRecord[] = [];
    const ids: string[] = [];
    const progress: SanitiseProgress = { seen: new Set(), accepted: 0 };
    let pending: unknown[] = [];
    let recordsRead = 0;
    const sanitisePending = async (): Promise<void> => {
      const sanitised = sanitiseAlerts(args.inputKey, pending, recordsRead, progress);
      recordsRead += pending.length;
      pending = [];
      rejected.push(...sanitised.rejected);
      for (const alert of sanitised.alerts) {
        ids.push(alert.id);
        await chunks.add(alert);
      }
    };

    const reader = createInputFileReader(args.inputKey, config.maxInputBytes, (record) =>
      pending.push(record),
    );
    for await (const bytes of await store.openReadStream(args.inputKey)) {
      reader.write(bytes as Buffer);
      await sanitisePending();
      heartbeat({ records: recordsRead });
    }
    const end = reader.end();
    await sanitisePending();
    await chunks.finish();
    rejected.push(...end.rejected);

    await putJson(store, keys.rejected, rejected);
    await putJson(store, keys.idMap, ids);
    await putJson(store, keys.nodeFeature, end.nodeFeature);
    await putJson(store, keys.chunkMap, chunks.chunkMap);
    log.info('input sanitised', {
      run: args.run,
      inputKey: args.inputKey,
      alerts: ids.length,
      rejected: rejected.length,
      chunks: chunks.techniqueInputs.length,
    });
    return {
      alerts: ids.length,
      rejected: rejected.length,
      rejectedKey: keys.rejected,
      chunks: chunks.techniqueInputs.length,
      techniqueInputs: chunks.techniqueInputs,
      lookupHits: chunks.lookupHits,
    };
  };
}

/** Fills chunks of sanitised alerts and writes each one, with its technique input, when full. */
class ChunkWriter {
  readonly chunkMap: Record<string, [number, number]> = {};
  readonly techniqueInputs: (string | null)[] = [];
  lookupHits = 0;
  private current: Alert[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly run: string,
    private readonly chunkSize: number,
    private readonly lookup: TechniqueLookup,
  ) {}

  async add(alert: Alert): Promise<void> {
    this.current.push(alert);
    if (this.current.length >= this.chunkSize) await this.flush();
  }

  async finish(): Promise<void> {
    if (this.current.length > 0) await this.flush();
  }

  private async flush(): Promise<void> {
    const keys = runKeys(this.run);
    const chunk = this.current;
    this.current = [];
    const n = this.techniqueInputs.length;
    this.chunkMap[String(n)] = [chunk[0]!.i, chunk[chunk.length - 1]!.i];
    const unknownNames = new Set<string>();
    for (const alert of chunk) {
      const known = this.lookup[alert.name];
      if (known && known.length > 0) {
        alert.tech = [...new Set([...alert.tech, ...known])];
        this.lookupHits++;
      } else if (alert.tech.length === 0) {
        unknownNames.add(alert.name);
      }
    }
    await putJson(this.store, keys.chunk(n), chunk);
    if (unknownNames.size === 0) {
      this.techniqueInputs.push(null);
    } else {
      const inputKey = modelInputKey(keys.techniqueInputPrefix(n));
      await putJson(this.store, inputKey, { names: [...unknownNames].sort() });
      this.techniqueInputs.push(inputKey);
    }
    log.info('chunk prepared', {
      run: this.run,
      chunk: n,
      alerts: chunk.length,
      namesToClassify: unknownNames.size,
    });
  }
}

/** A file over the limit fails before a byte of it is parsed. */
async function checkInputSize(store: ObjectStore, key: string, maxBytes: number): Promise<void> {
  const head = await store.head(key);
  if (!head) throw new ObjectNotFoundError(key, store.location);
  if (head.size > maxBytes) {
    throw badInput(
      failureTypes.inputTooLarge,
      `${key}: ${head.size} bytes is over MAX_INPUT_BYTES (${maxBytes})`,
      { key, bytes: head.size },
    );
  }
}

export interface ParsedInputFile {
  records: unknown[];
  nodeFeature: Record<string, Record<string, unknown>>;
  rejected: RejectedRecord[];
}

/** A whole file already in memory, read exactly as the streamed step reads it. */
export function parseInputFile(key: string, body: Buffer, maxBytes: number): ParsedInputFile {
  return readWholeInputFile(key, body, maxBytes);
}
