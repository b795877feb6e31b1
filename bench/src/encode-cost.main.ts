import { installedKafkajsPatches } from '../../libs/platform/src/kafka/kafkajs-patch';

/**
 * CPU that kafkajs spends encoding what a producer sends, per message, in-process (no broker): record
 * batches of 200 messages of 1.5 KB, as the router sends to the SSC (five delivery headers) and as the
 * ingest sends canonical records (none), and the CRC32C of a 300 KB batch.
 *
 *   node -r ./scripts/register-ts.cjs bench/src/encode-cost.main.ts
 *
 * It measures whichever kafkajs is installed; the speed patches (see libs/platform/src/kafka/kafkajs-patch.ts)
 * are compared by running it before and after `npx patch-package --reverse` (then `npm install` again).
 * Measured 2026-11-24: five headers 25-31 → 9-12 µs per message, none 10-12 → 3.3-4.6 µs, CRC32C 2.3 → 0.04 µs
 * per KB.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals have no type declarations */
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: { records: unknown[]; transactional: boolean }) => Promise<unknown>;
};
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
/* eslint-enable @typescript-eslint/no-require-imports */

const PER_BATCH = 200;
const BATCHES = 300;
const value = Buffer.from(JSON.stringify({ schema: 'uk.gov.hub.hr.employee.v1', body: 'x'.repeat(1_450) }));
const DELIVERY_HEADERS = {
  'hub-delivery-id': '0f8c7e4e-5d2b-5b8e-9a51-6c1f2d3e4a5b',
  'hub-route-id': 'route-hr-payroll',
  'hub-agreement-id': 'dsa-2026-01',
  'hub-destination': 'ssc-payroll-kafka',
  'hub-schema': 'uk.gov.hub.hr.employee.v1',
};

async function encodeBatch(headers: object): Promise<void> {
  const records = [];
  for (let i = 0; i < PER_BATCH; i += 1)
    records.push(Record({ offsetDelta: i, timestampDelta: 0, key: `record-${i}`, value, headers }));
  await RecordBatch({ records, transactional: true });
}

async function microsPerMessage(headers: object): Promise<number> {
  for (let i = 0; i < 50; i += 1) await encodeBatch(headers); // warm-up
  const cpu = process.cpuUsage();
  for (let i = 0; i < BATCHES; i += 1) await encodeBatch(headers);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (BATCHES * PER_BATCH);
}

async function main(): Promise<void> {
  console.log(`kafkajs patches: ${JSON.stringify(installedKafkajsPatches())}`);
  console.log(`five headers: ${(await microsPerMessage(DELIVERY_HEADERS)).toFixed(2)} µs CPU per message`);
  console.log(`no headers:   ${(await microsPerMessage({})).toFixed(2)} µs CPU per message`);
  const big = Buffer.alloc(300_000, 7);
  const cpu = process.cpuUsage();
  for (let i = 0; i < 200; i += 1) crc32C(big);
  const used = process.cpuUsage(cpu);
  console.log(`CRC32C:       ${((used.user + used.system) / 200 / 300).toFixed(3)} µs CPU per KB`);
}

void main();
