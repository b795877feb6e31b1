export * from './app-process';
export * from './hub-stack';
export * from './local-tokens';
