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
 * Without `sendWaitsForEveryBroker` the runner falls back to one partition per produce request, which is
 * safe and about seven times slower per transaction. Without `abortedTransactionsSorted` there is no safe
 * fallback: the apps warn at start.
 */
export interface KafkajsPatches {
  sendWaitsForEveryBroker: boolean;
  abortedTransactionsSorted: boolean;
}

export function installedKafkajsPatches(): KafkajsPatches {
  return {
    sendWaitsForEveryBroker: sourceIncludes('producer/sendMessages.js', 'Promise.allSettled(requests)'),
    abortedTransactionsSorted: sourceIncludes(
      'consumer/filterAbortedMessages.js',
      '[...abortedTransactions].sort(',
    ),
  };
}

function sourceIncludes(file: string, marker: string): boolean {
  try {
    return readFileSync(require.resolve(`kafkajs/src/${file}`), 'utf8').includes(marker);
  } catch {
    return false;
  }
}
