import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import {
  AuditEvent,
  AuditStages,
  DeadLetterView,
  auditEventId,
  encodeAuditBatch,
  findReplayTraces,
  listDeadLetters,
} from '@hub/audit';
import { OutboundMessage, TopicNames, isDomain } from '@hub/platform';
import { Principal, councilScope } from '../auth/principal';
import { DeadLetterLocator } from './dead-letter.locator';
import { DeadLetterRecord, formatDlqCoordinate, replayMessage } from './replay-message';
import { ReplayLedger } from './replay.ledger';

/** Largest number of dead letters one request replays; a filter matching more reports `truncated`. */
export const MAX_REPLAY_PER_REQUEST = 500;

/** Which dead letters to replay: by rejection ids, or every pending one matching a filter. */
export type ReplaySelection =
  | { ids: string[] }
  | { filter: { council?: string; domain?: string; code?: string; from?: Date; to?: Date } };

/** Why a dead letter was not replayed. */
export type SkipReason = 'already-replayed' | 'not-found' | 'not-in-dlq' | 'source-mismatch';

/** The outcome for one dead letter. */
export interface ReplayItemResult {
  id: string;
  outcome: 'replayed' | 'skipped';
  reason?: SkipReason;
  message?: string;
  /** `<dlqTopic>/<partition>/<offset>` of the dead letter, once known. */
  replayOf?: string;
  targetTopic?: string;
}

/** The answer of `POST /api/dlq/replay`. */
export interface ReplayReport {
  replayId: string;
  requested: number;
  replayed: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** True when the filter matched more than {@link MAX_REPLAY_PER_REQUEST}; run it again for the rest. */
  truncated: boolean;
  results: ReplayItemResult[];
}

export interface ReplayDeps {
  pool: Pool;
  kafka: Kafka;
  topics: TopicNames;
  locator: DeadLetterLocator;
  /** Stable per console instance: a restarted console fences its own unfinished replay transaction. */
  transactionalId: string;
  ledger?: ReplayLedger;
  clock?: () => Date;
  /** Called after a replay was committed (to refresh cached feed health). */
  onReplayed?: () => void;
}

/**
 * Replays dead letters: reads each original record back from its DLQ topic, republishes its original
 * key, value and headers (minus the hub's) to the council topic it came from, with hub_replay_of and
 * hub_replay_id, and records a `replayed` audit event per record, all in ONE Kafka transaction so a
 * replay and its audit record exist together or not at all.
 *
 * A dead letter is replayed at most once: one already replayed (a `replayed` audit event for its
 * rejection id or DLQ coordinates, or a `received` event carrying its coordinates in replayOf, or this
 * process's ledger of the last minutes) is skipped and reported as such. Replays run one at a time in
 * this process, so two concurrent requests cannot both pass the check.
 */
export class ReplayDeadLettersUseCase {
  private producer?: Producer;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ledger: ReplayLedger;
  private readonly clock: () => Date;

  constructor(private readonly deps: ReplayDeps) {
    this.ledger = deps.ledger ?? new ReplayLedger();
    this.clock = deps.clock ?? (() => new Date());
  }

