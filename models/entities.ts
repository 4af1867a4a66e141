/**
 * SIEM exports fill absent hosts with placeholders; linking on them would chain unrelated alerts
 * into one giant cluster. Loopback names are dropped too: every host has its own localhost.
 */
const placeholders = new Set([
  '',
  '-',
  '--',
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'undefined',
  'unknown',
  'nan',
  '0.0.0.0',
  '::',
  '127.0.0.1',
  '::1',
  'localhost',
]);

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a name is the host's own loopback: it names the reporting machine, whichever it is. */
export function isLoopback(raw: string): boolean {
  return loopback.has(raw.trim().toLowerCase());
}

/** The linking key of an entity (host names and addresses compare case-insensitively). */
export function entityKey(raw: string): string | undefined {
  const key = raw.trim().toLowerCase();
  return placeholders.has(key) ? undefined : key;
}

/** The distinct real entities among the given names, in first-seen order. */
export function entityKeys(names: Iterable<string>): string[] {
  const keys = new Set<string>();
  for (const name of names) {
    const key = entityKey(name);
    if (key !== undefined) keys.add(key);
  }
  return [...keys];
}
