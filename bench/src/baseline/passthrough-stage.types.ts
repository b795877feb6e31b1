/** How one baseline pass-through process runs (written by the bench as JSON, path passed as argv[2]). */
export interface PassthroughStageConfig {
  brokers: string[];
  clientId: string;
  groupId: string;
  inputTopics: string[];
  mode: 'plain' | 'transactional';
  /** first-hop: council topic to canonical topic (as ingest); second-hop: canonical to SSC topics (as router). */
  role: 'first-hop' | 'second-hop';
  readCommitted: boolean;
  maxBytesPerPartition: number;
  lookupFile: string;
}

/** [ce_id, canonical topic, canonical key, canonical value, SSC topics]: what each hop outputs for a record. */
export type PassthroughLookupEntry = [string, string, string, string, string[]];
