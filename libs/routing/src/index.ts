export * from './routing-config.types';
export * from './routing-table';
export * from './routing-config.loader';
export * from './delivery-headers';
