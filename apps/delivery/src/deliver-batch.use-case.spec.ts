import { AuditStages, auditEventId, decodeAuditBatch } from '@hub/audit';
import { ConsumedMessage, DlqHeaders, ErrorCodes, TopicNames } from '@hub/platform';
import { DeliveryDlqHeaders, DeliveryHeaders, HttpDestination } from '@hub/routing';
import { DeliverBatchUseCase } from './deliver-batch.use-case';
import { DeliveryAttempt, DeliveryOutcome, DeliveryPort, DeliveryRequest } from './delivery.port';
import { DestinationUnavailableError } from './destination-unavailable.error';

const destination: HttpDestination = { id: 'webhook', kind: 'http', url: 'http://ssc.test/hook' };
const topics = new TopicNames();
const at = new Date('2026-11-23T12:00:01.000Z');

/** A port that answers from a script, keyed by canonical id, and remembers what it was asked. */
class ScriptedPort implements DeliveryPort {
  readonly requests: DeliveryRequest[] = [];
  constructor(private readonly script: Record<string, DeliveryOutcome>) {}
  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    this.requests.push(request);
    return this.script[(JSON.parse(request.body.toString()) as { id: string }).id];
  }
}

const attempt = (n: number, status: number | null, error?: string): DeliveryAttempt => ({
  attempt: n,
  at,
  status,
  latencyMs: 12,
  ...(error ? { error } : {}),
});

let offset = 0;
function routed(id: string, revision = `${id}-r1`): ConsumedMessage {
  const value = Buffer.from(
    JSON.stringify({
      schema: 'hub.crm.case.v1',
      id,
      revision,
      council: { slug: 'coventry' },
      source: { eventId: `ce-${id}`, eventTime: '2026-11-23T12:00:00.000Z' },
      data: {},
    }),
  );
  const headers = {
    [DeliveryHeaders.deliveryId]: `dlv-${revision}`,
    [DeliveryHeaders.routeId]: 'cases-http',
    [DeliveryHeaders.agreementId]: 'dsa-crm',
    [DeliveryHeaders.schema]: 'hub.crm.case.v1',
  };
  return {
    topic: topics.delivery('webhook'),
    partition: 2,
    offset: String(offset++),
    key: Buffer.from(id),
    value,
    headers,
    rawHeaders: headers,
    timestamp: '0',
  };
}

