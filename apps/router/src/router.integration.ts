import type { Producer } from 'kafkajs';
import { AuditEvent, decodeAuditBatch } from '@hub/audit';
import { loadConfig } from '@hub/config';
import { HubApp, TopicNames } from '@hub/platform';
import { RoutingTable } from '@hub/routing';
import { newProducer, testStack, uniqueName, waitForMessages } from '@hub/testing';
import { startRouter } from './router.app';

/**
 * The router on the real broker: content rules, fan-out to several destinations, a record no route
 * covers (unrouted) and a flow no data-sharing agreement covers (refused), all audited.
 */
describe('router (real broker)', () => {
  const { brokers } = testStack();
  const namespace = `${uniqueName('route').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  let app: HubApp;
  let producer: Producer;

  const table = new RoutingTable({
    agreements: [
      {
        id: 'dsa-finance',
        title: 'Finance',
        parties: ['coventry', 'solihull', 'ssc'],
        recordTypes: ['finance.spend'],
        purpose: 'AP',
        validFrom: '2020-01-01',
      },
      {
        id: 'dsa-hr-coventry-only',
        title: 'HR',
        parties: ['coventry', 'ssc'],
        recordTypes: ['hr.employee'],
        purpose: 'Payroll',
        validFrom: '2020-01-01',
      },
    ],
    destinations: [
      { id: 'ledger', kind: 'kafka', service: 'ledger' },
      { id: 'review', kind: 'kafka', service: 'review' },
      { id: 'payroll', kind: 'kafka', service: 'payroll' },
    ],
    routes: [
      {
        id: 'all-spend',
        match: { entity: 'finance.spend' },
        destination: 'ledger',
        agreement: 'dsa-finance',
      },
      {
        id: 'big-spend',
        match: {
          entity: 'finance.spend',
          where: [{ field: 'data.netAmountPence', op: 'gte', value: 1_000_000 }],
        },
        destination: 'review',
        agreement: 'dsa-finance',
      },
      {
        id: 'employees',
        match: { entity: 'hr.employee' },
        destination: 'payroll',
        agreement: 'dsa-hr-coventry-only',
      },
    ],
  });

  beforeAll(async () => {
    const config = loadConfig({
      KAFKA_BROKERS: brokers.join(','),
      TOPIC_NAMESPACE: namespace,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    });
    app = await startRouter(config, table, [
      { domain: 'finance', entity: 'spend' },
      { domain: 'hr', entity: 'employee' },
      { domain: 'crm', entity: 'case' },
    ]);
    producer = newProducer(brokers, 'router-test');
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  const record = (id: string, council: string, schema: string, data: Record<string, unknown>) => ({
    schema,
    id,
    revision: `rev-${id}`,
    operation: 'upsert',
    council: { slug: council, gss: 'E00000000' },
    source: {
      system: 'test',
      recordId: id,
      eventId: `ce-${id}`,
      eventType: 't',
      eventTime: new Date().toISOString(),
      topic: 't',
      partition: 0,
      offset: '0',
    },
    mapping: { id: 'm', version: 1 },
    transformedAt: new Date().toISOString(),
    data,
  });

  it('fans out by content, refuses flows without an agreement, records unrouted ones, and audits each', async () => {
    await producer.send({
      topic: topics.canonical('finance', 'spend'),
      messages: [
        {
          key: 'small',
          value: JSON.stringify(
            record('small', 'coventry', 'hub.finance.spend.v1', { netAmountPence: 50_000 }),
          ),
        },
        {
          key: 'big',
          value: JSON.stringify(
            record('big', 'solihull', 'hub.finance.spend.v1', { netAmountPence: 2_500_000 }),
          ),
        },
      ],
    });
    await producer.send({
      topic: topics.canonical('hr', 'employee'),
      messages: [{ key: 'emp', value: JSON.stringify(record('emp', 'solihull', 'hub.hr.employee.v1', {})) }],
    });
    await producer.send({
      topic: topics.canonical('crm', 'case'),
      messages: [{ key: 'case', value: JSON.stringify(record('case', 'coventry', 'hub.crm.case.v1', {})) }],
    });

    const ledger = await waitForMessages(brokers, topics.ssc('ledger'), 2, { timeoutMs: 60_000 });
    expect(ledger.map((m) => m.key!.toString()).sort()).toEqual(['big', 'small']);
    expect(ledger[0].headers).toMatchObject({
      hub_route_id: 'all-spend',
      hub_agreement_id: 'dsa-finance',
      hub_delivery_id: expect.any(String),
    });
    const review = await waitForMessages(brokers, topics.ssc('review'), 1, {
      timeoutMs: 30_000,
      settleMs: 2_000,
    });
    expect(review.map((m) => m.key!.toString())).toEqual(['big']);
    // Solihull is not a party to the HR agreement: nothing reaches payroll.
    const payroll = await waitForMessages(brokers, topics.ssc('payroll'), 0, {
      timeoutMs: 5_000,
      settleMs: 2_000,
    });
    expect(payroll).toHaveLength(0);

    const auditMessages = await waitForMessages(brokers, topics.audit, 3, {
      timeoutMs: 30_000,
      settleMs: 2_000,
    });
    const events: AuditEvent[] = auditMessages.flatMap((m) => decodeAuditBatch(m.value));
    const stagesOf = (id: string) =>
      events
        .filter((e) => e.canonicalId === id)
        .map((e) => e.stage)
        .sort();
    expect(stagesOf('small')).toEqual(['delivered', 'routed']);
    expect(stagesOf('big')).toEqual(['delivered', 'delivered', 'routed', 'routed']);
    expect(events.find((e) => e.canonicalId === 'emp')).toMatchObject({
      stage: 'refused',
      code: 'ROUTING.NO_AGREEMENT',
      detail: { reason: expect.stringContaining('solihull') },
    });
    expect(events.find((e) => e.canonicalId === 'case')).toMatchObject({
      stage: 'unrouted',
      code: 'ROUTING.UNROUTED',
    });
  });
});
