export * from './audit-event';
export * from './audit-batch.message';
export * from './hash-chain';
export * from './audit-log.writer';
export * from './audit-log.verifier';
export * from './audit.queries';
