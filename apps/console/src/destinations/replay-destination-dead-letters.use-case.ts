import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { AuditEvent, AuditStages, auditEventId, encodeAuditBatch, findReplayTraces } from '@hub/audit';
import { OutboundMessage, TopicNames } from '@hub/platform';
import { Destination, HttpDestination } from '@hub/routing';
import { Principal } from '../auth/principal';
import { DeadLetterRecord } from '../dlq/replay-message';
import { ReplayLedger } from '../dlq/replay.ledger';
import {
  DestinationDeadLetter,
  DestinationReplaySkip,
  describeDestinationDeadLetter,
  destinationReplayMessage,
  planDestinationReplay,
} from './destination-dead-letter.rules';

/** Reads a destination DLQ topic whole (see `DestinationDlqReader`). */
export interface DestinationDlqSource {
  readAll(topic: string): Promise<DeadLetterRecord[]>;
}

/** One dead letter as `GET /api/destinations/{id}/dlq` lists it: identifiers and outcome, no payload. */
export interface DestinationDeadLetterView {
  deliveryId: string;
  canonicalId: string | null;
  revision: string | null;
  code: string | null;
  reason: string | null;
  attempts: number | null;
  status: number | null;
  failedAt: string | null;
  /** `<dlqTopic>/<partition>/<offset>`. */
  dlqCoordinate: string;
  /** Whether it was replayed (audit log or this console's recent replays), and by which replay. */
  replayed: boolean;
  replayId: string | null;
}

/** The answer of `GET /api/destinations/{id}/dlq`. */
export interface DestinationDeadLetterList {
  destination: string;
  dlqTopic: string;
  total: number;
  pending: number;
  deadLetters: DestinationDeadLetterView[];
}

/** One replayed dead letter. */
export interface DestinationReplayed {
  deliveryId: string;
  canonicalId: string | null;
  replayOf: string;
}

/** The answer of `POST /api/destinations/{id}/dlq/replay`. */
export interface DestinationReplayReport {
  replayId: string;
  destination: string;
  /** How many dead letters were put back on the destination's delivery topic. */
  replayed: number;
  items: DestinationReplayed[];
  skipped: Array<Pick<DestinationReplaySkip, 'deliveryId' | 'reason' | 'message'> & { replayOf?: string }>;
}

/** What the use case needs. */
export interface DestinationReplayDeps {
  pool: Pool;
  kafka: Kafka;
  topics: TopicNames;
  reader: DestinationDlqSource;
  /** Every destination of the routing file. */
  destinations: readonly Destination[];
  /** Stable per console instance, distinct from the council-DLQ replay's. */
  transactionalId: string;
  ledger?: ReplayLedger;
  clock?: () => Date;
}

/**
 * Lists and replays an HTTP destination's dead letters. A replay puts the ORIGINAL record (key, value,
 * delivery headers) back on `hub.delivery.<destination>` with hub_replay_of / hub_replay_id, together
 * with one `replayed` audit event per record, in ONE Kafka transaction. The delivery worker then POSTs it
 * with the same Idempotency-Key (the delivery id), so the SSC sees it once however often it is replayed.
 * A dead letter is replayed at most once: one with a `replayed` audit event naming its coordinates, or
 * in this console's ledger (the audit writer lags a few seconds), is skipped. Requests run one at a time.
 */
export class ReplayDestinationDeadLettersUseCase {
  private producer?: Producer;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ledger: ReplayLedger;
  private readonly clock: () => Date;

  constructor(private readonly deps: DestinationReplayDeps) {
    this.ledger = deps.ledger ?? new ReplayLedger();
    this.clock = deps.clock ?? (() => new Date());
  }

  /** The destination with this id in the routing file, if any. */
  destination(id: string): Destination | undefined {
    return this.deps.destinations.find((d) => d.id === id);
  }

  /** The destination's dead letters, oldest first per partition, with their replay state. */
  async list(destination: HttpDestination): Promise<DestinationDeadLetterList> {
    const dlqTopic = this.deps.topics.destinationDlq(destination.id);
    const { deadLetters, replayedBy } = await this.read(dlqTopic);
    const views = deadLetters.map((d): DestinationDeadLetterView => {
      const replayId = replayedBy(d.coordinate);
      return {
        deliveryId: d.deliveryId,
        canonicalId: d.canonicalId,
        revision: d.revision,
        code: d.code,
        reason: d.reason,
        attempts: d.attempts,
        status: d.status,
        failedAt: d.failedAt,
        dlqCoordinate: d.coordinate,
        replayed: replayId !== undefined,
        replayId: replayId || null,
      };
    });
    return {
      destination: destination.id,
      dlqTopic,
      total: views.length,
      pending: views.filter((v) => !v.replayed).length,
      deadLetters: views,
    };
  }

