import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  restart?: string;
  profiles?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * Compose's variable interpolation (`$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR:+alt}`) applied to every string value, as `docker compose config`
 * does. A variable left unset with no default is reported, since compose would quietly use "".
 */
export function interpolate(
  value: unknown,
  vars: Record<string, string>,
  unset: string[],
): unknown {
  if (typeof value === 'string') {
    const pattern = /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_]\w*))/g;
    return value.replace(pattern, (_m, dollar, braced, op, arg, bare) => {
      if (dollar) return '$';
      const name = (braced ?? bare) as string;
      const current = vars[name];
      const empty = current === undefined || (op?.startsWith(':') && current === '');
      switch (op?.replace(':', '')) {
        case '-':
          return empty ? arg : current;
        case '?':
          if (empty) throw new Error(`${name}: ${arg}`);
          return current;
        case '+':
          return empty ? '' : arg;
        default:
          if (current === undefined) unset.push(name);
          return current ?? '';
      }
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars, unset));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, vars, unset)]),
    );
  }
  return value;
}

/** The compose file as compose sees it: anchors merged, variables from `vars` substituted. */
export function loadCompose(
  vars: Record<string, string> = {},
  file = path.join(repoRoot, 'docker-compose.yml'),
): { compose: ComposeFile; unset: string[] } {
  const raw: unknown = parse(readFileSync(file, 'utf8'), { merge: true });
  const unset: string[] = [];
  return { compose: interpolate(raw, vars, unset) as ComposeFile, unset };
}

/**
 * The Compose Specification's JSON Schema as the dclint package ships it (MIT; the schema is
 * the compose-spec project's, Apache-2.0), so the schema is versioned with the lockfile.
 */
export function composeValidator() {
  const dir = path.dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
  const schema = JSON.parse(
    readFileSync(path.join(dir, 'schemas/compose.schema.json'), 'utf8'),
  ) as Record<string, unknown>;
  // It names draft-07 by an https URI that Ajv's bundled meta-schema is not keyed under; draft-07
  // is Ajv's default dialect, so the declaration can go.
  if (schema.$schema !== 'https://json-schema.org/draft-07/schema') {
    throw new Error(`the compose schema changed dialect: ${String(schema.$schema)}`);
  }
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (doc: unknown): string[] =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The services that run the product's own image. */
export function productServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
}

/** Variables the AWS SDK reads from the environment (credentials for the S3 store). */
export const awsVariables = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];

/** Environment variables of product services that neither the product nor the AWS SDK reads. */
export function unknownVariables(compose: ComposeFile, known: readonly string[]): string[] {
  return productServices(compose).flatMap(([name, service]) =>
    Object.keys(service.environment ?? {})
      .filter((key) => !known.includes(key) && !awsVariables.includes(key))
      .map((key) => `${name}: ${key}`),
  );
}
