/**
 * Every unit test validates canonical records both ways, the fast check and class-validator, and fails if they
 * ever disagree (libs/mapping/src/class-validator-fast-check.ts; the switch is `setValidatorCrossCheck` in
 * canonical.validator.ts, kept on globalThis so this file need not load the module). The real-stack projects
 * set HUB_VALIDATOR_CROSSCHECK in global setup, so the ingest processes they start inherit it.
 */
(globalThis as Record<symbol, unknown>)[Symbol.for('@hub/mapping.validator-cross-check')] = true;
