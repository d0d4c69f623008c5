/**
 * A setting that is wrong, or a dependency it names that cannot be used (a bad C2M_DATABASE_URL,
 * a database migrated by newer code): start-up stops and main.ts prints the message alone, one
 * line that names the variable and what failed; a stack trace would say nothing more about it.
 */
export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupError';
  }
}
