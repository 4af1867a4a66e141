import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretSettings } from '../../core/config.js';

describe('campaign UI settings', () => {
  it('are off without a token, on loopback port 8090 by default', () => {
    expect(loadConfig({}).ui).toEqual({ host: '127.0.0.1', port: 8090, token: undefined });
    const on = loadConfig({ UI_TOKEN: 'sixteen-chars-ok', UI_PORT: '9000', UI_HOST: '0.0.0.0' });
    expect(on.ui).toEqual({ host: '0.0.0.0', port: 9000, token: 'sixteen-chars-ok' });
  });

  it('refuse a short token by name, without echoing it', () => {
    expect(secretSettings.has('UI_TOKEN')).toBe(true);
    let error: unknown;
    try {
      loadConfig({ UI_TOKEN: 'hunter2', UI_PORT: '70000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('UI_TOKEN: must be at least 16 characters');
    expect(message).toContain('UI_PORT');
    expect(message).not.toContain('hunter2');
  });
});
