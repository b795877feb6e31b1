import { AppProcess, HubAppName } from './app-process';

export interface HubStackOptions {
  brokers: string[];
  databaseUrl: string;
  /** Topic prefix (unique per test); empty for `npm start`. */
  namespace: string;
  schema: string;
  tokensFile: string;
  logDir: string;
  /** Which apps, in start order. */
  apps: HubAppName[];
  /** Fixed HTTP ports per app; others get a free port. */
  ports?: Partial<Record<HubAppName, number>>;
  /** Extra environment for every app (e.g. LOG_LEVEL) or per app. */
  env?: Record<string, string>;
  appEnv?: Partial<Record<HubAppName, Record<string, string>>>;
  /** Echo apps' output to this process's stdout: all of them (true) or the ones listed. */
  echo?: boolean | HubAppName[];
}

/** The hub's apps as separate processes sharing one configuration. */
export class HubStack {
  readonly processes = new Map<string, AppProcess>();

  constructor(readonly options: HubStackOptions) {}

  /** Environment every app of this stack gets. */
  baseEnv(): Record<string, string> {
    const o = this.options;
    return {
      KAFKA_BROKERS: o.brokers.join(','),
      DATABASE_URL: o.databaseUrl,
      DATABASE_SCHEMA: o.schema,
      TOPIC_NAMESPACE: o.namespace,
      HUB_TOKENS_FILE: o.tokensFile,
      LOG_LEVEL: 'info',
      ...o.env,
    };
  }

  /** Starts the apps in order, each once the previous has started. */
  async start(): Promise<void> {
    for (const app of this.options.apps) await this.startApp(app);
  }

  async startApp(app: HubAppName, instance?: string): Promise<AppProcess> {
    const process = new AppProcess({
      app,
      instance,
      logDir: this.options.logDir,
      echo: Array.isArray(this.options.echo) ? this.options.echo.includes(app) : this.options.echo,
      env: {
        ...this.baseEnv(),
        HTTP_PORT: String(this.options.ports?.[app] ?? 0),
        ...this.options.appEnv?.[app],
      },
    });
    this.processes.set(process.name, process);
    await process.start();
    return process;
  }

  get(name: string): AppProcess {
    const p = this.processes.get(name);
    if (!p) throw new Error(`no app ${name} in this stack`);
    return p;
  }

  url(name: string): string {
    const url = this.get(name).url;
    if (!url) throw new Error(`${name} is not running`);
    return url;
  }

  /**
   * Stops every app gracefully. SIGTERM goes to all of them at once, synchronously, so they are told
   * even if this process is about to exit (a signal handler elsewhere may call process.exit).
   */
  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
  }
}
