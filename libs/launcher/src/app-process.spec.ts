import { v8FlagsFor } from './app-process';

describe('v8FlagsFor', () => {
  it('caps the delivery app’s old space and young generation so its committed heap stays near what is live', () => {
    expect(v8FlagsFor('delivery')).toEqual(['--max-old-space-size=256', '--max-semi-space-size=2']);
  });

  it('leaves the CPU-bound stages on V8’s default heap sizing', () => {
    for (const app of ['ingest', 'router', 'audit-writer'] as const) expect(v8FlagsFor(app)).toEqual([]);
  });
});
