import type { Admin } from 'kafkajs';
import { ConsumerLagReader, partitionLag } from './consumer-lag.reader';

describe('consumer lag', () => {
  it('is the end offset minus the committed offset', () => {
    expect(partitionLag('40', '42', '0')).toBe(2);
    expect(partitionLag('42', '42', '0')).toBe(0);
  });

  it('counts from the earliest offset when the group has committed nothing', () => {
    expect(partitionLag('-1', '42', '30')).toBe(12);
  });

  it('never goes below zero, nor counts records already deleted by retention', () => {
    expect(partitionLag('50', '42', '0')).toBe(0);
    expect(partitionLag('5', '42', '30')).toBe(12);
  });

  it('sums partitions per topic, and reports 0 for a topic that does not exist yet', async () => {
    const admin = {
      listTopics: async () => ['council.coventry.finance'],
      fetchOffsets: async () => [
        {
          topic: 'council.coventry.finance',
          partitions: [
            { partition: 0, offset: '10' },
            { partition: 1, offset: '-1' },
          ],
        },
      ],
      fetchTopicOffsets: async () => [
        { partition: 0, offset: '12', high: '12', low: '0' },
        { partition: 1, offset: '3', high: '3', low: '0' },
      ],
    } as unknown as Admin;
    const lags = await new ConsumerLagReader(admin, 'hub-ingest').read([
      'council.coventry.finance',
      'council.solihull.finance',
    ]);
    expect(lags).toEqual([
      { topic: 'council.coventry.finance', lag: 5 },
      { topic: 'council.solihull.finance', lag: 0 },
    ]);
  });
});
