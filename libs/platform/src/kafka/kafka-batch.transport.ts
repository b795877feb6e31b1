import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BatchConsumerRunner, InboundBatch } from './batch-consumer.runner';
import { OutboundMessage } from './kafka-message';

/** The pattern an app's batch handler listens on: `@EventPattern(KAFKA_BATCH_PATTERN)`. */
export const KAFKA_BATCH_PATTERN = 'kafka.batch';

/** Builds the runner once Nest hands us the app's handler. */
export type RunnerFactory = (
  handler: (batch: InboundBatch) => Promise<OutboundMessage[] | void>,
) => BatchConsumerRunner;

/**
 * A Nest custom transport over kafkajs batches. Nest's built-in Kafka server hands handlers one
 * message at a time and cannot wrap a transaction around a batch; this one gives the handler a whole
 * partition batch and lets {@link BatchConsumerRunner} commit outputs and offsets atomically.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private runner?: BatchConsumerRunner;

  constructor(private readonly createRunner: RunnerFactory) {
    super();
  }

  /** The running consumer (for readiness: degraded while a batch is being retried). */
  get consumer(): BatchConsumerRunner | undefined {
    return this.runner;
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    const handler = this.getHandlerByPattern(KAFKA_BATCH_PATTERN);
    if (!handler) {
      callback(new Error(`No @EventPattern('${KAFKA_BATCH_PATTERN}') handler is registered in this app`));
      return;
    }
    this.runner = this.createRunner(async (batch) => {
      const result = await handler(batch);
      return (await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined })) as
        OutboundMessage[] | void;
    });
    this.runner.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.runner?.stop();
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }
}
