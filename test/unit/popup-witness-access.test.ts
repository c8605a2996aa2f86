/**
 * The witnesses an inclusion check contacts (popup/log-access.ts): from Options' tlog-policy text,
 * only witnesses with a plain http(s) address, named in the disclosure with what contacting them
 * reveals, and their origins added to Chromium's host permission request.
 */
import { describe, expect, it } from 'vitest';
import { hostPatterns, witnessDisclosure, witnessesToContact, type ContactedLog } from '../../popup/log-access.js';
import { LocalWitness } from '../../log/witness.js';

const LOGS: ContactedLog[] = [{ name: 'Test log (Op)', host: 'log.example', pattern: 'https://log.example/*' }];
const w1 = new LocalWitness({ name: 'witness.example/w1' }).vkey();
const w2 = new LocalWitness({ name: 'witness.example/w2' }).vkey();

describe('witnesses to contact', () => {
  it('those with an address, each named with its host; their origins join the permission request', () => {
    const policy = `witness w1 ${w1} https://w1.example/prefix\nwitness w2 ${w2}\ngroup g any w1 w2\nquorum g\n`;
    const witnesses = witnessesToContact(LOGS, policy);
    expect(witnesses).toEqual([{ name: 'witness w1', host: 'w1.example', pattern: 'https://w1.example/*' }]);
    expect(hostPatterns([...LOGS, ...witnesses])).toEqual(['https://log.example/*', 'https://w1.example/*']);
    expect(witnessDisclosure(witnesses)).toContain('witness w1 at w1.example');
    expect(witnessDisclosure(witnesses)).toContain('contacting a witness reveals only which log is being checked');
  });

  it('none without logs to check, without a policy, for a policy that does not parse, or a wildcard host', () => {
    const policy = `witness w1 ${w1} https://w1.example/\nquorum w1\n`;
    expect(witnessesToContact([], policy)).toEqual([]);
    expect(witnessesToContact(LOGS, null)).toEqual([]);
    expect(witnessesToContact(LOGS, 'quorum nobody\n')).toEqual([]);
    expect(witnessesToContact(LOGS, `witness w1 ${w1} https://*/\nquorum w1\n`)).toEqual([]);
    expect(witnessDisclosure([])).toBe('');
  });
});
