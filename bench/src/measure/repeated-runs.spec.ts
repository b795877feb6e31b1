import type { RunSpread } from '../report/bench-results.model';
import type { CpuCost } from './cpu-cost.calculator';
import { medianRun, spreadNote } from './repeated-runs';

interface Run {
  recordsPerSecond: number;
  complete: boolean;
  cpu: CpuCost;
  runs?: RunSpread[];
}

const run = (recordsPerSecond: number, complete = true, cpuMs = 1): Run => ({
  recordsPerSecond,
  complete,
  cpu: { perProcess: {}, totalMsPerRecord: cpuMs, cpuBoundRecordsPerSecond: 2000 / cpuMs },
});

describe('medianRun', () => {
  it('returns a single run unchanged', () => {
    const only = run(1000);
    expect(medianRun([only])).toBe(only);
  });

  it('picks the median run by rate and lists every run in run order', () => {
    const result = medianRun([run(1300, true, 1.2), run(900, true, 1.7), run(1100, true, 1.4)]);
    expect(result.recordsPerSecond).toBe(1100);
    expect(result.cpu!.totalMsPerRecord).toBe(1.4);
    expect(result.runs).toEqual([
      { recordsPerSecond: 1300, cpuMsPerRecord: 1.2 },
      { recordsPerSecond: 900, cpuMsPerRecord: 1.7 },
      { recordsPerSecond: 1100, cpuMsPerRecord: 1.4 },
    ]);
  });

  it('counts an incomplete run as the slowest and takes the lower middle of an even count', () => {
    expect(medianRun([run(5000, false), run(1000), run(1200)]).recordsPerSecond).toBe(1000);
    expect(medianRun([run(1000), run(1400), run(1200), run(1300)]).recordsPerSecond).toBe(1200);
  });
});

describe('spreadNote', () => {
  it('says nothing for one run and lists the rates for several', () => {
    expect(spreadNote(undefined, String)).toBe('');
    expect(spreadNote([{ recordsPerSecond: 1 }], String)).toBe('');
    expect(spreadNote([{ recordsPerSecond: 1300 }, {}, { recordsPerSecond: 1100 }], (v) => `${v}/s`)).toBe(
      ' (median of 3: 1300/s / - / 1100/s)',
    );
  });
});
