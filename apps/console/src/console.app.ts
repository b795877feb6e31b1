import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HubConfig } from '@hub/config';
import {
  HubApp,
  HubMetrics,
  PlatformModule,
  TopicNames,
  bootstrapHubApp,
  createKafka,
  createLogger,
} from '@hub/platform';
import { createPgPool } from '@hub/persistence';
import { AccessAuditor } from './audit/access-auditor';
import { AuditController } from './audit/audit.controller';
import { AuthGuard } from './auth/auth.guard';
import { TokenRegistry } from './auth/token-registry';
import { PG_POOL } from './console.tokens';
import { createOperations } from './dashboard/operations.module';
import { createFiles } from './files/files.module';
import { LineageController } from './lineage/lineage.controller';

/**
 * Starts the console: the HTTP API of CONTRACT.md (lineage, audit, feeds, DLQ, file uploads), the
 * operations dashboard and the OpenAPI document at /api/docs.
 */
export async function startConsole(config: Readonly<HubConfig>): Promise<HubApp> {
  const logger = createLogger('console', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID });
  const metrics = new HubMetrics('console');
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const tokens = TokenRegistry.fromFile(config.HUB_TOKENS_FILE!);
  const pool = createPgPool(config.DATABASE_URL!, config.DATABASE_SCHEMA, 6);
  const kafka = createKafka(config.KAFKA_BROKERS, `console-${config.HUB_INSTANCE_ID}`, logger);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const operations = createOperations({ config, pool, kafka, admin, topics, metrics, logger });
  const files = await createFiles({ config, pool, kafka, topics });

  @Module({
    imports: [
      PlatformModule.forRoot({
        logger,
        metrics,
        readiness: [
          { name: 'kafka', check: async () => void (await admin.describeCluster()) },
          { name: 'postgres', check: async () => void (await pool.query('SELECT 1')) },
        ],
      }),
      operations.module,
      files.module,
    ],
    controllers: [LineageController, AuditController],
    providers: [
      { provide: PG_POOL, useValue: pool },
      { provide: TokenRegistry, useValue: tokens },
      { provide: AccessAuditor, useValue: new AccessAuditor(producer, topics) },
      { provide: APP_GUARD, useClass: AuthGuard },
    ],
  })
  class ConsoleModule {}

  return bootstrapHubApp({
    name: 'console',
    module: ConsoleModule,
    logger,
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    beforeClose: async () => {
      await operations.close().catch(() => undefined);
      await files.close().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
    configure: (app) => {
      const document = SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Council integration hub')
          .setDescription(
            'Feeds, lineage, audit, dead letters and file uploads for the partnership (CONTRACT.md).',
          )
          .setVersion('1')
          .addBearerAuth()
          .build(),
      );
      SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
    },
  });
}
