/**
 * The two speed patches to kafkajs' producer encoding (patches/kafkajs+2.2.4.patch, see kafkajs-patch.ts):
 * records encoded in place and a native CRC32C. They must not change one byte on the wire, so every record
 * here is encoded both ways: by the patched code and by kafkajs' original composition (a growing encoder, one
 * more encoder per header), rebuilt here from kafkajs' own pieces; and every checksum is compared with
 * kafkajs' own JavaScript table.
 */
import { installedKafkajsPatches } from './kafkajs-patch';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals have no type declarations */
interface KafkajsEncoder {
  readonly buffer: Buffer;
  writeVarInt(value: number): KafkajsEncoder;
  writeInt8(value: number): KafkajsEncoder;
  writeVarLong(value: number): KafkajsEncoder;
  writeVarIntBytes(value: unknown): KafkajsEncoder;
  writeVarIntArray(value: KafkajsEncoder[]): KafkajsEncoder;
}
type EncoderClass = {
  new (): KafkajsEncoder;
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: number): number;
  sizeOfVarIntBytes(value: unknown): number;
};
interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, string | Buffer | Array<string | Buffer>>;
}
const Encoder = require('kafkajs/src/protocol/encoder') as EncoderClass;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const Header = require('kafkajs/src/protocol/recordBatch/header/v0') as (header: {
  key: string;
  value: unknown;
}) => KafkajsEncoder;
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (
  record: RecordInput,
) => KafkajsEncoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: { records: KafkajsEncoder[]; transactional?: boolean }) => Promise<KafkajsEncoder>;
};
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{
  inTransaction: boolean;
  records: Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]> }>;
}>;
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
const jsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as (buffer: Buffer) => number;
/* eslint-enable @typescript-eslint/no-require-imports */

/** kafkajs 2.2.4's record encoding before the patch, from its own encoder and header pieces. */
function originalRecord({
  offsetDelta = 0,
  timestampDelta = 0,
  key,
  value,
  headers = {},
}: RecordInput): Buffer {
  const headersArray = Object.keys(headers).flatMap((k) => {
    const v = headers[k]!;
    return Array.isArray(v) ? v.map((one) => ({ key: k, value: one })) : [{ key: k, value: v }];
  });
  let sizeOfHeaders = Encoder.sizeOfVarInt(headersArray.length);
  for (const h of headersArray) {
    const keySize = Buffer.byteLength(h.key);
    const valueSize = Buffer.byteLength(h.value);
    sizeOfHeaders += Encoder.sizeOfVarInt(keySize) + keySize + Encoder.sizeOfVarInt(valueSize) + valueSize;
  }
  const sizeOfBody =
    1 +
    Encoder.sizeOfVarLong(timestampDelta) +
    Encoder.sizeOfVarInt(offsetDelta) +
    Encoder.sizeOfVarIntBytes(key) +
    Encoder.sizeOfVarIntBytes(value) +
    sizeOfHeaders;
  return new Encoder()
    .writeVarInt(sizeOfBody)
    .writeInt8(0)
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarIntArray(headersArray.map(Header)).buffer;
}

const RECORDS: Record<string, RecordInput> = {
  'no headers, string key and value': { key: 'k-1', value: '{"id":"a"}' },
  'a value longer than the old 512-byte starting buffer': {
    offsetDelta: 300,
    timestampDelta: 1234,
    key: 'canonical-record-id',
    value: 'x'.repeat(3_000),
  },
  'five delivery headers, as the router sends': {
    offsetDelta: 7,
    key: Buffer.from('rec-7'),
    value: Buffer.from('{"schema":"uk.gov.hub.hr.employee.v1"}'),
    headers: {
      'hub-delivery-id': '0f8c7e4e-5d2b-5b8e-9a51-6c1f2d3e4a5b',
      'hub-route-id': 'route-hr-payroll',
      'hub-agreement-id': 'dsa-2026-01',
      'hub-destination': 'ssc-payroll-kafka',
      'hub-schema': 'uk.gov.hub.hr.employee.v1',
    },
  },
  'a repeated header, a Buffer header and non-ASCII text': {
    key: 'clé',
    value: 'Ysgol Gymraeg — £12.50 ✓',
    headers: { trace: ['a', 'b'], raw: Buffer.from([0, 255, 10]), ce_subject: 'Llanfair Pwllgwyngyll' },
  },
  'a tombstone (no value) without a key': { key: null, value: null },
  'many headers, together over 512 bytes': {
    key: 'k',
    value: 'v',
    headers: Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`header-${i}`, `value-${i}`.repeat(3)]),
    ),
  },
};

describe('kafkajs producer encoding (speed patches)', () => {
  it('is the patched encoding, with the native checksum', () => {
    expect(installedKafkajsPatches()).toMatchObject({ recordsEncodedInPlace: true, nativeCrc32c: true });
  });

  it.each(Object.entries(RECORDS))('encodes a record byte for byte as kafkajs did: %s', (_, record) => {
    expect(Record(record).buffer.equals(originalRecord(record))).toBe(true);
  });

  it('encodes a batch that kafkajs decodes back to the same records, with the CRC of its body', async () => {
    const inputs = Object.values(RECORDS).map((r, i) => ({ ...r, offsetDelta: i }));
    const encoded = (await RecordBatch({ records: inputs.map(Record), transactional: true })).buffer;

    const decoded = await decodeRecordBatch(new Decoder(encoded));
    expect(decoded.inTransaction).toBe(true);
    expect(decoded.records.map((r) => r.value?.toString() ?? null)).toEqual(
      inputs.map((r) => (r.value === null ? null : r.value.toString())),
    );
    expect(decoded.records[2]!.headers['hub-route-id']!.toString()).toBe('route-hr-payroll');
    expect((decoded.records[3]!.headers.trace as Buffer[]).map(String)).toEqual(['a', 'b']);
    // Layout: firstOffset int64, length int32, leader epoch int32, magic int8, crc uint32, then the body.
    const crc = encoded.readUInt32BE(17);
    expect(crc).toBe(jsCrc32C(encoded.subarray(21)));
  });

  it('computes the same CRC32C as kafkajs’ JavaScript table, for every length', () => {
    let seed = 7;
    for (const length of [0, 1, 3, 7, 8, 9, 15, 16, 63, 64, 511, 4_096, 100_003]) {
      const buffer = Buffer.alloc(length);
      for (let i = 0; i < length; i += 1) {
        seed = (seed * 1_103_515_245 + 12_345) >>> 0;
        buffer[i] = seed >>> 24;
      }
      expect(crc32C(buffer)).toBe(jsCrc32C(buffer));
    }
    // The standard check value of CRC-32C (Castagnoli).
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});
