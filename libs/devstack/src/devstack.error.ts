/**
 * The one error type the dev stack throws. Its message always says what to do next (which log to read,
 * which port is taken, which tool is missing), because the person reading it is usually a developer whose
 * `npm test` just failed before any test ran.
 */
export class DevstackError extends Error {
  override readonly name = 'DevstackError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
