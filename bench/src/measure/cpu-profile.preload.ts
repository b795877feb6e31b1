/**
 * Preloaded into hub apps with `--profile` (NODE_OPTIONS=--require ...; `--cpu-prof` itself is not allowed
 * in NODE_OPTIONS): samples the process with the V8 profiler from start to exit and writes
 * `<BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile` when it exits normally. The in-thread inspector session answers
 * synchronously, so the profile can be written from the `exit` event.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
