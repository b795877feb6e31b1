import type { StartPostgresOptions } from './postgres.launcher';

/**
 * The IPC messages between {@link startPostgresProcess} (in a jest test file) and
 * `postgres-process.main.ts` (a plain Node child that owns the embedded Postgres). Shared here so both
 * sides agree on the shapes.
 */

/** Options that can cross a process boundary (no log callback). */
export type PostgresProcessOptions = Omit<StartPostgresOptions, 'log'>;

/** Parent to child: stop (data kept, child stays), start again, or stop and exit. */
export interface PostgresProcessCommand {
  readonly id: number;
  readonly command: 'stop' | 'start' | 'close';
}

/** Child to parent, once the server first answers. */
export interface PostgresProcessReady {
  readonly type: 'ready';
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly pid: number | undefined;
}

/** Child to parent: the outcome of one command. */
export interface PostgresProcessReply {
  readonly type: 'reply';
  readonly id: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly pid: number | undefined;
}

/** Child to parent: start-up failed; the child exits after sending it. */
export interface PostgresProcessFailed {
  readonly type: 'failed';
  readonly error: string;
}

export type PostgresProcessMessage = PostgresProcessReady | PostgresProcessReply | PostgresProcessFailed;
