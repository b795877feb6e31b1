import { Kafka, Message, Partitioners, Producer } from 'kafkajs';
import type { BenchRecord } from './bench-record.factory';
import { stampNow } from './bench-record.factory';

const BULK_CHUNK = 2_000;

/** Groups messages by topic for kafkajs sendBatch. */
function topicMessages(batch: readonly BenchRecord[], stamp: boolean) {
  const byTopic = new Map<string, Message[]>();
  for (const r of batch) {
    const list = byTopic.get(r.topic) ?? [];
    if (list.length === 0) byTopic.set(r.topic, list);
    list.push({ key: r.key, value: r.value, headers: stamp ? stampNow(r.headers) : r.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** A producer standing in for the councils' systems (acks from all in-sync replicas, as a council would). */
export class CouncilRecordsProducer {
  private producer?: Producer;

  constructor(private readonly kafka: Kafka) {}

  async connect(): Promise<void> {
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  /** Sends every record as fast as the broker takes them; resolves with records/s achieved. */
  async sendAll(
    records: readonly BenchRecord[],
    stampTime = false,
  ): Promise<{ seconds: number; recordsPerSecond: number }> {
    const started = Date.now();
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < records.length; i += BULK_CHUNK) {
      const p = this.producer!.sendBatch({
        topicMessages: topicMessages(records.slice(i, i + BULK_CHUNK), stampTime),
        acks: -1,
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const seconds = (Date.now() - started) / 1000;
    return { seconds, recordsPerSecond: records.length / Math.max(seconds, 0.001) };
  }

  /**
   * Sends the records at `rate` records/s (ticks every 10 ms), stamping `ce_time` with the send time. If the
   * broker cannot keep up, sends fall behind rather than queue without bound; the achieved rate is returned.
   */
  async sendPaced(
    records: readonly BenchRecord[],
    rate: number,
    onTick?: (sent: number) => void,
  ): Promise<{ seconds: number; achievedRate: number; maxBehind: number }> {
    const started = Date.now();
    let sent = 0;
    let maxBehind = 0;
    const inFlight = new Set<Promise<unknown>>();
    let failure: unknown;
    while (sent < records.length) {
      if (failure) throw failure;
      const due = Math.min(records.length, Math.floor(((Date.now() - started) / 1000) * rate));
      maxBehind = Math.max(maxBehind, due - sent);
      if (due > sent && inFlight.size < 8) {
        const batch = records.slice(sent, due);
        sent = due;
        const p = this.producer!.sendBatch({ topicMessages: topicMessages(batch, true), acks: -1 });
        inFlight.add(p);
        p.then(
          () => inFlight.delete(p),
          (error: unknown) => {
            failure = error;
            inFlight.delete(p);
          },
        );
        onTick?.(sent);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    const seconds = (Date.now() - started) / 1000;
    return { seconds, achievedRate: records.length / seconds, maxBehind };
  }
}
