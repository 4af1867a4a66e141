import { JSONParser } from '@streamparser/json';
import type { ObjectStore } from '../core/store/index.js';

/**
 * Reads a stored JSON list record by record without holding the list: `onRecord` gets each one as
 * it completes, and `afterPiece` runs (and is awaited) after every piece of the file, so that the
 * caller can write out what it has gathered.
 */
export async function readJsonList<T>(
  store: ObjectStore,
  key: string,
  onRecord: (record: T) => void,
  afterPiece: () => Promise<void>,
): Promise<number> {
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  let records = 0;
  parser.onValue = ({ value }) => {
    records++;
    onRecord(value as T);
  };
  try {
    for await (const bytes of await store.openReadStream(key)) {
      parser.write(bytes as Buffer);
      await afterPiece();
    }
    if (!parser.isEnded) parser.end();
  } catch (err) {
    throw new Error(`${key}: not a readable JSON list after ${records} records`, { cause: err });
  }
  return records;
}