describe('DeliverBatchUseCase', () => {
  const run = (port: DeliveryPort, messages: ConsumedMessage[]) =>
    new DeliverBatchUseCase(destination, port, topics, () => at).execute({
      topic: topics.delivery('webhook'),
      partition: 2,
      messages,
    });

  it("delivers in offset order with the router's delivery id as Idempotency-Key and audits every attempt", async () => {
    const port = new ScriptedPort({
      a: {
        kind: 'delivered',
        attempts: [attempt(1, 503), attempt(2, null, 'UND_ERR_HEADERS_TIMEOUT'), attempt(3, 200)],
      },
      b: { kind: 'delivered', attempts: [attempt(1, 201)] },
    });
    const { outputs, tallies } = await run(port, [routed('a'), routed('b')]);
    expect(port.requests.map((r) => r.idempotencyKey)).toEqual(['dlv-a-r1', 'dlv-b-r1']);
    expect(port.requests[0].headers).toEqual({
      'X-Hub-Route-Id': 'cases-http',
      'X-Hub-Agreement-Id': 'dsa-crm',
      'X-Hub-Schema': 'hub.crm.case.v1',
    });
    expect(outputs.map((o) => o.topic)).toEqual([topics.audit]);
    const events = decodeAuditBatch(Buffer.from(String(outputs[0].value)));
    expect(events.map((e) => [e.canonicalId, e.stage, e.detail.attempt, e.detail.status])).toEqual([
      ['a', AuditStages.DELIVERY_ATTEMPTED, 1, 503],
      ['a', AuditStages.DELIVERY_ATTEMPTED, 2, null],
      ['a', AuditStages.DELIVERED, 3, 200],
      ['b', AuditStages.DELIVERED, 1, 201],
    ]);
    expect(events[1].detail).toMatchObject({
      destination: 'webhook',
      error: 'UND_ERR_HEADERS_TIMEOUT',
      latencyMs: 12,
    });
    expect(events[2]).toMatchObject({
      council: 'coventry',
      domain: 'crm',
      entity: 'crm.case',
      deliveryId: 'dlv-a-r1',
      sourceEventId: 'ce-a',
      actor: 'delivery',
    });
    expect(events[2].eventId).toBe(auditEventId(AuditStages.DELIVERED, 'a-r1', 'webhook'));
    expect(tallies.map((t) => [t.outcome, t.attempts, t.endToEndMs])).toEqual([
      ['delivered', 3, 1012],
      ['delivered', 1, 1012],
    ]);
  });

  it('dead-letters a refusal with the original bytes and the DELIVERY.REJECTED headers', async () => {
    const message = routed('a');
    const { outputs } = await run(
      new ScriptedPort({ a: { kind: 'rejected', attempts: [attempt(1, 400)] } }),
      [message],
    );
    const dlq = outputs.find((o) => o.topic === topics.destinationDlq('webhook'))!;
    expect(dlq.value).toBe(message.value);
    expect(dlq.key).toBe(message.key);
    expect(dlq.headers).toMatchObject({
      [DlqHeaders.code]: ErrorCodes.DELIVERY_REJECTED,
      [DlqHeaders.reason]: expect.stringContaining('HTTP 400'),
      [DlqHeaders.stage]: 'delivery',
      [DlqHeaders.sourceOffset]: message.offset,
      [DeliveryDlqHeaders.attempts]: '1',
      [DeliveryDlqHeaders.status]: '400',
      [DeliveryHeaders.deliveryId]: 'dlv-a-r1',
    });
    const events = decodeAuditBatch(
      Buffer.from(String(outputs.find((o) => o.topic === topics.audit)!.value)),
    );
    expect(events).toEqual([
      expect.objectContaining({ stage: AuditStages.DELIVERY_FAILED, code: ErrorCodes.DELIVERY_REJECTED }),
    ]);
  });

  it('dead-letters a record that ran out of attempts as DELIVERY.FAILED and goes on with the next', async () => {
    const port = new ScriptedPort({
      a: { kind: 'failed', attempts: [attempt(1, 500), attempt(2, 500)] },
      b: { kind: 'delivered', attempts: [attempt(1, 200)] },
    });
    const { outputs, tallies } = await run(port, [routed('a'), routed('b')]);
    const dlq = outputs.filter((o) => o.topic === topics.destinationDlq('webhook'));
    expect(dlq).toHaveLength(1);
    expect(dlq[0].headers).toMatchObject({
      [DlqHeaders.code]: ErrorCodes.DELIVERY_FAILED,
      [DeliveryDlqHeaders.attempts]: '2',
    });
    expect(tallies.map((t) => t.outcome)).toEqual(['failed', 'delivered']);
  });

  it('throws when the destination is unavailable, so the batch is retried whole instead of dead-lettered', async () => {
    const port = new ScriptedPort({
      a: { kind: 'delivered', attempts: [attempt(1, 200)] },
      b: {
        kind: 'unavailable',
        attempts: [attempt(1, 503)],
        reason: 'the circuit of destination webhook is open',
      },
    });
    await expect(run(port, [routed('a'), routed('b'), routed('c')])).rejects.toBeInstanceOf(
      DestinationUnavailableError,
    );
    expect(port.requests).toHaveLength(2);
  });

  it('never sends what is not a canonical record', async () => {
    const bad = { ...routed('a'), value: Buffer.from('not json') };
    const port = new ScriptedPort({});
    const { outputs } = await run(port, [bad]);
    expect(port.requests).toHaveLength(0);
    expect(outputs.find((o) => o.topic === topics.destinationDlq('webhook'))?.headers).toMatchObject({
      [DeliveryDlqHeaders.attempts]: '0',
    });
  });
});
