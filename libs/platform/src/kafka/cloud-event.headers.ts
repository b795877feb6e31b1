/** CloudEvents 1.0 Kafka binding, binary mode: attribute header names. */
export const CeHeaders = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
} as const;

/** Headers the hub adds to DLQ records (CONTRACT.md). */
export const DlqHeaders = {
  code: 'hub_error_code',
  reason: 'hub_error_reason',
  stage: 'hub_error_stage',
  sourceTopic: 'hub_source_topic',
  sourcePartition: 'hub_source_partition',
  sourceOffset: 'hub_source_offset',
  failedAt: 'hub_failed_at',
} as const;

/** Headers the hub adds to records it re-publishes or derives. */
export const HubHeaders = {
  /** On a replayed record: the DLQ coordinates it was replayed from (topic/partition/offset). */
  replayOf: 'hub_replay_of',
  /** Id of the replay request, for lineage. */
  replayId: 'hub_replay_id',
  /** On rows split from a file export: the file id and 1-based row number. */
  fileId: 'hub_file_id',
  fileName: 'hub_file_name',
  fileRow: 'hub_file_row',
} as const;

export const SUPPORTED_CONTENT_TYPES = ['application/json', 'application/xml', 'text/csv'] as const;
export type SupportedContentType = (typeof SUPPORTED_CONTENT_TYPES)[number];
