import { readFileSync } from 'node:fs';
import { Partitioners, Producer } from 'kafkajs';
import {
  BatchConsumerRunner,
  CeHeaders,
  InboundBatch,
  OutboundMessage,
  createKafka,
  createLogger,
} from '@hub/platform';
import type { PassthroughStageConfig, PassthroughLookupEntry } from './passthrough-stage.types';

/**
 * One hop of the baseline: a plain kafkajs consume-and-produce pass-through run as its own process (as
 * each hub app is), on the hub's own batch runner so fetch sizes, waits and batching are identical. No
 * parsing, mapping, validation or audit: the output for each input is looked up by ce_id from a file
 * prepared by the bench (the canonical bytes the ingest would make, the SSC topics the router would pick),
 * so message sizes and fan-out match the hub's.
 *
 * `plain`: produce (acks=all), then commit offsets (at-least-once). `transactional`: produce and commit
 * offsets in one Kafka transaction per batch, exactly as the hub's runner does for ingest and router.
 */
async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PassthroughStageConfig;
  const entries = JSON.parse(readFileSync(config.lookupFile, 'utf8')) as PassthroughLookupEntry[];
  const byCeId = new Map<string, PassthroughLookupEntry>(entries.map((e) => [e[0], e]));
  const logger = createLogger(`baseline-${config.role}`, { level: 'warn', instanceId: config.clientId });
  const kafka = createKafka(config.brokers, config.clientId, logger);

  const outputs = (batch: InboundBatch): OutboundMessage[] => {
    const out: OutboundMessage[] = [];
    for (const m of batch.messages) {
      const ceId = m.headers[CeHeaders.id];
      const entry = ceId ? byCeId.get(ceId) : undefined;
      if (!entry) continue;
      if (config.role === 'first-hop') {
        out.push({ topic: entry[1], key: entry[2], value: entry[3], headers: { [CeHeaders.id]: entry[0] } });
      } else {
        for (const topic of entry[4]) out.push({ topic, key: m.key, value: m.value });
      }
    }
    return out;
  };

  let plainProducer: Producer | undefined;
  if (config.mode === 'plain') {
    plainProducer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await plainProducer.connect();
  }
  const stats = { batches: 0, records: 0, busyMs: 0 };
  const runner = new BatchConsumerRunner({
    kafka,
    groupId: config.groupId,
    topics: config.inputTopics,
    logger,
    readCommitted: config.readCommitted,
    maxBytesPerPartition: config.maxBytesPerPartition,
    onCommitted: (batch, _produced, elapsedMs) => {
      stats.batches += 1;
      stats.records += batch.messages.length;
      stats.busyMs += elapsedMs;
    },
    mode:
      config.mode === 'transactional'
        ? {
            kind: 'transactional',
            transactionalId: `${config.groupId}-${config.clientId}`,
            handler: async (batch) => outputs(batch),
          }
        : {
            kind: 'commit-after',
            handler: async (batch) => {
              const out = outputs(batch);
              if (out.length === 0) return;
              const byTopic = new Map<string, OutboundMessage[]>();
              for (const m of out) {
                const list = byTopic.get(m.topic);
                if (list) list.push(m);
                else byTopic.set(m.topic, [m]);
              }
              await plainProducer!.sendBatch({
                acks: -1,
                topicMessages: [...byTopic].map(([topic, list]) => ({
                  topic,
                  messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
                })),
              });
            },
          },
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await runner.stop();
    await plainProducer?.disconnect().catch(() => undefined);
    console.log(JSON.stringify({ msg: 'stage stats', ...stats }));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await runner.start();
  console.log(JSON.stringify({ msg: 'stage ready', role: config.role }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
