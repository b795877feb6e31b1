import { DynamicModule, Global, Module } from '@nestjs/common';
import { HubConfig } from './hub-config';
import { HUB_CONFIG } from './config.tokens';

/** Makes the already-validated config injectable as `@Inject(HUB_CONFIG)`. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Readonly<HubConfig>): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }],
      exports: [HUB_CONFIG],
    };
  }
}