  /** Replays the selected (or every pending) dead letter of `destination`. */
  replay(
    principal: Principal,
    destination: HttpDestination,
    deliveryIds?: string[],
  ): Promise<DestinationReplayReport> {
    const run = this.queue.then(() => this.run(principal, destination, deliveryIds));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async read(dlqTopic: string): Promise<{
    deadLetters: DestinationDeadLetter[];
    replayedBy: (coordinate: string) => string | undefined;
  }> {
    const deadLetters = (await this.deps.reader.readAll(dlqTopic)).map(describeDestinationDeadLetter);
    const traces = await findReplayTraces(
      this.deps.pool,
      deadLetters.map((d) => d.coordinate),
    );
    const traced = new Map<string, string>();
    for (const t of traces) if (!traced.get(t.replayOf)) traced.set(t.replayOf, t.replayId ?? '');
    const replayedBy = (coordinate: string) =>
      traced.get(coordinate) ?? this.ledger.replayOf(`at:${coordinate}`);
    return { deadLetters, replayedBy };
  }

  private async run(
    principal: Principal,
    destination: HttpDestination,
    deliveryIds: string[] | undefined,
  ): Promise<DestinationReplayReport> {
    const replayId = randomUUID();
    const dlqTopic = this.deps.topics.destinationDlq(destination.id);
    const deliveryTopic = this.deps.topics.delivery(destination.id);
    const { deadLetters, replayedBy } = await this.read(dlqTopic);
    const plan = planDestinationReplay(deadLetters, replayedBy, deliveryIds);

    if (plan.toReplay.length > 0) {
      const now = this.clock().toISOString();
      const messages = plan.toReplay.map((d) => destinationReplayMessage(d.record, deliveryTopic, replayId));
      const audit: AuditEvent[] = plan.toReplay.map((d) => ({
        eventId: auditEventId(AuditStages.REPLAYED, d.coordinate),
        stage: AuditStages.REPLAYED,
        occurredAt: now,
        actor: `person:${principal.name}`,
        council: d.council ?? undefined,
        domain: d.domain ?? undefined,
        entity: d.entity ?? undefined,
        sourceEventId: d.sourceEventId ?? undefined,
        canonicalId: d.canonicalId ?? undefined,
        revision: d.revision ?? undefined,
        deliveryId: d.deliveryId,
        code: d.code ?? undefined,
        detail: {
          destination: destination.id,
          replayOf: d.coordinate,
          replayId,
          dlqTopic: d.record.topic,
          dlqPartition: d.record.partition,
          dlqOffset: d.record.offset,
          targetTopic: deliveryTopic,
          roles: principal.roles.join(','),
        },
      }));
      await this.publish(messages, audit, replayId);
      this.ledger.record(
        plan.toReplay.map((d) => `at:${d.coordinate}`),
        replayId,
      );
    }

    return {
      replayId,
      destination: destination.id,
      replayed: plan.toReplay.length,
      items: plan.toReplay.map((d) => ({
        deliveryId: d.deliveryId,
        canonicalId: d.canonicalId,
        replayOf: d.coordinate,
      })),
      skipped: plan.skipped.map(({ deliveryId, reason, message, replayOf }) => ({
        deliveryId,
        reason,
        message,
        ...(replayOf ? { replayOf } : {}),
      })),
    };
  }

  private async publish(messages: OutboundMessage[], audit: AuditEvent[], replayId: string): Promise<void> {
    if (!this.producer) {
      const producer = this.deps.kafka.producer({
        transactionalId: this.deps.transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      this.producer = producer;
    }
    const transaction = await this.producer.transaction();
    try {
      await transaction.sendBatch({
        topicMessages: [
          {
            topic: messages[0].topic,
            messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
          },
          {
            topic: this.deps.topics.audit,
            messages: [{ key: `replay:${replayId}`, value: encodeAuditBatch(audit) }],
          },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}
