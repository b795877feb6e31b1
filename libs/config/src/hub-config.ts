import { Transform, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidationError,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes'].includes(String(value).toLowerCase());
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/**
 * Every setting the hub reads, declared once with its default and unit. Loaded from the environment
 * by {@link loadConfig} at start-up; business code receives this object and never reads `process.env`.
 */
export class HubConfig {
  /** `KAFKA_BROKERS`: comma-separated host:port list. Required. */
  @Transform(toList)
  @Matches(/^[^\s:,]+:\d+$/, {
    each: true,
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS!: string[];

  /** `DATABASE_URL`: postgres://user:password@host:port/db. Required by apps that touch Postgres. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** `DATABASE_SCHEMA`: Postgres schema holding the hub's tables (tests use one per test). */
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'hub';

  /** `TOPIC_NAMESPACE`: prefix for every topic name (empty in production; unique per test run). */
  @Matches(/^([a-z0-9-]+\.)?$/, {
    message: 'TOPIC_NAMESPACE must be empty or lower-case words ending with a dot',
  })
  TOPIC_NAMESPACE = '';

  /** `HUB_INSTANCE_ID`: stable id of this process instance; names its Kafka transactional id. */
  @Matches(/^[a-zA-Z0-9._-]{1,64}$/, {
    message: 'HUB_INSTANCE_ID must be 1-64 letters, digits, dot, dash or underscore',
  })
  HUB_INSTANCE_ID = 'local-1';

  /** `HTTP_PORT`: the app's HTTP port (health, metrics; the console's API). 0 picks a free port. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT = 3000;

  /** `HTTP_HOST`: address the HTTP server binds. */
  @IsString()
  HTTP_HOST = '127.0.0.1';

  /** `PARTNERSHIP_DIR`: folder with councils.json and feeds/ (default: config/partnership in the repo). */
  @IsOptional()
  @IsString()
  PARTNERSHIP_DIR?: string;

  /** `ROUTES_FILE`: routing rules, destinations and data-sharing agreements (default: config/routing.json). */
  @IsOptional()
  @IsString()
  ROUTES_FILE?: string;

  /** `HUB_TOKENS_FILE`: JSON file mapping bearer tokens to roles, e.g. {"tok...": ["ops"]}. */
  @IsOptional()
  @IsString()
  HUB_TOKENS_FILE?: string;

  /** `LOG_LEVEL`: pino level. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `MAX_RECORD_BYTES`: largest inbound record accepted; larger ones go to the DLQ as SIZE.TOO_LARGE. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAX_RECORD_BYTES = 1_048_576;

  /** `CONSUMER_MAX_BYTES_PER_PARTITION`: upper bound of one fetched batch per partition, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(16_384)
  CONSUMER_MAX_BYTES_PER_PARTITION = 1_048_576;

  /**
   * `AUDIT_FETCH_MIN_BYTES` and `AUDIT_FETCH_MAX_WAIT_MS`: the audit writer lets the broker gather this
   * many bytes of audit events (or wait this long) before answering a fetch. Every batch it gets is one
   * Postgres transaction (COPY, chain head, commit with fsync), so a few larger batches cost far less than
   * many small ones. It is not on the way to the SSC: this only delays when events become queryable.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_FETCH_MIN_BYTES = 262_144;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5_000)
  AUDIT_FETCH_MAX_WAIT_MS = 500;

  /**
   * `KAFKA_SESSION_TIMEOUT_MS`: how long a consumer may stay silent before its group hands its partitions
   * to another instance; i.e. how soon a crashed instance's work is taken over. Consumers heartbeat even
   * while a slow batch holds them, so this bounds crash detection, not batch duration.
   */
  @Transform(toInt)
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS = 30_000;

  /**
   * `KAFKA_TRANSACTION_TIMEOUT_MS`: after this long the broker aborts a transaction its producer left
   * open (a crashed instance that does not come back); read-committed consumers downstream wait for that.
   * Transactions span only produce and commit (the handler runs before one begins), so they are short.
   */
  @Transform(toInt)
  @IsInt()
  @Min(5_000)
  @Max(900_000)
  KAFKA_TRANSACTION_TIMEOUT_MS = 60_000;

  /** `AUDIT_FLUSH_MAX_ROWS`: the audit writer's largest COPY batch. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_FLUSH_MAX_ROWS = 5000;

  /** `TOPIC_PARTITIONS`: partitions for topics the hub creates. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  TOPIC_PARTITIONS = 3;

  /** `TOPIC_REPLICATION`: replication factor for topics the hub creates (3 in production). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5)
  TOPIC_REPLICATION = 1;

  /**
   * `HUB_PARENT_PID`: set by the launcher. The app exits (gracefully) when that process is gone, so a
   * killed `npm start` never leaves apps behind.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  HUB_PARENT_PID?: number;

  /** `OPENLINEAGE_URL`: where the audit writer POSTs OpenLineage run events (e.g. Marquez /api/v1/lineage). */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'OPENLINEAGE_URL must be an http(s) URL' })
  OPENLINEAGE_URL?: string;

  /** `OPENLINEAGE_FILE`: a JSON Lines file the audit writer appends OpenLineage run events to. */
  @IsOptional()
  @IsString()
  OPENLINEAGE_FILE?: string;

  /** `OPENLINEAGE_NAMESPACE`: the OpenLineage job namespace of this hub. */
  @IsString()
  OPENLINEAGE_NAMESPACE = 'council-integration-hub';

  /** `OPENLINEAGE_FLUSH_MS`: how often run events are sent, milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  OPENLINEAGE_FLUSH_MS = 30_000;

  /** `HUB_CONSOLE_URL`: the console's base URL, for the demo publisher's file uploads. */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'HUB_CONSOLE_URL must be an http(s) URL' })
  HUB_CONSOLE_URL?: string;

  /** `HUB_DELIVERY_URL`: the delivery app's base URL, for the console to show HTTP destinations' circuits. */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'HUB_DELIVERY_URL must be an http(s) URL' })
  HUB_DELIVERY_URL?: string;

  /**
   * `HUB_VALIDATOR_CROSSCHECK`: the ingest validates every canonical record both with its fast check and with
   * class-validator, and fails the batch if they disagree. For tests and diagnosis; it doubles the cost of
   * validation. Off by default.
   */
  @Transform(toBool)
  @IsBoolean()
  HUB_VALIDATOR_CROSSCHECK = false;

  /** `PRETTY_LOGS`: human-readable logs for local runs. */
  @Transform(toBool)
  @IsBoolean()
  PRETTY_LOGS = false;
}

