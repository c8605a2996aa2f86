/** Errors the CLI reports as one line on stderr with exit code 2 (bad usage, unreadable input). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Unreadable or invalid input: the message says what and where (file name first). */
export class InputError extends Error {
  override name = 'InputError';
}