  execute(principal: Principal, selection: ReplaySelection): Promise<ReplayReport> {
    const run = this.queue.then(() => this.replay(principal, selection));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async replay(principal: Principal, selection: ReplaySelection): Promise<ReplayReport> {
    const replayId = randomUUID();
    const scope = councilScope(principal);
    const results = new Map<string, ReplayItemResult>();
    const skip = (id: string, reason: SkipReason, message: string, extra: Partial<ReplayItemResult> = {}) =>
      results.set(id, { id, outcome: 'skipped', reason, message, ...extra });

    // 1. The rejections, as the audit log holds them (a council only ever sees its own).
    let candidates: DeadLetterView[];
    let truncated = false;
    let requested: string[];
    if ('ids' in selection) {
      requested = [...new Set(selection.ids)];
      candidates = (
        await listDeadLetters(this.deps.pool, { ids: requested, council: scope, limit: requested.length })
      ).deadLetters;
      const known = new Set(candidates.map((c) => c.id));
      for (const id of requested) {
        if (!known.has(id))
          skip(
            id,
            'not-found',
            'No rejection with this id is in the audit log (or it is not yours to replay).',
          );
      }
    } else {
      const f = selection.filter;
      // A council token's filter naming another council matches nothing of its own.
      const page =
        scope !== undefined && f.council !== undefined && f.council !== scope
          ? { deadLetters: [], nextCursor: null }
          : await listDeadLetters(this.deps.pool, {
              council: scope ?? f.council,
              domain: f.domain,
              code: f.code,
              from: f.from,
              to: f.to,
              state: 'pending',
              limit: MAX_REPLAY_PER_REQUEST,
            });
      candidates = page.deadLetters;
      truncated = page.nextCursor !== null;
      requested = candidates.map((c) => c.id);
    }

    // 2. Already replayed, per the audit log or this process's ledger: skipped before touching Kafka.
    const toFind: Array<{ dl: DeadLetterView; target: string }> = [];
    for (const dl of candidates) {
      const earlier = dl.replay?.replayId ?? this.ledger.replayOf(`id:${dl.id}`);
      if (earlier) {
        skip(
          dl.id,
          'already-replayed',
          `Already replayed (replay ${earlier}); a dead letter is replayed at most once.`,
          {
            replayOf: dl.replay?.replayOf,
          },
        );
        continue;
      }
      const target =
        dl.council && dl.domain && isDomain(dl.domain)
          ? this.deps.topics.council(dl.council, dl.domain)
          : undefined;
      if (
        !target ||
        !dl.dlqTopic ||
        dl.sourceTopic === null ||
        dl.sourcePartition === null ||
        dl.sourceOffset === null
      ) {
        skip(
          dl.id,
          'not-in-dlq',
          'The rejection does not name a DLQ record (it predates DLQ coordinates in the audit log).',
        );
        continue;
      }
      // Replays go back where the record came from, and only to its own council's topic.
      if (dl.sourceTopic !== target) {
        skip(
          dl.id,
          'source-mismatch',
          `The record came from ${dl.sourceTopic}, not ${target}; it is not replayed elsewhere.`,
        );
        continue;
      }
      toFind.push({ dl, target });
    }

    // 3. The original records, read back from the DLQ topics.
    const located = await this.deps.locator.locate(
      toFind.map(({ dl }) => ({
        id: dl.id,
        dlqTopic: dl.dlqTopic!,
        sourceTopic: dl.sourceTopic!,
        sourcePartition: dl.sourcePartition!,
        sourceOffset: dl.sourceOffset!,
        rejectedAt: new Date(dl.receivedAt),
      })),
    );
    const ready: Array<{ dl: DeadLetterView; target: string; record: DeadLetterRecord; coordinate: string }> =
      [];
    for (const { dl, target } of toFind) {
      const record = located.get(dl.id);
      if (!record) {
        skip(
          dl.id,
          'not-in-dlq',
          `The record was not found in ${dl.dlqTopic} (past its retention, or its transaction did not commit).`,
        );
        continue;
      }
      ready.push({ dl, target, record, coordinate: formatDlqCoordinate(record) });
    }

    // 4. Replayed by coordinates (e.g. a replay whose audit event is still on its way, or a re-published record already received).
    const traces = await findReplayTraces(
      this.deps.pool,
      ready.map((r) => r.coordinate),
    );
    const traced = new Map(traces.map((t) => [t.replayOf, t]));
    const send: typeof ready = [];
    for (const r of ready) {
      const earlier = traced.get(r.coordinate)?.replayId ?? this.ledger.replayOf(`at:${r.coordinate}`);
      if (earlier || traced.has(r.coordinate)) {
        skip(
          r.dl.id,
          'already-replayed',
          `Already replayed (replay ${earlier ?? 'unknown'}); a dead letter is replayed at most once.`,
          {
            replayOf: r.coordinate,
          },
        );
      } else {
        send.push(r);
      }
    }

    // 5. Republish and audit, together.
    if (send.length > 0) {
      const now = this.clock().toISOString();
      const messages: OutboundMessage[] = send.map((r) => replayMessage(r.record, r.target, replayId));
      const audit: AuditEvent[] = send.map((r) => ({
        eventId: auditEventId(AuditStages.REPLAYED, r.coordinate),
        stage: AuditStages.REPLAYED,
        occurredAt: now,
        actor: `person:${principal.name}`,
        council: r.dl.council ?? undefined,
        domain: r.dl.domain ?? undefined,
        sourceEventId: r.dl.sourceEventId ?? undefined,
        fileId: r.dl.fileId ?? undefined,
        code: r.dl.code ?? undefined,
        detail: {
          replayOf: r.coordinate,
          replayId,
          originalEventId: r.dl.id,
          dlqTopic: r.record.topic,
          dlqPartition: r.record.partition,
          dlqOffset: r.record.offset,
          targetTopic: r.target,
          roles: principal.roles.join(','),
        },
      }));
      await this.publish(messages, audit, replayId);
      this.ledger.record(
        send.flatMap((r) => [`id:${r.dl.id}`, `at:${r.coordinate}`]),
        replayId,
      );
      for (const r of send)
        results.set(r.dl.id, {
          id: r.dl.id,
          outcome: 'replayed',
          replayOf: r.coordinate,
          targetTopic: r.target,
        });
      this.deps.onReplayed?.();
    }

    const ordered = requested
      .map((id) => results.get(id))
      .filter((r): r is ReplayItemResult => r !== undefined);
    const skippedByReason: Partial<Record<SkipReason, number>> = {};
    for (const r of ordered) if (r.reason) skippedByReason[r.reason] = (skippedByReason[r.reason] ?? 0) + 1;
    return {
      replayId,
      requested: ordered.length,
      replayed: ordered.filter((r) => r.outcome === 'replayed').length,
      skipped: ordered.filter((r) => r.outcome === 'skipped').length,
      skippedByReason,
      truncated,
      results: ordered,
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
      const byTopic = new Map<string, OutboundMessage[]>();
      for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
      await transaction.sendBatch({
        topicMessages: [
          ...[...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
          })),
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
