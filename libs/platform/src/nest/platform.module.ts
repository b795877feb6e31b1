import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { HubMetrics } from '../observability/metrics';
import { HealthController } from './health.controller';
import { HttpErrorFilter } from './http-error.filter';
import { HUB_LOGGER, HUB_METRICS, READINESS_CHECKS, ReadinessCheck } from './readiness';

export interface PlatformModuleOptions {
  logger: Logger;
  metrics: HubMetrics;
  readiness: ReadinessCheck[];
}

/** Health, metrics, logger and the JSON error filter: what every hub app has. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: HUB_LOGGER, useValue: options.logger },
        { provide: HUB_METRICS, useValue: options.metrics },
        { provide: READINESS_CHECKS, useValue: options.readiness },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [HUB_LOGGER, HUB_METRICS, READINESS_CHECKS],
    };
  }
}
