import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * `npm run upload -- --council warwickshire --domain finance --file export.csv [--encoding windows-1252]
 *  [--url http://127.0.0.1:3000] [--token T]`: sends a council's file export to the files API, the
 * same way a council's scheduled job would, and prints the answer (file id, row counts, rejections).
 * The token comes from --token, HUB_TOKEN, or (locally) the ops token in .local/tokens.json.
 */
async function main(): Promise<number> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i].replace(/^--/, ''), argv[i + 1] ?? '');
  const council = args.get('council');
  const domain = args.get('domain');
  const file = args.get('file');
  if (!council || !domain || !file) {
    console.error(
      'usage: npm run upload -- --council <slug> --domain <hr|finance|crm|waste> --file <path> [--encoding e] [--url u] [--token t]',
    );
    return 2;
  }
  const url = args.get('url') ?? process.env.HUB_CONSOLE_URL ?? 'http://127.0.0.1:3000';
  const token = args.get('token') ?? process.env.HUB_TOKEN ?? localOpsToken();
  if (!token) {
    console.error(
      'no token: pass --token, set HUB_TOKEN, or run npm start once to create .local/tokens.json',
    );
    return 2;
  }
  const form = new FormData();
  const bytes = readFileSync(file);
  const type = /\.xml$/i.test(file) ? 'application/xml' : 'text/csv';
  form.set('file', new Blob([bytes], { type }), basename(file));
  if (args.get('encoding')) form.set('encoding', args.get('encoding')!);
  const response = await fetch(
    `${url}/api/councils/${encodeURIComponent(council)}/feeds/${encodeURIComponent(domain)}/files`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    },
  );
  const body = await response.text();
  console.log(body);
  return response.ok ? 0 : 1;
}

function localOpsToken(): string | undefined {
  try {
    const { tokens } = JSON.parse(readFileSync('.local/tokens.json', 'utf8')) as {
      tokens: Array<{ roles: string[]; token: string }>;
    };
    return tokens.find((t) => t.roles.includes('ops'))?.token;
  } catch {
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
