/**
 * The worker's one error style: a handler throws a UserFacingError whose message is written for
 * people (what is wrong, what to do); the router (message-handlers.ts) sends it to the page as
 * `{ ok: false, error }`. Any other error is unexpected: logged, and worded as such.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}
