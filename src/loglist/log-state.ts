/** A log's state and operator at a given time, from the v3 list's current state and history. */
import type { LogInfo, LogStateName } from './schema.js';

/**
 * The log's state at `time` (ms). The list records only the current state and when it began;
 * before that, the state is inferred from Chrome's log lifecycle
 * (https://googlechrome.github.io/CertificateTransparency/log_states.html):
 * pending → qualified → usable → readonly/retired. Before a rejection the state is unknown:
 * Google's all-logs list also marks long-expired shards, once usable, as rejected.
 * Returns undefined for an unknown state and for a log the list gives no state (test logs, bare keys).
 */
export function stateAt(log: LogInfo, time: number): LogStateName | undefined {
  const state = log.state;
  if (!state) return undefined;
  if (time >= state.since) return state.name;
  switch (state.name) {
    case 'qualified':
    case 'pending':
      return 'pending';
    case 'rejected':
      return undefined;
    case 'usable':
      return 'qualified';
    case 'readonly':
    case 'retired':
      return 'usable';
  }
}

/** The operator running the log at `time`, honouring `previous_operators` (v3 schema). */
export function operatorAt(log: LogInfo, time: number): string {
  for (const previous of log.previousOperators) if (time < previous.endTime) return previous.name;
  return log.operator;
}
