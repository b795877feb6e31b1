import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { HubConfig } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { loadPartnership, loadPartnershipDir } from '@hub/partnership';
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
import { DemoFileStream, DemoStream, planDemoFiles, planDemoTraffic } from './demo-traffic.plan';
import { DEMO_FILE_GENERATORS, DEMO_GENERATORS } from './generators';
import { readFileSync } from 'node:fs';

/** Records per second across all demo streams: lively on the dashboard, light on a laptop. */
const DEMO_RATE_PER_SECOND = 20;

/**
 * The demo partnership's back-office systems: publishes realistic records in each council feed's own
 * layout, as CloudEvents on the council topics, the way a council's integration would.
 */
export async function startDemoPublisher(config: Readonly<HubConfig>): Promise<HubApp> {
  const logger = createLogger('demo-publisher', {
    level: config.LOG_LEVEL,
    instanceId: config.HUB_INSTANCE_ID,
  });
  const metrics = new HubMetrics('demo-publisher');
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const partnership = config.PARTNERSHIP_DIR ? loadPartnershipDir(config.PARTNERSHIP_DIR) : loadPartnership();
  const streams = planDemoTraffic(partnership, DEMO_GENERATORS, new Set(ALL_ENTITIES.map((e) => e.domain)));
  const kafka = createKafka(config.KAFKA_BROKERS, `demo-publisher-${config.HUB_INSTANCE_ID}`, logger);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const timer = startTraffic(producer, topics, streams, logger);
  const files = planDemoFiles(partnership, DEMO_FILE_GENERATORS, new Set(ALL_ENTITIES.map((e) => e.domain)));
  const fileTimer =
    config.HUB_CONSOLE_URL && config.HUB_TOKENS_FILE
      ? startFileExports(config.HUB_CONSOLE_URL, opsToken(config.HUB_TOKENS_FILE), files, logger)
      : undefined;

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
      clearInterval(fileTimer);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  });
}

function startTraffic(
  producer: Producer,
  topics: TopicNames,
  streams: DemoStream[],
  logger: Logger,
): NodeJS.Timeout {
  const rnd = seededRandom(20261123);
  let sequence = Math.floor(Date.now() / 1000) % 100_000;
  logger.info(
    { streams: streams.map((s) => `${s.council}.${s.domain}:${s.ceType}`) },
    'demo traffic planned',
  );
  const tickMs = 1000;
  const startedAt = Date.now();
  return setInterval(() => {
    const elapsed = Date.now() - startedAt;
    const live = streams.filter((s) => s.stopsAfterMs === undefined || elapsed < s.stopsAfterMs);
    const messages =
      live.length === 0 ? [] : Array.from({ length: DEMO_RATE_PER_SECOND }, () => pickStream(live, rnd));
    const byTopic = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
    for (const stream of messages) {
      sequence += 1;
      const broken = stream.brokenRate > 0 && rnd() < stream.brokenRate && stream.generator.makeBroken;
      const record = broken
        ? stream.generator.makeBroken!(sequence, rnd)
        : stream.generator.make(sequence, rnd);
      const topic = topics.council(stream.council, stream.domain as Domain);
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: record.key,
        value: record.body,
        headers: cloudEventHeaders({
          id: randomUUID(),
          source: stream.ceSource,
          type: stream.ceType,
          contentType: stream.generator.contentType,
        }),
      });
      byTopic.set(topic, list);
    }
    producer
      .sendBatch({ topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) })
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'demo publish failed; will try again next tick'),
      );
  }, tickMs);
}

/** How often each file feed's scheduled export arrives in the demo (real ones are daily or monthly). */
const FILE_EXPORT_INTERVAL_MS = 60_000;
const FILE_EXPORT_ROWS = 25;

/**
 * Uploads each file feed's export through the console's files API, as the council's scheduled job
 * would: the first soon after start, then every minute.
 */
function startFileExports(
  consoleUrl: string,
  token: string | undefined,
  streams: DemoFileStream[],
  logger: Logger,
): NodeJS.Timeout | undefined {
  if (!token || streams.length === 0) return undefined;
  const rnd = seededRandom(42);
  let sequence = Math.floor(Date.now() / 60_000) % 100_000;
  const uploadAll = async () => {
    for (const stream of streams) {
      sequence += 1;
      const file = stream.generator.makeFile(sequence, rnd, FILE_EXPORT_ROWS);
      const form = new FormData();
      form.set(
        'file',
        new Blob([file.body], { type: stream.generator.format === 'csv' ? 'text/csv' : 'application/xml' }),
        file.name,
      );
      try {
        const response = await fetch(
          `${consoleUrl}/api/councils/${stream.council}/feeds/${stream.domain}/files`,
          {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}` },
            body: form,
          },
        );
        const report = (await response.json()) as {
          rows?: { total: number; accepted: number; rejected: number };
        };
        logger.info(
          { council: stream.council, domain: stream.domain, status: response.status, rows: report.rows },
          'demo file export uploaded',
        );
      } catch (error) {
        logger.warn(
          { err: error, council: stream.council, domain: stream.domain },
          'demo file export upload failed; next one in a minute',
        );
      }
    }
  };
  setTimeout(() => void uploadAll(), 5_000).unref();
  return setInterval(() => void uploadAll(), FILE_EXPORT_INTERVAL_MS);
}

/** The local ops token, from the tokens file npm start writes. */
function opsToken(file: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
      tokens: Array<{ roles: string[]; token?: string }>;
    };
    return parsed.tokens.find((t) => t.roles.includes('ops'))?.token;
  } catch {
    return undefined;
  }
}

function pickStream(streams: DemoStream[], rnd: () => number): DemoStream {
  return streams[Math.floor(rnd() * streams.length)];
}
