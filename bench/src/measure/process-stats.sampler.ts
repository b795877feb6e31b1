import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** One reading of one tracked process (or process tree). */
export interface ProcessSample {
  /** ms since the epoch */
  t: number;
  rssMb: number;
  /** VmHWM: the peak resident set since the process started. */
  hwmMb: number;
  /** utime + stime, seconds, cumulative (of the whole tree when children are included). */
  cpuSeconds: number;
}

interface Tracked {
  name: string;
  pid: () => number | undefined;
  includeChildren: boolean;
  samples: ProcessSample[];
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function statusKb(pid: number, field: string, text: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`no ${field} for ${pid}`);
  return Number(m[1]);
}

/** utime+stime ticks and parent pid from /proc/<pid>/stat (the command name may hold spaces and parens). */
function stat(pid: number): { ticks: number; ppid: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { ppid } = stat(Number(entry));
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Reads /proc for one pid: RSS, peak RSS, CPU seconds; undefined if it is gone. */
export function readProcess(pid: number, includeChildren = false): Omit<ProcessSample, 't'> | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    let ticks = stat(pid).ticks;
    let rssKb = statusKb(pid, 'VmRSS', status);
    const hwmKb = statusKb(pid, 'VmHWM', status);
    if (includeChildren) {
      for (const child of descendants(pid)) {
        try {
          ticks += stat(child).ticks;
          rssKb += statusKb(child, 'VmRSS', readFileSync(`/proc/${child}/status`, 'utf8'));
        } catch {
          // a backend that just exited
        }
      }
    }
    return { rssMb: rssKb / 1024, hwmMb: hwmKb / 1024, cpuSeconds: ticks / clockTicks() };
  } catch {
    return undefined;
  }
}

/**
 * Samples resident memory and CPU time of named processes every `intervalMs` from /proc (Linux), for
 * peak RSS per app, "is memory flat" over a sustained run, and CPU share per process during a scenario.
 */
export class ProcessStatsSampler {
  private readonly tracked = new Map<string, Tracked>();
  private timer?: NodeJS.Timeout;

  /** Adds (or replaces) a process to sample; `pid` is asked each time, so restarts are followed. */
  track(name: string, pid: () => number | undefined, includeChildren = false): void {
    const existing = this.tracked.get(name);
    this.tracked.set(name, { name, pid, includeChildren, samples: existing?.samples ?? [] });
  }

  start(intervalMs = 500): void {
    this.stop();
    this.timer = setInterval(() => this.sampleNow(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample of every tracked process now; returns the readings by name. */
  sampleNow(): Map<string, ProcessSample> {
    const t = Date.now();
    const out = new Map<string, ProcessSample>();
    for (const p of this.tracked.values()) {
      const pid = p.pid();
      if (pid === undefined) continue;
      const reading = readProcess(pid, p.includeChildren);
      if (!reading) continue;
      const sample = { t, ...reading };
      p.samples.push(sample);
      out.set(p.name, sample);
    }
    return out;
  }

  names(): string[] {
    return [...this.tracked.keys()];
  }

  /** Samples of one process between two times (inclusive). */
  samples(name: string, fromMs = 0, toMs = Number.POSITIVE_INFINITY): ProcessSample[] {
    return (this.tracked.get(name)?.samples ?? []).filter((s) => s.t >= fromMs && s.t <= toMs);
  }

  /** Peak resident memory (VmHWM; for trees, the largest RSS sum seen), MB. */
  peakRssMb(name: string): number | undefined {
    const list = this.tracked.get(name)?.samples ?? [];
    if (list.length === 0) return undefined;
    return Math.max(...list.map((s) => (this.tracked.get(name)!.includeChildren ? s.rssMb : s.hwmMb)));
  }
}

/** CPU used between two readings as a share of one core (100% = one core busy). */
export function cpuPercent(
  before: ProcessSample | undefined,
  after: ProcessSample | undefined,
): number | undefined {
  if (!before || !after || after.t <= before.t) return undefined;
  return ((after.cpuSeconds - before.cpuSeconds) / ((after.t - before.t) / 1000)) * 100;
}
