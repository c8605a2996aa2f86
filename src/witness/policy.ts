/**
 * The C2SP transparency log trust policy file (c2sp.org/tlog-policy): `log <vkey> [<url>]`,
 * `witness <name> <vkey> [<url>]`, `group <name> all|any|<k> <name>...` and exactly one
 * `quorum <name>`, one a line; blank and `#` comment lines ignored. Parsing is strict: every rule of
 * the spec is checked and the first break is a PolicyError naming the line and what is wrong.
 *
 * The file is octets ("Character set"): names are compared as octet strings (kept here as one
 * char a byte, `id`), and shown to people decoded as UTF-8. vkeys and URLs must be UTF-8.
 */
import { fromUtf8, utf8, type Bytes } from '../bytes.js';
import { parseVkey, sameKey, VkeyError, type Vkey, type VkeyType } from '../note/vkey.js';

export class PolicyError extends Error {
  override name = 'PolicyError';
}

interface PolicyLog {
  readonly key: Vkey;
  /** Application specific (tlog-policy, "Defining a log"); ctlens reaches logs at their log list address. */
  readonly url?: string;
}

export interface PolicyWitness {
  /** The name's octets, one char a byte: what groups and the quorum refer to. */
  readonly id: string;
  /** The name for people (UTF-8, invalid bytes replaced). */
  readonly name: string;
  readonly key: Vkey;
  /** The witness's URL: ctlens asks it as the monitoring prefix (tlog-witness, "HTTP Interface"). */
  readonly url?: string;
}

interface PolicyGroup {
  readonly id: string;
  readonly name: string;
  /** k of k-of-n: 1 ≤ threshold ≤ members.length. */
  readonly threshold: number;
  /** The ids of witnesses and groups defined before the group. */
  readonly members: readonly string[];
}

export interface WitnessPolicy {
  readonly logs: readonly PolicyLog[];
  readonly witnesses: readonly PolicyWitness[];
  readonly groups: readonly PolicyGroup[];
  /** The id of the witness or group whose witnessing is required, or 'none' (no cosignature required). */
  readonly quorum: string;
}

/** Beyond the spec's recommended minimum of 32 each ("Implementation limits"). */
export const POLICY_LIMIT = 256;
const MAX_BYTES = 1 << 20;
const NONE = 'none';

/** tlog-policy, "Public key representation": a log's key signs checkpoints; a witness's cosigns them. */
const LOG_TYPES: readonly VkeyType[] = ['ed25519', 'cosignature/v1', 'rfc6962', 'ml-dsa-44'];
const WITNESS_TYPES: readonly VkeyType[] = ['cosignature/v1', 'ml-dsa-44'];

/** Parses a policy file (its bytes, or its text as UTF-8). Throws PolicyError. */
export function parseWitnessPolicy(file: Bytes | string): WitnessPolicy {
  const bytes = typeof file === 'string' ? utf8(file) : file;
  if (bytes.length > MAX_BYTES) throw new PolicyError(`the policy file is over ${MAX_BYTES} bytes`);
  const parser = new Parser();
  // "each line is terminated by ASCII newline"; a last line without one is read too.
  const lines = binaryString(bytes).split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) parser.line(line, i + 1);
  return parser.finish();
}

/** One char a byte (Latin-1), so that names keep their exact octets. */
function binaryString(bytes: Bytes): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}

const octets = (binary: string): Bytes => Uint8Array.from(binary, (c) => c.charCodeAt(0));
const display = (binary: string): string => new TextDecoder('utf-8').decode(octets(binary));
const quoted = (binary: string): string => JSON.stringify(display(binary));

type Defined = { readonly kind: 'witness' | 'group'; readonly line: number };

class Parser {
  private readonly logs: { log: PolicyLog; line: number }[] = [];
  private readonly witnesses: { witness: PolicyWitness; line: number }[] = [];
  private readonly groups: PolicyGroup[] = [];
  private readonly names = new Map<string, Defined>();
  /** Names listed as a group member, and the group's line ("at most once"). */
  private readonly members = new Map<string, { group: string; line: number }>();
  private quorum: { id: string; line: number } | undefined;

  line(text: string, n: number): void {
    const fail = (problem: string): never => {
      throw new PolicyError(`line ${n}: ${problem}`);
    };
    // "Character set": only tab and newline among the control characters (0x7F is not in 0x20-0x7E).
    const bad = /[\u0000-\u0008\u000a-\u001f\u007f]/.exec(text);
    if (bad) {
      const code = bad[0].charCodeAt(0);
      const cr = code === 0x0d ? ' (carriage return: use LF line ends)' : '';
      fail(`the control character 0x${code.toString(16).padStart(2, '0')}${cr} is not allowed`);
    }
    // "Structure": whitespace is ASCII space and tab only; leading and trailing allowed.
    const trimmed = text.replace(/^[ \t]+|[ \t]+$/g, '');
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const [keyword, ...args] = trimmed.split(/[ \t]+/) as [string, ...string[]];
    switch (keyword) {
      case 'log':
        this.log(args, n, fail);
        break;
      case 'witness':
        this.witness(args, n, fail);
        break;
      case 'group':
        this.group(args, n, fail);
        break;
      case 'quorum':
        this.setQuorum(args, n, fail);
        break;
      default:
        fail(`unknown keyword ${quoted(keyword)} (expected log, witness, group or quorum)`);
    }
  }

  finish(): WitnessPolicy {
    if (!this.quorum) throw new PolicyError('the policy has no quorum line ("quorum <name>" or "quorum none")');
    return {
      logs: this.logs.map((l) => l.log),
      witnesses: this.witnesses.map((w) => w.witness),
      groups: this.groups,
      quorum: this.quorum.id,
    };
  }

