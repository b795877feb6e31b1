import { Kafka, logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * The one place Kafka clients are made. kafkajs' own log lines go through the hub's logger
 * (structured, at warn and above) instead of its console default.
 */
export function createKafka(brokers: string[], clientId: string, logger?: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    // Connection set-up is local and fast; fail quickly and let the retrier back off.
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...extra } = entry.log;
      const fields = {
        kafka: entry.namespace,
        broker: extra.broker,
        error: extra.error,
        groupId: extra.groupId,
      };
      if (entry.level <= KafkaLogLevel.ERROR) logger.error(fields, message);
      else logger.warn(fields, message);
    },
  });
}
