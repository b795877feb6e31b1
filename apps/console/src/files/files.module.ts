import { DynamicModule, Module } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { HubConfig, repoRoot } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { buildMappingRegistry, loadMappingFiles } from '@hub/mapping';
import { loadPartnership, loadPartnershipDir } from '@hub/partnership';
import { TopicNames } from '@hub/platform';
import { FileUploadService } from './file-upload.service';
import { FilesController } from './files.controller';

/** The files API: its service (partnership, compiled mappings, a transactional producer) and controller. */
export async function createFiles(deps: {
  config: Readonly<HubConfig>;
  pool: Pool;
  kafka: Kafka;
  topics: TopicNames;
}) {
  const partnership = deps.config.PARTNERSHIP_DIR
    ? loadPartnershipDir(deps.config.PARTNERSHIP_DIR)
    : loadPartnership();
  const registry = buildMappingRegistry(partnership, ALL_ENTITIES, loadMappingFiles(repoRoot()));
  // Transactional: a file's rows, its DLQ rows and its audit events are published all or nothing.
  const producer = deps.kafka.producer({
    transactionalId: `${deps.config.TOPIC_NAMESPACE}hub-console-files-${deps.config.HUB_INSTANCE_ID}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const service = new FileUploadService(partnership, registry, deps.pool, producer, deps.topics);

  @Module({ controllers: [FilesController], providers: [{ provide: FileUploadService, useValue: service }] })
  class FilesModule {}

  return {
    module: FilesModule as unknown as DynamicModule,
    close: () => producer.disconnect(),
  };
}
