import { cpuCost } from './cpu-cost.calculator';
import { isJitCompilerThread, readProcess, threadTicks, type ProcessSample } from './process-stats.sampler';
import { renderCpuTable } from '../report/results-markdown.renderer';

const sample = (cpuSeconds: number, jitCpuSeconds?: number): ProcessSample => ({
  t: 0,
  rssMb: 100,
  hwmMb: 100,
  cpuSeconds,
  ...(jitCpuSeconds === undefined ? {} : { jitCpuSeconds }),
});

describe('the CPU each process spent per record', () => {
  it("splits out a JVM's JIT compiling, keeps it in the totals, and counts a process started mid-run from zero", () => {
    const before = new Map([
      ['kafka', sample(10, 4)],
      ['router', sample(2)],
      ['bench', sample(1)],
    ]);
    const after = new Map([
      ['kafka', sample(14, 5)],
      ['router', sample(4)],
      ['ingest', sample(3)],
      ['bench', sample(9)],
    ]);
    const cost = cpuCost(before, after, 2_000, (name) => name !== 'bench');
    expect(cost.perProcess).toEqual({
      kafka: { cpuSeconds: 4, msPerRecord: 2, jitMsPerRecord: 0.5 },
      router: { cpuSeconds: 2, msPerRecord: 1 },
      ingest: { cpuSeconds: 3, msPerRecord: 1.5 },
    });
    expect(cost.totalMsPerRecord).toBe(4.5);
  });

  it('says in the results which process paid for JIT compiling, and only when one did', () => {
    const withJit = renderCpuTable(
      cpuCost(new Map([['kafka', sample(0, 0)]]), new Map([['kafka', sample(2, 1)]]), 1_000, () => true),
    );
    expect(withJit).toContain('| kafka | 2 | 2 (of which JIT compiling: 1) |');
    expect(withJit).toContain("JIT compiling: the CPU of the JVM's compiler threads (kafka)");
    const without = renderCpuTable(
      cpuCost(new Map([['router', sample(0)]]), new Map([['router', sample(2)]]), 1_000, () => true),
    );
    expect(without).toContain('| router | 2 | 2 |');
    expect(without).not.toContain('JIT');
  });
});

describe('reading threads from /proc', () => {
  it("recognises HotSpot's compiler threads by their 15-character names", () => {
    expect(isJitCompilerThread('C2 CompilerThre\n')).toBe(true);
    expect(isJitCompilerThread('C1 CompilerThre')).toBe(true);
    expect(isJitCompilerThread('data-plane-kafk')).toBe(false);
    expect(isJitCompilerThread('GC Thread#0')).toBe(false);
  });

  it('adds user and system ticks, even when the thread name holds spaces and parentheses', () => {
    const stat = '4242 (C2 CompilerThre (x)) S 1 2 3 0 -1 4194368 10 0 0 0 731 27 0 0 20 0 1 0 100';
    expect(threadTicks(stat)).toBe(758);
  });

  it('reads this process (a Node process has no HotSpot compiler threads)', () => {
    const reading = readProcess(process.pid, { jvm: true });
    expect(reading?.cpuSeconds).toBeGreaterThan(0);
    expect(reading?.jitCpuSeconds).toBe(0);
    expect(readProcess(process.pid)?.jitCpuSeconds).toBeUndefined();
  });
});
