import { ConfigError, loadConfig } from './hub-config';

describe('loadConfig', () => {
  it('parses brokers and applies defaults', () => {
    const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093' });
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.DATABASE_SCHEMA).toBe('hub');
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ KAFKA_BROKERS: 'nonsense', HTTP_PORT: '70000', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('DATABASE_URL');
  });

  it('fails fast when a required variable is missing', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'a:1' }, ['DATABASE_URL'])).toThrow(/DATABASE_URL: is required/);
    expect(() => loadConfig({})).toThrow(/KAFKA_BROKERS: is required/);
  });
});

describe('optional URLs', () => {
  it('reads the console and delivery addresses the launcher passes', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'a:1',
      HUB_CONSOLE_URL: 'http://127.0.0.1:3000',
      HUB_DELIVERY_URL: 'http://127.0.0.1:3004',
    });
    expect(config.HUB_CONSOLE_URL).toBe('http://127.0.0.1:3000');
    expect(config.HUB_DELIVERY_URL).toBe('http://127.0.0.1:3004');
    expect(() => loadConfig({ KAFKA_BROKERS: 'a:1', HUB_DELIVERY_URL: 'ftp://x' })).toThrow(
      /HUB_DELIVERY_URL/,
    );
  });

  it('leaves the validator cross-check off unless asked for', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:1' }).HUB_VALIDATOR_CROSSCHECK).toBe(false);
    expect(loadConfig({ KAFKA_BROKERS: 'a:1', HUB_VALIDATOR_CROSSCHECK: '1' }).HUB_VALIDATOR_CROSSCHECK).toBe(
      true,
    );
  });

  it("sizes the audit writer's fetch linger, within bounds", () => {
    const defaults = loadConfig({ KAFKA_BROKERS: 'a:1' });
    expect([defaults.AUDIT_FETCH_MIN_BYTES, defaults.AUDIT_FETCH_MAX_WAIT_MS]).toEqual([262_144, 500]);
    const set = loadConfig({
      KAFKA_BROKERS: 'a:1',
      AUDIT_FETCH_MIN_BYTES: '1',
      AUDIT_FETCH_MAX_WAIT_MS: '0',
    });
    expect([set.AUDIT_FETCH_MIN_BYTES, set.AUDIT_FETCH_MAX_WAIT_MS]).toEqual([1, 0]);
    expect(() => loadConfig({ KAFKA_BROKERS: 'a:1', AUDIT_FETCH_MAX_WAIT_MS: '60000' })).toThrow(
      /AUDIT_FETCH_MAX_WAIT_MS/,
    );
  });
});
