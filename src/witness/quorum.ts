/**
 * tlog-policy quorum evaluation ("Defining the quorum", "Defining a witness group"): a witness
 * witnesses a checkpoint when it cosigned it; a group when at least k of its n members (witnesses
 * or groups) do; the quorum `none` always holds. Groups only refer to earlier lines, so the
 * definitions form no cycle and one pass in file order decides every group.
 */
import type { WitnessPolicy } from './policy.js';

/** Whether the witnesses (by policy id) that witnessed a checkpoint satisfy the policy's quorum. */
export function quorumMet(policy: WitnessPolicy, witnessed: ReadonlySet<string>): boolean {
  if (policy.quorum === 'none') return true;
  const holds = new Map<string, boolean>();
  for (const witness of policy.witnesses) holds.set(witness.id, witnessed.has(witness.id));
  for (const group of policy.groups) {
    const count = group.members.filter((member) => holds.get(member) === true).length;
    holds.set(group.id, count >= group.threshold);
  }
  return holds.get(policy.quorum) === true;
}
