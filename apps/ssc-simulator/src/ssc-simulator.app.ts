import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HubApp, HubMetrics, PlatformModule, bootstrapHubApp, createLogger } from '@hub/platform';
import { SscBehaviour } from './ssc-behaviour';
import { SscReceiptsStore } from './ssc-receipts.store';
import { SscController } from './ssc.controller';

/** The settings the simulator takes from HubConfig. */
export interface SscSimulatorSettings {
  HTTP_HOST: string;
  HTTP_PORT: number;
  LOG_LEVEL: string;
  HUB_INSTANCE_ID: string;
}

/** Largest request body accepted: the hub's largest record (MAX_RECORD_BYTES, 1 MiB) as canonical JSON, with room. */
const BODY_LIMIT = '4mb';

/**
 * Starts the SSC simulator: an HTTP receiver standing in for the shared-service centre's webhooks in
 * the demo and in tests. Not part of the hub; it keeps what it receives in memory.
 */
export async function startSscSimulator(settings: SscSimulatorSettings): Promise<HubApp> {
  const logger = createLogger('ssc-simulator', {
    level: settings.LOG_LEVEL,
    instanceId: settings.HUB_INSTANCE_ID,
  });
  const metrics = new HubMetrics('ssc-simulator');

  @Module({
    imports: [PlatformModule.forRoot({ logger, metrics, readiness: [] })],
    controllers: [SscController],
    providers: [
      { provide: SscReceiptsStore, useValue: new SscReceiptsStore() },
      { provide: SscBehaviour, useValue: new SscBehaviour() },
    ],
  })
  class SscSimulatorModule {}

  return bootstrapHubApp({
    name: 'ssc-simulator',
    module: SscSimulatorModule,
    logger,
    host: settings.HTTP_HOST,
    port: settings.HTTP_PORT,
    configure: (app) => void (app as NestExpressApplication).useBodyParser('json', { limit: BODY_LIMIT }),
  });
}
