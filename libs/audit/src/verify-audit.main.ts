import { loadConfig } from '@hub/config';
import { createPgPool } from '@hub/persistence';
import { verifyAuditLog } from './audit-log.verifier';

/**
 * `npm run audit:verify -- [--from ISO] [--to ISO] [--chain N]`: recomputes the audit log's hash chain
 * over the range and prints the report as JSON. Exit code 0 when intact, 1 when broken (naming the
 * first broken event), 2 on bad arguments or configuration.
 */
async function main(): Promise<number> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!['--from', '--to', '--chain'].includes(argv[i]) || argv[i + 1] === undefined) {
      console.error('usage: audit:verify [--from ISO-time] [--to ISO-time] [--chain N]');
      return 2;
    }
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const date = (name: string) => {
    const v = args.get(name);
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new Error(`--${name} must be an ISO 8601 date or time`);
    return d;
  };
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const pool = createPgPool(config.DATABASE_URL!, config.DATABASE_SCHEMA, 1);
  try {
    const chain = args.get('chain');
    const report = await verifyAuditLog(pool, {
      from: date('from'),
      to: date('to'),
      chain: chain === undefined ? undefined : Number(chain),
    });
    console.log(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
