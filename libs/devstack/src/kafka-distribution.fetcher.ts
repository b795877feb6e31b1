import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { consoleDevstackLog, DevstackLog, formatMs } from './devstack-log';
import { DevstackError } from './devstack.error';
import { KAFKA_SLF4J_BINDING_VERSION, KAFKA_VERSION } from './kafka-version.constants';
import { localPath, repoRoot } from './repo-paths';

/** Where a fetched Kafka lives and how to run it. */
export interface KafkaDistribution {
  /** Apache Kafka version, e.g. `3.9.1`. */
  readonly version: string;
  /** Folder holding every runtime jar (`.local/kafka/<version>/libs`). */
  readonly libDir: string;
  /** Value for `java -cp`: the folder with a `*` wildcard, expanded by the JVM itself. */
  readonly classpath: string;
  /** The log4j 1.x (reload4j) configuration for broker and storage tool. */
  readonly log4jConfig: string;
}

/** Options for {@link ensureKafkaDistribution}. */
export interface EnsureKafkaDistributionOptions {
  /** Kafka version to fetch; defaults to the project's pin, {@link KAFKA_VERSION}. */
  readonly version?: string;
  /** Progress sink; defaults to stdout. */
  readonly log?: DevstackLog;
}

/** A heartbeat while Maven works, so a first run does not look hung. */
const PROGRESS_INTERVAL_MS = 5_000;
/** Written last, so an interrupted download is never mistaken for a complete one. */
const COMPLETE_MARKER = '.complete.json';

/**
 * Makes sure the Kafka broker's runtime jars are on disk, fetching them from Maven Central with
 * `mvn dependency:copy-dependencies` (deploy/kafka/pom.xml) on the first call, into the git-ignored
 * `.local/kafka/<version>/libs`. Later calls return at once (a completion marker is checked).
 *
 * Jars are copied into a scratch folder and renamed into place at the end, so a run killed halfway
 * leaves nothing that looks complete.
 */
export async function ensureKafkaDistribution(
  options: EnsureKafkaDistributionOptions = {},
): Promise<KafkaDistribution> {
  const version = options.version ?? KAFKA_VERSION;
  const log = options.log ?? consoleDevstackLog;
  const versionDir = localPath('kafka', version);
  const libDir = path.join(versionDir, 'libs');
  const distribution: KafkaDistribution = {
    version,
    libDir,
    classpath: path.join(libDir, '*'),
    log4jConfig: path.join(repoRoot(), 'deploy', 'kafka', 'log4j.properties'),
  };
  const marker = path.join(versionDir, COMPLETE_MARKER);
  if (fs.existsSync(marker) && fs.existsSync(libDir)) return distribution;

  fs.mkdirSync(versionDir, { recursive: true });
  const scratchDir = path.join(versionDir, `libs.partial-${process.pid}`);
  fs.rmSync(scratchDir, { recursive: true, force: true });
  const started = Date.now();
  log(`fetching Apache Kafka ${version} runtime jars from Maven Central into ${libDir} (first run only)`);
  await runMaven(version, scratchDir, (elapsedMs) => {
    log(
      `  ... still fetching Kafka ${version}: ${countJars(scratchDir)} jars copied, ${formatMs(elapsedMs)} elapsed`,
    );
  });

  // Another process may have finished the same download while we ran; theirs is as good as ours.
  if (fs.existsSync(marker)) {
    fs.rmSync(scratchDir, { recursive: true, force: true });
    return distribution;
  }
  fs.rmSync(libDir, { recursive: true, force: true });
  fs.renameSync(scratchDir, libDir);
  const jars = countJars(libDir);
  if (!fs.existsSync(path.join(libDir, `kafka_2.13-${version}.jar`))) {
    throw new DevstackError(
      `Maven finished but ${libDir} has no kafka_2.13-${version}.jar; check deploy/kafka/pom.xml`,
    );
  }
  fs.writeFileSync(
    marker,
    JSON.stringify({ version, jars, fetchedAt: new Date().toISOString(), ms: Date.now() - started }, null, 2),
  );
  log(`fetched ${jars} jars for Kafka ${version} in ${formatMs(Date.now() - started)}`);
  return distribution;
}

function runMaven(
  version: string,
  outputDir: string,
  onProgress: (elapsedMs: number) => void,
): Promise<void> {
  const pom = path.join(repoRoot(), 'deploy', 'kafka', 'pom.xml');
  const args = [
    '-q',
    '-B',
    '-Dstyle.color=never',
    '-f',
    pom,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
    `-Dkafka.version=${version}`,
    `-Dslf4j.version=${KAFKA_SLF4J_BINDING_VERSION}`,
  ];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('mvn', args, { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setInterval(() => onProgress(Date.now() - started), PROGRESS_INTERVAL_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(
        new DevstackError(
          error.code === 'ENOENT'
            ? 'Maven (mvn) is needed once to fetch the Kafka jars from Maven Central; install it (e.g. `apt-get install maven`) or set KAFKA_BROKERS to use an existing broker'
            : `Could not run mvn: ${error.message}`,
          { cause: error },
        ),
      );
    });
    child.once('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else reject(new DevstackError(`mvn ${args.join(' ')} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

function countJars(dir: string): number {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.jar')).length;
  } catch {
    return 0;
  }
}
