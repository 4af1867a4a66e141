import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, settingNames } from '../../core/config.js';
import { customSearchAttributes } from '../../core/search-attributes.js';
import {
  composeValidator,
  loadCompose,
  productServices,
  repoRoot,
  unknownVariables,
  type ComposeFile,
} from './compose-file.js';

const { compose, unset } = loadCompose();
const validate = composeValidator();
const oneShots = ['temporal-setup', 'minio-setup'];

describe('docker-compose.yml', () => {
  it('follows the Compose Specification, with every variable given a default', () => {
    expect(validate(compose)).toEqual([]);
    expect(unset).toEqual([]);
  });

  it('is checked strictly enough to catch a broken file', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, object> };
    broken.services.worker = { ...broken.services.worker, ports: '7233', stop_grace_period: 45 };
    expect(validate(broken).join('\n')).toMatch(/ports.*must be array/);
    const unknown = structuredClone(compose);
    unknown.services.worker!.environment!.TEMPORAL_HOST = 'temporal';
    expect(unknownVariables(unknown, settingNames)).toEqual(['worker: TEMPORAL_HOST']);
  });

  it('runs the worker, the watcher and the campaign UI from the product image', () => {
    expect(
      productServices(compose)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['ui', 'watcher', 'worker']);
    expect(existsSync(path.join(repoRoot, 'ui/server.ts'))).toBe(true);
  });

  it('serves the campaign UI on its published port, with the token only from the environment', () => {
    const token = 'a-token-from-the-env-file-0123';
    const cases: Record<string, string>[] = [
      { UI_TOKEN: token },
      { UI_TOKEN: token, UI_PORT: '9443' },
    ];
    for (const vars of cases) {
      const ui = loadCompose(vars).compose.services.ui!;
      const config = loadConfig(ui.environment ?? {});
      const port = vars.UI_PORT ?? '8090';
      // Listening on every interface of the container, on the port compose publishes.
      expect(config.ui).toEqual({ host: '0.0.0.0', port: Number(port), token });
      expect(ui.ports).toEqual([`${port}:${port}`]);
      expect(ui.command).toEqual(['node', 'dist/starters/cli.js', 'ui']);
      expect(String(ui.healthcheck?.test)).toContain('/login');
    }
    // No token in the file: without one in .env the UI stays off rather than open.
    expect(loadConfig(compose.services.ui!.environment ?? {}).ui.token).toBeUndefined();
    expect(compose.services.worker?.environment?.UI_TOKEN).toBeUndefined();
  });

  it('sets only variables the settings schema (or the AWS SDK) knows', () => {
    expect(unknownVariables(compose, settingNames)).toEqual([]);
  });

  it('gives each product service settings that load, for an external Temporal and S3', () => {
    const overrides: Record<string, string>[] = [
      {},
      { S3_BUCKET: 'soc-alerts', TASK_QUEUE: 'alerts-eu', LOG_LEVEL: 'debug' },
    ];
    for (const vars of overrides) {
      const withVars = loadCompose(vars).compose;
      for (const [name, service] of productServices(withVars)) {
        const config = loadConfig(service.environment ?? {});
        expect(config.temporal.address, name).toBe('temporal:7233');
        expect(config.store, name).toMatchObject({
          kind: 's3',
          bucket: vars.S3_BUCKET ?? 'alert-pipeline',
          endpoint: 'http://minio:9000',
          forcePathStyle: true,
        });
        expect(config.temporal.taskQueue, name).toBe(vars.TASK_QUEUE ?? 'alert-pipeline');
      }
    }
    const bucket = (c: ComposeFile) => c.services['minio-setup']?.environment?.BUCKET;
    expect(bucket(loadCompose({ S3_BUCKET: 'soc-alerts' }).compose)).toBe('soc-alerts');
  });

  it('health-checks every long-running service and runs set-up steps once', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (oneShots.includes(name)) expect(service.restart, name).toBe('no');
      else expect(service.healthcheck?.test, name).toBeDefined();
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(Object.keys(compose.services), `${name} depends on ${dependency}`).toContain(
          dependency,
        );
        if (condition === 'service_completed_successfully') expect(oneShots).toContain(dependency);
        if (condition === 'service_healthy') {
          expect(compose.services[dependency]?.healthcheck, dependency).toBeDefined();
        }
      }
    }
  });

  it('keeps state in named volumes, each one declared and used', () => {
    const used = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0] ?? '');
    expect(
      used.every((v) => /^[a-z][a-z-]*$/.test(v)),
      used.join(', '),
    ).toBe(true);
    expect([...new Set(used)].sort()).toEqual(Object.keys(compose.volumes ?? {}).sort());
  });

  it('registers every search attribute the product writes', () => {
    const setup = String(compose.services['temporal-setup']?.command);
    for (const [name, type] of Object.entries(customSearchAttributes)) {
      expect(setup).toContain(`${name}=${type}`);
    }
  });

  it('starts commands that the product has', () => {
    const cli = readFileSync(path.join(repoRoot, 'starters/cli.ts'), 'utf8');
    for (const [name, service] of productServices(compose)) {
      const argv = [service.command, service.healthcheck?.test].flat().map(String);
      for (const [i, arg] of argv.entries()) {
        const source = /^dist\/(.+)\.js$/.exec(arg)?.[1];
        if (source)
          expect(existsSync(path.join(repoRoot, `${source}.ts`)), `${name}: ${arg}`).toBe(true);
        if (arg.endsWith('cli.js') && argv[i + 1]) {
          expect(cli, `${name}: cli ${argv[i + 1]}`).toContain(`.command('${argv[i + 1]}')`);
        }
      }
    }
  });

  it('builds the product image the documented way', () => {
    const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24-slim AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const scripts = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts.build).toBeDefined();
  });
});
