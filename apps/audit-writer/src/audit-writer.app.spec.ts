import type { AuditEvent, AuditLogWriter } from '@hub/audit';
import { HubMetrics, type InboundBatch } from '@hub/platform';
import { AuditBatchController } from './audit-writer.app';

describe('AuditBatchController', () => {
  it('counts the events it persisted by stage, after the writer has committed them', async () => {
    const metrics = new HubMetrics('audit-writer-test');
    const committed: string[] = [];
    const writer = {
      writeBatch: async () => {
        committed.push('batch');
        return ['received', 'transformed', 'delivered', 'delivered', 'received'].map(
          (stage) => ({ stage }) as AuditEvent,
        );
      },
    } as unknown as AuditLogWriter;
    const controller = new AuditBatchController(writer, metrics, null);
    const batch = { topic: 'hub.audit.v1', partition: 0, messages: [] } as unknown as InboundBatch;

    await controller.onBatch(batch);
    await controller.onBatch(batch);

    expect(committed).toHaveLength(2);
    const counted = Object.fromEntries(
      (await metrics.auditEventsWritten.get()).values.map((v) => [v.labels.stage, v.value]),
    );
    expect(counted).toEqual({ received: 4, transformed: 2, delivered: 4 });
  });

  it('counts nothing when the write fails (the batch is retried from Kafka)', async () => {
    const metrics = new HubMetrics('audit-writer-test');
    const writer = {
      writeBatch: async () => {
        throw new Error('Postgres is down');
      },
    } as unknown as AuditLogWriter;
    const controller = new AuditBatchController(writer, metrics, null);
    await expect(
      controller.onBatch({ topic: 'hub.audit.v1', partition: 0, messages: [] } as unknown as InboundBatch),
    ).rejects.toThrow('Postgres is down');
    expect((await metrics.auditEventsWritten.get()).values).toEqual([]);
  });
});
