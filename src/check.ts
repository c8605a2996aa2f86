/**
 * The core's entry point: a chain (and SCTs delivered beside it) in, a full report out.
 * browser/CLI → chain → SCTs → verification → policy → report. The verdicts alone: decide.ts.
 */
import { decide, type CheckInput, type Verdicts } from './decide.js';
import { buildReport, type Report } from './report.js';

export { decide, type CheckInput, type Verdicts };

/** decide() plus the full report people and tools read. */
export async function check(input: CheckInput): Promise<Report> {
  const { verification, policies } = await decide(input);
  return buildReport(verification, policies, input.registry);
}