  private log(args: string[], n: number, fail: (p: string) => never): void {
    if (args.length < 1 || args.length > 2) fail(`"log <vkey> [<url>]" takes 1 or 2 items, not ${args.length}`);
    const key = vkey(args[0]!, LOG_TYPES, 'a log', fail);
    const same = this.logs.find((l) => sameKey(l.log.key, key));
    if (same) fail(`the log key is the one of line ${same.line} (duplicate logs are not allowed)`);
    if (this.logs.length >= POLICY_LIMIT) fail(`more than ${POLICY_LIMIT} logs`);
    const log = args[1] === undefined ? { key } : { key, url: utf8Text(args[1], 'the URL', fail) };
    this.logs.push({ log, line: n });
  }

  private witness(args: string[], n: number, fail: (p: string) => never): void {
    if (args.length < 2 || args.length > 3) {
      fail(`"witness <name> <vkey> [<url>]" takes 2 or 3 items, not ${args.length}`);
    }
    const id = args[0]!;
    this.define(id, 'witness', fail);
    const key = vkey(args[1]!, WITNESS_TYPES, `witness ${quoted(id)}`, fail);
    const same = this.witnesses.find((w) => sameKey(w.witness.key, key));
    if (same) {
      fail(`the key of witness ${quoted(id)} is the one of line ${same.line} (duplicate witnesses are not allowed)`);
    }
    if (this.witnesses.length >= POLICY_LIMIT) fail(`more than ${POLICY_LIMIT} witnesses`);
    const url = args[2] === undefined ? undefined : witnessUrl(args[2], fail);
    const witness: PolicyWitness = { id, name: display(id), key, ...(url === undefined ? {} : { url }) };
    this.witnesses.push({ witness, line: n });
    this.names.set(id, { kind: 'witness', line: n });
  }

  private group(args: string[], n: number, fail: (p: string) => never): void {
    if (args.length < 3) fail('"group <name> all|any|<k> <name>..." needs a name, a threshold and at least one member');
    const [id, k, ...members] = args as [string, string, ...string[]];
    this.define(id, 'group', fail);
    if (this.groups.length >= POLICY_LIMIT) fail(`more than ${POLICY_LIMIT} groups`);
    const seen = new Set<string>();
    for (const member of members) {
      if (member === NONE) fail(`"none" cannot be a group member`);
      if (!this.names.has(member)) {
        fail(`group member ${quoted(member)} is not a witness or group defined on an earlier line`);
      }
      if (seen.has(member)) fail(`${quoted(member)} is listed twice in group ${quoted(id)}`);
      const earlier = this.members.get(member);
      if (earlier) {
        const where = `group ${quoted(earlier.group)} (line ${earlier.line})`;
        fail(`${quoted(member)} is already a member of ${where}: a name can be a group member at most once`);
      }
      seen.add(member);
    }
    const threshold = k === 'all' ? members.length : k === 'any' ? 1 : decimal(k, fail);
    if (threshold < 1 || threshold > members.length) {
      fail(`group ${quoted(id)}: the threshold ${threshold} is not between 1 and its ${members.length} members`);
    }
    for (const member of members) this.members.set(member, { group: id, line: n });
    this.groups.push({ id, name: display(id), threshold, members });
    this.names.set(id, { kind: 'group', line: n });
  }

  private setQuorum(args: string[], n: number, fail: (p: string) => never): void {
    if (args.length !== 1) fail(`"quorum <name>" takes 1 item, not ${args.length}`);
    if (this.quorum) fail(`a second quorum line (the first is line ${this.quorum.line}): a policy has exactly one`);
    const id = args[0]!;
    if (id !== NONE && !this.names.has(id)) {
      fail(`the quorum ${quoted(id)} is not a witness or group defined on an earlier line`);
    }
    this.quorum = { id, line: n };
  }

  /** "Witnesses and groups share a single namespace"; `none` is predefined. */
  private define(id: string, kind: 'witness' | 'group', fail: (p: string) => never): void {
    if (id === NONE) fail(`"none" is predefined and cannot name a ${kind}`);
    const earlier = this.names.get(id);
    if (earlier) fail(`${quoted(id)} is already the name of the ${earlier.kind} of line ${earlier.line}`);
  }
}

function utf8Text(binary: string, what: string, fail: (p: string) => never): string {
  try {
    return fromUtf8(octets(binary));
  } catch {
    return fail(`${what} is not UTF-8`);
  }
}

function vkey(binary: string, types: readonly VkeyType[], whose: string, fail: (p: string) => never): Vkey {
  let key: Vkey;
  try {
    key = parseVkey(utf8Text(binary, `the vkey of ${whose}`, fail));
  } catch (e) {
    if (e instanceof VkeyError) return fail(`the vkey of ${whose}: ${e.message}`);
    throw e;
  }
  if (!types.includes(key.type)) {
    fail(`the vkey of ${whose} is of type ${key.type}; it must be one of ${types.join(', ')}`);
  }
  return key;
}

/** An absolute http(s) URL without credentials, query or fragment: the prefix the retrieval path is appended to. */
function witnessUrl(binary: string, fail: (p: string) => never): string {
  const text = utf8Text(binary, 'the witness URL', fail);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`the witness URL ${JSON.stringify(text)} is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`the witness URL ${JSON.stringify(text)} is not http(s)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    fail(`the witness URL ${JSON.stringify(text)} has credentials, a query or a fragment`);
  }
  return text;
}

/** "written in decimal": digits only, no sign and no leading zero. */
function decimal(text: string, fail: (p: string) => never): number {
  if (!/^[1-9][0-9]*$/.test(text)) {
    return fail(`the threshold ${quoted(text)} is not all, any or a decimal number without leading zeros`);
  }
  return Number(text);
}