/** Thrown once at start-up when configuration is invalid; its message names each bad variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
}

/**
 * Reads and validates configuration from an environment map (default `process.env`).
 * Fails fast with every problem listed; `required` names variables this app cannot run without.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  required: Array<keyof HubConfig> = [],
): Readonly<HubConfig> {
  const known = Object.keys(new HubConfig());
  const raw: Record<string, string> = {};
  for (const key of [
    ...known,
    'KAFKA_BROKERS',
    'DATABASE_URL',
    'PARTNERSHIP_DIR',
    'ROUTES_FILE',
    'HUB_TOKENS_FILE',
    'HUB_PARENT_PID',
    'OPENLINEAGE_URL',
    'OPENLINEAGE_FILE',
    'HUB_CONSOLE_URL',
    'HUB_DELIVERY_URL',
  ]) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const problems: string[] = [];
  if (raw.KAFKA_BROKERS === undefined) problems.push('KAFKA_BROKERS: is required (e.g. 127.0.0.1:9092)');
  for (const key of required) {
    if (raw[key as string] === undefined) problems.push(`${String(key)}: is required by this app`);
  }
  const config = plainToInstance(HubConfig, raw);
  if (raw.KAFKA_BROKERS !== undefined || problems.length === 0)
    problems.push(...describe(validateSync(config)));
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return Object.freeze(config);
}
