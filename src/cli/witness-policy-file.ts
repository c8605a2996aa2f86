/**
 * `--witness-policy <file>`: a C2SP tlog-policy file (c2sp.org/tlog-policy, src/witness/policy.ts)
 * naming the witnesses whose cosignatures `ctlens audit` looks for. A file that cannot be read or
 * does not parse is an InputError (exit 2): the file name, then what is wrong and on which line.
 */
import { parseWitnessPolicy, PolicyError, type WitnessPolicy } from '../witness/policy.js';
import { InputError } from './errors.js';
import { readInputFile } from './inputs.js';

export async function readWitnessPolicy(path: string): Promise<WitnessPolicy> {
  const bytes = await readInputFile(path, 'witness policy');
  try {
    return parseWitnessPolicy(bytes);
  } catch (e) {
    if (e instanceof PolicyError) throw new InputError(`${path}: ${e.message}`);
    throw e;
  }
}
