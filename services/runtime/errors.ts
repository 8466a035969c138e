/**
 * One error type for the whole appliance. `code` is stable and documented
 * per service (README "Error codes"); `message` is for humans.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** Type guard that also narrows on the code, e.g. `isAppError(e, 'CONFIG_INVALID')`. */
export function isAppError(err: unknown, code?: string): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** The message of anything thrown, for logs and CLI output. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
