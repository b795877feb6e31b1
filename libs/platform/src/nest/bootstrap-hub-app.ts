import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CustomTransportStrategy } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { LogEvents } from '../observability/logger';

export interface HubAppOptions {
  name: string;
  module: Type<unknown>;
  logger: Logger;
  host: string;
  port: number;
  /** The app's Kafka consumer, when it has one. */
  transport?: CustomTransportStrategy;
  /** Called before the HTTP server starts listening (OpenAPI, static files). */
  configure?: (app: INestApplication) => void;
  /** Called before Nest closes (stop producers, pools). */
  beforeClose?: () => Promise<void>;
}

/** A started app and how to stop it. */
export interface HubApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts one hub app: HTTP (health, metrics, API) plus, if given, its Kafka transport. On SIGTERM or
 * SIGINT it finishes the in-flight batch, commits and exits; a watchdog makes sure that happens
 * within 10 seconds.
 */
export async function bootstrapHubApp(options: HubAppOptions): Promise<HubApp> {
  const app = await NestFactory.create(options.module, { logger: ['error', 'warn'], bufferLogs: false });
  if (options.transport) {
    app.connectMicroservice({ strategy: options.transport }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  options.configure?.(app);
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  options.logger.info({ url }, LogEvents.APP_STARTED);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      options.logger.info(LogEvents.APP_STOPPING);
      await options.beforeClose?.();
      await app.close();
    })();
    return closing;
  };
  return { app, url, close };
}

/**
 * For `main.ts`: close on SIGTERM/SIGINT, exit within `deadlineMs` whatever happens. With `parentPid`
 * (set by the launcher) the app also closes when its parent is gone, even if the parent was killed -9.
 */
export function exitOnSignals(
  hubApp: HubApp,
  logger: Logger,
  options: { deadlineMs?: number; parentPid?: number } = {},
): void {
  const deadlineMs = options.deadlineMs ?? 10_000;
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, LogEvents.APP_STOPPING);
    setTimeout(() => process.exit(1), deadlineMs).unref();
    hubApp.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  const parentPid = options.parentPid;
  if (parentPid) {
    setInterval(() => {
      try {
        process.kill(parentPid, 0);
      } catch {
        onSignal('parent-exited');
      }
    }, 1_000).unref();
  }
}
