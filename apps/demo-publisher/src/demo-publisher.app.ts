import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { HubConfig } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { loadPartnership } from '@hub/partnership';
import {
  Domain,
  HubApp,
  HubMetrics,
  PlatformModule,
  TopicNames,
  bootstrapHubApp,
  cloudEventHeaders,
  createKafka,
  createLogger,
} from '@hub/platform';
import { seededRandom } from './demo-generator';
import { DemoStream, planDemoTraffic } from './demo-traffic.plan';
import { DEMO_GENERATORS } from './generators';

/** Records per second across all demo streams: lively on the dashboard, light on a laptop. */
const DEMO_RATE_PER_SECOND = 20;

/**
 * The demo partnership's back-office systems: publishes realistic records in each council feed's own
 * layout, as CloudEvents on the council topics, the way a council's integration would.
 */
export async function startDemoPublisher(config: Readonly<HubConfig>): Promise<HubApp> {
  const logger = createLogger('demo-publisher', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID });
  const metrics = new HubMetrics('demo-publisher');
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const partnership = config.PARTNERSHIP_DIR ? loadPartnership(config.PARTNERSHIP_DIR) : loadPartnership();
  const streams = planDemoTraffic(partnership, DEMO_GENERATORS, new Set(ALL_ENTITIES.map((e) => e.domain)));
  const kafka = createKafka(config.KAFKA_BROKERS, `demo-publisher-${config.HUB_INSTANCE_ID}`, logger);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const timer = startTraffic(producer, topics, streams, logger);

  @Module({
    imports: [
      PlatformModule.forRoot({
        logger,
        metrics,
        readiness: [{ name: 'kafka', check: async () => void (await admin.describeCluster()) }],
      }),
    ],
  })
  class DemoPublisherModule {}

  return bootstrapHubApp({
    name: 'demo-publisher',
    module: DemoPublisherModule,
    logger,
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    beforeClose: async () => {
      clearInterval(timer);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  });
}

function startTraffic(producer: Producer, topics: TopicNames, streams: DemoStream[], logger: Logger): NodeJS.Timeout {
  const rnd = seededRandom(20261123);
  let sequence = Math.floor(Date.now() / 1000) % 100_000;
  logger.info({ streams: streams.map((s) => `${s.council}.${s.domain}:${s.ceType}`) }, 'demo traffic planned');
  const tickMs = 1000;
  return setInterval(() => {
    const messages = streams.length === 0 ? [] : Array.from({ length: DEMO_RATE_PER_SECOND }, () => pickStream(streams, rnd));
    const byTopic = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
    for (const stream of messages) {
      sequence += 1;
      const broken = stream.brokenRate > 0 && rnd() < stream.brokenRate && stream.generator.makeBroken;
      const record = broken ? stream.generator.makeBroken!(sequence, rnd) : stream.generator.make(sequence, rnd);
      const topic = topics.council(stream.council, stream.domain as Domain);
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: record.key,
        value: record.body,
        headers: cloudEventHeaders({ id: randomUUID(), source: stream.ceSource, type: stream.ceType, contentType: stream.generator.contentType }),
      });
      byTopic.set(topic, list);
    }
    producer
      .sendBatch({ topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) })
      .catch((error: unknown) => logger.warn({ err: error }, 'demo publish failed; will try again next tick'));
  }, tickMs);
}

function pickStream(streams: DemoStream[], rnd: () => number): DemoStream {
  return streams[Math.floor(rnd() * streams.length)];
}
