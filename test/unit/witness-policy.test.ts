/**
 * The tlog-policy file (c2sp.org/tlog-policy), rule by rule as the spec writes them, and quorum
 * evaluation: nested groups, k-of-n, all / any, none.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWitnessPolicy, PolicyError, POLICY_LIMIT, type WitnessPolicy } from '../../src/witness/policy.js';
import { quorumMet } from '../../src/witness/quorum.js';
import { logVkey, LocalWitness } from '../../log/witness.js';
import { LocalCtLog } from '../../log/log.js';

const keys = Array.from({ length: 8 }, (_, i) => new LocalWitness({ name: `w${i}.example` }).vkey());
const logKey = logVkey('ct.example/2026', new LocalCtLog());
const keyIdHex = (name: string, material: Uint8Array): string =>
  createHash('sha256').update(`${name}\n`).update(material).digest().subarray(0, 4).toString('hex');
/** An Ed25519 note key (0x01): a log may sign with it, a witness may not. */
const noteKey = (() => {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const material = Buffer.concat([Buffer.of(0x01), raw]);
  return `log.example+${keyIdHex('log.example', material)}+${material.toString('base64')}`;
})();

function problem(text: string | Uint8Array): string {
  try {
    parseWitnessPolicy(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message;
  }
  throw new Error('the policy parsed');
}

const witnessed = (policy: WitnessPolicy, ...names: string[]): boolean => quorumMet(policy, new Set(names));

describe('policy files that parse', () => {
  it("the spec's example: two levels of groups, a threshold, any and all", () => {
    const policy = parseWitnessPolicy(
      [
        `log ${logKey}`,
        '',
        `witness X1 ${keys[0]}`,
        `witness X2 ${keys[1]}`,
        `witness X3 ${keys[2]}`,
        'group X-witnesses 2 X1 X2 X3',
        '',
        `witness Y1 ${keys[3]}`,
        `witness Y2 ${keys[4]}`,
        `witness Y3 ${keys[5]}`,
        'group Y-witnesses any Y1 Y2 Y3',
        '',
        'group X-and-Y all X-witnesses Y-witnesses',
        'quorum X-and-Y',
        '',
      ].join('\n'),
    );
    expect(policy.logs).toHaveLength(1);
    expect(policy.witnesses.map((w) => w.name)).toEqual(['X1', 'X2', 'X3', 'Y1', 'Y2', 'Y3']);
    expect(policy.groups.map((g) => [g.name, g.threshold])).toEqual([
      ['X-witnesses', 2],
      ['Y-witnesses', 1],
      ['X-and-Y', 2],
    ]);
    expect(policy.quorum).toBe('X-and-Y');
    // 2 of X and 1 of Y.
    expect(witnessed(policy, 'X1', 'X3', 'Y2')).toBe(true);
    expect(witnessed(policy, 'X1', 'Y1', 'Y2', 'Y3')).toBe(false);
    expect(witnessed(policy, 'X1', 'X2', 'X3')).toBe(false);
    expect(witnessed(policy)).toBe(false);
  });

  it('whitespace (spaces and tabs, leading and trailing), comments, blank lines, no final newline', () => {
    const text = `  # a comment\n\t\n\twitness \t A  ${keys[0]}   https://w.example/a \t\n   quorum A`;
    const policy = parseWitnessPolicy(text);
    expect(policy.witnesses[0]).toMatchObject({ name: 'A', url: 'https://w.example/a' });
    expect(witnessed(policy, 'A')).toBe(true);
    expect(witnessed(policy, 'B')).toBe(false);
  });

  it('quorum none needs no witness, and no log list is needed either', () => {
    const policy = parseWitnessPolicy('quorum none\n');
    expect(policy).toEqual({ logs: [], witnesses: [], groups: [], quorum: 'none' });
    expect(witnessed(policy)).toBe(true);
  });

  it('names are octets: a Kelvin sign is not K, and non-UTF-8 bytes in names and comments are allowed', () => {
    const bytes = Buffer.concat([
      Buffer.from(`witness K ${keys[0]}\nwitness \u212a ${keys[1]}\n# caf`),
      Buffer.of(0xe9),
      Buffer.from(`\nwitness n`),
      Buffer.of(0xe9),
      Buffer.from(` ${keys[2]}\ngroup g all K \u212a n`),
      Buffer.of(0xe9),
      Buffer.from('\nquorum g\n'),
    ]);
    const policy = parseWitnessPolicy(bytes);
    expect(policy.witnesses.map((w) => w.name)).toEqual(['K', '\u212a', 'n\ufffd']);
    expect(witnessed(policy, 'K', 'n\u00e9')).toBe(false);
    expect(witnessed(policy, 'K', '\u00e2\u0084\u00aa', 'n\u00e9')).toBe(true);
  });

  it('k-of-n at the bounds, and groups of groups', () => {
    const policy = parseWitnessPolicy(
      [
        `witness a ${keys[0]}`,
        `witness b ${keys[1]}`,
        `witness c ${keys[2]}`,
        `witness d ${keys[3]}`,
        'group one 1 a',
        'group three 3 b c d',
        'group top 2 one three',
        'quorum top',
      ].join('\n'),
    );
    expect(witnessed(policy, 'a', 'b', 'c')).toBe(false);
    expect(witnessed(policy, 'a', 'b', 'c', 'd')).toBe(true);
    expect(witnessed(policy, 'b', 'c', 'd')).toBe(false);
  });

  it('log lines: any checkpoint signature type, with or without a URL', () => {
    const policy = parseWitnessPolicy(`log ${logKey} https://ct.example/2026/\nlog ${noteKey}\nquorum none\n`);
    expect(policy.logs.map((l) => l.key.type)).toEqual(['rfc6962', 'ed25519']);
    expect(policy.logs[0]!.url).toBe('https://ct.example/2026/');
  });
});

describe('policy files that do not parse, one rule at a time', () => {
  const w = (name: string, i = 0) => `witness ${name} ${keys[i]}`;

  it('exactly one quorum line, naming something defined before it', () => {
    expect(problem(`${w('A')}\n`)).toBe('the policy has no quorum line ("quorum <name>" or "quorum none")');
    expect(problem(`${w('A')}\nquorum A\nquorum none\n`)).toBe(
      'line 3: a second quorum line (the first is line 2): a policy has exactly one',
    );
    expect(problem(`quorum A\n${w('A')}\n`)).toBe(
      'line 1: the quorum "A" is not a witness or group defined on an earlier line',
    );
    expect(problem('quorum\n')).toBe('line 1: "quorum <name>" takes 1 item, not 0');
    expect(problem('quorum a b\n')).toBe('line 1: "quorum <name>" takes 1 item, not 2');
  });

  it('keywords and item counts', () => {
    expect(problem('witnesses A B\nquorum none')).toBe(
      'line 1: unknown keyword "witnesses" (expected log, witness, group or quorum)',
    );
    expect(problem('Quorum none')).toMatch(/^line 1: unknown keyword "Quorum"/);
    expect(problem(`witness A\nquorum none`)).toBe('line 1: "witness <name> <vkey> [<url>]" takes 2 or 3 items, not 1');
    expect(problem(`${w('A')} https://w.example extra\nquorum none`)).toMatch(/takes 2 or 3 items, not 4/);
    expect(problem('log\nquorum none')).toBe('line 1: "log <vkey> [<url>]" takes 1 or 2 items, not 0');
    expect(problem(`log ${logKey} https://x extra\nquorum none`)).toMatch(/takes 1 or 2 items, not 3/);
  });

  it('the character set: tab and newline only among control characters', () => {
    expect(problem(`${w('A')}\r\nquorum A\r\n`)).toBe(
      'line 1: the control character 0x0d (carriage return: use LF line ends) is not allowed',
    );
    expect(problem('quorum none\u0000')).toBe('line 1: the control character 0x00 is not allowed');
    expect(problem('# \u007f\nquorum none')).toBe('line 1: the control character 0x7f is not allowed');
    expect(problem('quorum\u000bnone')).toMatch(/control character 0x0b/);
  });

  it('names: one namespace, none predefined', () => {
    expect(problem(`${w('A')}\n${w('A', 1)}\nquorum A`)).toBe(
      'line 2: "A" is already the name of the witness of line 1',
    );
    expect(problem(`${w('A')}\ngroup A any A\nquorum A`)).toBe(
      'line 2: "A" is already the name of the witness of line 1',
    );
    expect(problem(`${w('none')}\nquorum none`)).toBe('line 1: "none" is predefined and cannot name a witness');
    expect(problem(`${w('A')}\ngroup none any A\nquorum none`)).toBe(
      'line 2: "none" is predefined and cannot name a group',
    );
  });

  it('keys: well-formed vkeys of a fitting type, no duplicates', () => {
    expect(problem('witness A nokey\nquorum A')).toBe(
      'line 1: the vkey of witness "A": a vkey is <key name>+<hex key ID>+<base64 key>, with two "+"',
    );
    const [name, id] = keys[0]!.split('+') as [string, string];
    expect(problem(`witness A ${name}+${id}+Ag==\nquorum A`)).toMatch(
      /^line 1: the vkey of witness "A": the key of ".*" has signature type 0x02 /,
    );
    expect(problem(`witness A ${noteKey}\nquorum A`)).toBe(
      'line 1: the vkey of witness "A" is of type ed25519; it must be one of cosignature/v1, ml-dsa-44',
    );
    expect(problem(`witness L ${logKey}\nquorum L`)).toMatch(
      /is of type rfc6962; it must be one of cosignature\/v1, ml-dsa-44/,
    );
    expect(problem(`${w('A')}\n${w('B')}\nquorum A`)).toBe(
      'line 2: the key of witness "B" is the one of line 1 (duplicate witnesses are not allowed)',
    );
    expect(problem(`log ${logKey}\nlog ${logKey}\nquorum none`)).toBe(
      'line 2: the log key is the one of line 1 (duplicate logs are not allowed)',
    );
    // The same key under another name and key ID is still the same key.
    const raw = Buffer.from(keys[0]!.slice(keys[0]!.indexOf('+', keys[0]!.indexOf('+') + 1) + 1), 'base64');
    const renamed = `other.example+${keyIdHex('other.example', raw)}+${raw.toString('base64')}`;
    expect(problem(`${w('A')}\nwitness B ${renamed}\nquorum A`)).toMatch(/duplicate witnesses are not allowed/);
  });

  it('witness URLs: absolute http(s), no credentials, query or fragment', () => {
    expect(problem(`${w('A')} w.example/a\nquorum A`)).toBe(
      'line 1: the witness URL "w.example/a" is not an absolute URL',
    );
    expect(problem(`${w('A')} ftp://w.example/\nquorum A`)).toBe(
      'line 1: the witness URL "ftp://w.example/" is not http(s)',
    );
    expect(problem(`${w('A')} https://u:p@w.example/\nquorum A`)).toMatch(/credentials, a query or a fragment/);
    expect(problem(`${w('A')} https://w.example/?x=1\nquorum A`)).toMatch(/credentials, a query or a fragment/);
  });

  it('groups: members defined before, each listed once, k between 1 and n in plain decimal', () => {
    const base = `${w('A')}\n${w('B', 1)}\n`;
    expect(problem(`${base}group G 1\nquorum G`)).toMatch(/needs a name, a threshold and at least one member/);
    expect(problem(`${base}group G any C\nquorum G`)).toBe(
      'line 3: group member "C" is not a witness or group defined on an earlier line',
    );
    expect(problem(`${base}group G any G\nquorum G`)).toMatch(
      /group member "G" is not a witness or group defined on an earlier line/,
    );
    expect(problem(`${base}group G any none\nquorum G`)).toBe('line 3: "none" cannot be a group member');
    expect(problem(`${base}group G any A A\nquorum G`)).toBe('line 3: "A" is listed twice in group "G"');
    expect(problem(`${base}group G any A\ngroup H any A B\nquorum H`)).toBe(
      'line 4: "A" is already a member of group "G" (line 3): a name can be a group member at most once',
    );
    expect(problem(`${base}group G 0 A B\nquorum G`)).toMatch(
      /threshold "0" is not all, any or a decimal number without leading zeros/,
    );
    expect(problem(`${base}group G 3 A B\nquorum G`)).toBe(
      'line 3: group "G": the threshold 3 is not between 1 and its 2 members',
    );
    expect(problem(`${base}group G 01 A B\nquorum G`)).toMatch(/threshold "01"/);
    expect(problem(`${base}group G +1 A B\nquorum G`)).toMatch(/threshold "\+1"/);
    expect(problem(`${base}group G some A B\nquorum G`)).toMatch(/threshold "some"/);
  });

  it("implementation limits beyond the spec's 32", () => {
    const many = Array.from({ length: POLICY_LIMIT + 1 }, (_, i) => new LocalWitness({ name: `m${i}` }).vkey());
    const text = `${many.map((k, i) => `witness m${i} ${k}`).join('\n')}\nquorum none\n`;
    expect(problem(text)).toBe(`line ${POLICY_LIMIT + 1}: more than ${POLICY_LIMIT} witnesses`);
    const at32 = `${many
      .slice(0, 32)
      .map((k, i) => `witness m${i} ${k}`)
      .join('\n')}\nquorum m31\n`;
    expect(parseWitnessPolicy(at32).witnesses).toHaveLength(32);
  });
});
