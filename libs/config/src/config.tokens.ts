/** Nest injection token for the validated {@link HubConfig}. */
export const HUB_CONFIG = Symbol('HUB_CONFIG');
