/** Bad input on the command line: its message names what was wrong, and the command exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
