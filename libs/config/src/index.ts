export { HubConfig, ConfigError, loadConfig } from './hub-config';
export { HUB_CONFIG } from './config.tokens';
export { ConfigModule } from './config.module';
export { repoRoot } from './repo-root';
