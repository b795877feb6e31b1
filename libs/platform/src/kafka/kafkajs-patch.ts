import { readFileSync } from 'node:fs';

/**
 * Which of this project's fixes to kafkajs 2.2.4 (patches/kafkajs+2.2.4.patch, applied by `patch-package`
 * on every `npm install`) the installed kafkajs carries. Both were found by the three-broker fault test
 * and confirmed in the broker's own log files (DumpLogSegments); docs/GUARANTEES.md tells the story.
 *
 * - `sendWaitsForEveryBroker` (producer/sendMessages.js): a multi-partition send goes to every leader
 *   broker at once, awaited with `Promise.all`. When one broker's request failed (AddPartitionsToTxn
 *   refused with CONCURRENT_TRANSACTIONS, routine right after a commit, or a leader dying), the retry
 *   started while another broker's produce was still in flight; that broker, not yet answered, was sent
 *   the same messages again with the next sequence numbers and appended them twice, inside the same
 *   transaction. The patch waits until every request has settled.
 * - `abortedTransactionsSorted` (consumer/filterAbortedMessages.js): the broker lists a fetch's aborted
 *   transactions in the order they were aborted; kafkajs assumed first-offset order and took at most one
 *   per record, so a transaction that began before another but was aborted after it was passed over and
 *   its records were handed to a read_committed consumer (the audit writer stored a router batch that had
 *   been aborted). The patch sorts them by first offset and takes every one begun, as the Java client.
 *
 *
 * One saves round trips: `coordinatorsRemembered` (producer/eosManager): a transactional producer looked its
 * transaction coordinator up (FindCoordinator) before each AddPartitionsToTxn, AddOffsetsToTxn and EndTxn,
 * and the consumer group's coordinator before each TxnOffsetCommit: 4 of a transaction's 9 requests, 3,334 of
 * the ingest's 8,358 requests at 500 records/s (hub_kafka_requests_total). It now remembers each coordinator
 * for the producer's life and forgets it when a request to it fails, so the retry looks it up again.
 *
 * Two more change only how fast kafkajs encodes what it produces, never the bytes (the spec compares them with
 * kafkajs' original encoding). Measured with bench/src/encode-cost.main.ts, CPU per produced message of 1.5 KB:
 * 25-31 µs with five headers and 10-12 µs without before; 9-12 and 3.3-4.6 µs after.
 *
 * - `recordsEncodedInPlace` (protocol/encoder.js, recordBatch/record/v0, recordBatch/v0): buffers come from
 *   `allocUnsafe` (every write is sequential and only written bytes are returned, so zero-filling was wasted),
 *   each record is encoded into one buffer of its exact size with its headers written in place (it was a
 *   512-byte buffer grown by copying, plus one more buffer per header), and a batch is sized for its records.
 * - `nativeCrc32c` (recordBatch/crc32C): the CRC32C of every produced record batch from `@node-rs/crc32`
 *   (0.04 µs per KB) instead of a byte-at-a-time JavaScript table (2.3 µs per KB); kafkajs' own code remains
 *   the fallback when the native module cannot load on a platform.
 *
 * Without `sendWaitsForEveryBroker` the runner falls back to one partition per produce request, which is
 * safe and about seven times slower per transaction. Without `abortedTransactionsSorted` there is no safe
 * fallback: the apps warn at start.
 */
export interface KafkajsPatches {
  sendWaitsForEveryBroker: boolean;
  abortedTransactionsSorted: boolean;
  coordinatorsRemembered: boolean;
  recordsEncodedInPlace: boolean;
  nativeCrc32c: boolean;
}

export function installedKafkajsPatches(): KafkajsPatches {
  return {
    sendWaitsForEveryBroker: sourceIncludes('producer/sendMessages.js', 'Promise.allSettled(requests)'),
    abortedTransactionsSorted: sourceIncludes(
      'consumer/filterAbortedMessages.js',
      '[...abortedTransactions].sort(',
    ),
    coordinatorsRemembered: sourceIncludes(
      'producer/eosManager/index.js',
      'const coordinatorNodeIds = new Map()',
    ),
    recordsEncodedInPlace:
      sourceIncludes('protocol/encoder.js', 'Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize))') &&
      sourceIncludes('protocol/recordBatch/record/v0/index.js', 'encoder.writeVarIntString(header.key)') &&
      sourceIncludes('protocol/recordBatch/v0/index.js', 'new Encoder(BATCH_BODY_HEADER_SIZE + recordBytes)'),
    nativeCrc32c: nativeCrc32cLoaded(),
  };
}

function sourceIncludes(file: string, marker: string): boolean {
  try {
    return readFileSync(require.resolve(`kafkajs/src/${file}`), 'utf8').includes(marker);
  } catch {
    return false;
  }
}

function nativeCrc32cLoaded(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('kafkajs/src/protocol/recordBatch/crc32C') as { native?: boolean }).native === true;
  } catch {
    return false;
  }
}
