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
  /**
   * Of `cpuSeconds`, the JVM's JIT compiler threads (C1, C2), for processes tracked with `jvm`: compiling the
   * hot paths of a freshly started JVM, a cost a long-running broker no longer pays.
   */
  jitCpuSeconds?: number;
}

/** How to read a tracked process. */
export interface TrackOptions {
  /** Add the CPU and RSS of its descendants (Postgres backends). */
  includeChildren?: boolean;
  /** A JVM: also read the CPU of its JIT compiler threads. */
  jvm?: boolean;
}

interface Tracked {
  name: string;
  pid: () => number | undefined;
  options: TrackOptions;
  samples: ProcessSample[];
}

/**
 * A HotSpot JIT compiler thread, by the name the JVM gives its native thread (`/proc/<pid>/task/<tid>/comm`,
 * cut to 15 characters: "C2 CompilerThre", "C1 CompilerThre").
 */
export function isJitCompilerThread(comm: string): boolean {
  return /^C[12] CompilerThre/.test(comm.trim());
}

/** utime + stime ticks of one thread, from the text of /proc/<pid>/task/<tid>/stat. */
export function threadTicks(statText: string): number {
  const rest = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/** Names of threads already read, by "<pid>/<tid>": a thread keeps its name, so comm is read once. */
const threadNames = new Map<string, string>();

/** CPU ticks of a JVM's JIT compiler threads (threads that exited are no longer counted). */
function jitTicks(pid: number): number {
  let ticks = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const key = `${pid}/${tid}`;
    try {
      let name = threadNames.get(key);
      if (name === undefined) {
        name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
        threadNames.set(key, name);
      }
      if (isJitCompilerThread(name))
        ticks += threadTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      // the thread exited meanwhile
    }
  }
  return ticks;
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
  return { ppid: Number(rest[1]), ticks: threadTicks(text) };
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
export function readProcess(pid: number, options: TrackOptions = {}): Omit<ProcessSample, 't'> | undefined {
  const { includeChildren = false, jvm = false } = options;
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
    const reading = { rssMb: rssKb / 1024, hwmMb: hwmKb / 1024, cpuSeconds: ticks / clockTicks() };
    return jvm ? { ...reading, jitCpuSeconds: jitTicks(pid) / clockTicks() } : reading;
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
  track(name: string, pid: () => number | undefined, options: TrackOptions = {}): void {
    const existing = this.tracked.get(name);
    this.tracked.set(name, { name, pid, options, samples: existing?.samples ?? [] });
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
      const reading = readProcess(pid, p.options);
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
    return Math.max(
      ...list.map((s) => (this.tracked.get(name)!.options.includeChildren ? s.rssMb : s.hwmMb)),
    );
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
