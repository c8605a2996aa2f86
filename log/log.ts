/**
 * A real, in-memory RFC 6962 CT log for tests: it signs SCTs (§3.2) for submitted chains, appends
 * their MerkleTreeLeafs (§3.4) to a Merkle tree (§2.1), signs tree heads (§3.5) and serves proofs.
 * Misbehaviour switches make it lie in the ways a monitor or auditor must notice.
 */
import { generateKeyPairSync, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { sha256, toBase64, toHex, type Bytes } from '../src/bytes.js';
import { HASH_SIZE, leafHash } from '../src/merkle/hash.js';
import type { SignedEntry } from '../src/sct/signed-data.js';
import {
  digitallySigned,
  leafIndexExtensions,
  merkleTreeLeaf,
  serializeSct,
  treeHeadSignatureInput,
} from './structs.js';
import { LogInputError, precertSubmission, x509Submission, type Submission } from './submission.js';
import { MerkleTree } from './tree.js';
import { defaultServing, type Serving } from './serving.js';

export { LogInputError } from './submission.js';

/** Ways to misbehave; flip them at any time (`log.misbehave = { fork: true }`). */
export interface Misbehaviour {
  /**
   * Split view: from the first read after this is turned on, the log serves (and signs heads for) a
   * tree whose then-last leaf is replaced by the same entry one millisecond later (the first leaf,
   * if the tree was empty); later entries join both trees. Old heads and the fork's heads give two
   * roots for one size, and the replaced entry's SCT has no inclusion proof. Off: the honest tree again.
   */
  fork?: boolean;
  /**
   * RFC 9162 split view at the proof endpoint: /ct/v2/ get-proof-by-hash answers for a tree it
   * knows with the honest inclusion proof and, beside it, a signed head of that size whose root is
   * forkedRoot's, so the proof endpoint shows another history than get-sth.
   */
  forkProofSth?: boolean;
  /**
   * Audit paths and consistency proofs come with a byte flipped (empty proofs stay empty); so does
   * the last hash of every static-ct-api hash tile.
   */
  wrongProofs?: boolean;
  /**
   * Split view between witnesses and clients: clients are served the fork `fork` serves, while the
   * checkpoints the log submits to witnesses (witnessSth, witnessConsistencyProof) stay on the
   * honest tree, so witnesses cosign one tree and clients see another.
   */
  splitWitness?: boolean;
  /**
   * Tree head signatures (get-sth, and the checkpoint's note signature) come with a byte flipped
   * (the DER stays well-formed).
   */
  badSthSignature?: boolean;
  /**
   * Tree heads (get-sth, checkpoints) are signed, validly, over a root with a byte flipped: a root
   * the entries do not hash to.
   */
  wrongRoot?: boolean;
  /**
   * The HTTP front end answers the next `requests` requests (any API) with 429 Too Many Requests,
   * and `Retry-After: <retryAfter>` when given; then serves as usual again.
   */
  rateLimit?: { requests: number; retryAfter?: string };
  /** The HTTP front end delays every response this long (ms). */
  slowMs?: number;
  /** The HTTP front end sends truncated JSON (true, 'truncated') or a body that is no JSON at all. */
  garbage?: boolean | 'truncated' | 'not-json';
  /**
   * static-ct-api answers (checkpoint, tiles, issuers) say `Content-Encoding: gzip` over a gzip
   * stream cut in half ('truncated'), bytes that are no gzip ('garbage'), or a gzip bomb ('bomb':
   * a few KiB that decompress to 64 MiB).
   */
  badGzip?: 'truncated' | 'garbage' | 'bomb';
}

export interface LocalCtLogOptions {
  /** New entries stay pending, out of the tree, until they are this old (ms); default 0, merged at once. */
  readonly mergeDelayMs?: number;
  /** The clock (ms since the epoch); default Date.now. */
  readonly now?: () => number;
  /** An ECDSA P-256 private key; default a fresh one. */
  readonly privateKey?: KeyObject;
  readonly description?: string;
  /**
   * A tiled (static-ct-api) log: every SCT carries the leaf_index extension, which the
   * MerkleTreeLeaf then includes (the entry is sequenced before the SCT is signed).
   */
  readonly tiled?: boolean;
  /** The checkpoint origin; default the address the request reached, e.g. "127.0.0.1:6962". */
  readonly origin?: string;
  /** The log's own Ed25519 key, which cosigns its checkpoints (cosignature/v1); default a fresh one. */
  readonly noteKey?: KeyObject;
  /** How the static-ct-api read path and add-pre-chain behave (serving.ts); default defaultServing(). */
  readonly serving?: Partial<Serving>;
}

/** One log entry: what get-entries returns, plus what it was made from. */
export interface LocalLogEntry {
  readonly timestamp: number;
  readonly entry: SignedEntry;
  /** The MerkleTreeLeaf (§3.4), get-entries' leaf_input. */
  readonly leafInput: Bytes;
  /** SHA-256(0x00 ‖ leafInput) (§2.1). */
  readonly leafHash: Bytes;
  readonly extraData: Bytes;
  /** The CtExtensions in the leaf (and the SCT): the leaf_index for a tiled log, else empty. */
  readonly extensions: Bytes;
  /** The submitted chain, leaf first (static-ct-api data tiles). */
  readonly chain: readonly Bytes[];
}

/** An SCT (§3.2), serialized and as the fields add-chain returns (§4.1). */
export interface IssuedSct {
  /** The serialized SignedCertificateTimestamp, as TLS and certificates carry it. */
  readonly bytes: Bytes;
  readonly logId: Bytes;
  readonly timestamp: number;
  readonly extensions: Bytes;
  /** The DigitallySigned struct (hash, signature algorithm, DER signature). */
  readonly signature: Bytes;
  /** The leaf hash of the entry the SCT promises. */
  readonly leafHash: Bytes;
}

/** A signed tree head (§3.5, get-sth §4.3). */
export interface LocalTreeHead {
  readonly treeSize: number;
  readonly timestamp: number;
  readonly rootHash: Bytes;
  /** The DigitallySigned TreeHeadSignature. */
  readonly signature: Bytes;
}

/** The tree the log currently serves: the honest one, or a fork of it. */
export interface View {
  readonly tree: MerkleTree;
  readonly entry: (index: number) => LocalLogEntry;
}

interface Fork {
  readonly tree: MerkleTree;
  /** The index of the replaced leaf. */
  readonly index: number;
  replacement?: LocalLogEntry;
}

const flipLastByte = (bytes: Bytes): Bytes => {
  const out = bytes.slice();
  if (out.length) out[out.length - 1]! ^= 0x01;
  return out;
};

export class LocalCtLog {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Bytes;
  /** SHA-256 of the SPKI (§3.2). */
  readonly logId: Bytes;
  readonly description: string;
  readonly tiled: boolean;
  origin: string | undefined;
  /** Ed25519: cosigns the realistic checkpoints under the origin (serving.realisticCheckpoints). */
  readonly noteKey: KeyObject;
  serving: Serving;
  misbehave: Misbehaviour = {};
  /**
   * The root certificates (DER) get-roots (§4.7) and /ct/v2/ get-anchors list; default none. The
   * log accepts any root whatever this lists.
   */
  roots: Bytes[] = [];
  mergeDelayMs: number;
  private readonly now: () => number;
  private readonly merged: LocalLogEntry[] = [];
  private readonly pending: LocalLogEntry[] = [];
  private readonly tree = new MerkleTree();
  private fork: Fork | undefined;
  private lastTimestamp = 0;
  /** Every issuer submitted, by lowercase hex SHA-256 (static-ct-api "Issuers"). */
  private readonly issuers = new Map<string, Bytes>();

  constructor(options: LocalCtLogOptions = {}) {
    this.privateKey = options.privateKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const details = this.privateKey.asymmetricKeyDetails;
    if (this.privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1')
      throw new RangeError('the log key must be ECDSA P-256');
    this.spki = new Uint8Array(createPublicKey(this.privateKey).export({ type: 'spki', format: 'der' }));
    this.logId = sha256(this.spki);
    this.description = options.description ?? `ctlens test log ${toBase64(this.logId).slice(0, 8)}`;
    this.mergeDelayMs = options.mergeDelayMs ?? 0;
    this.now = options.now ?? Date.now;
    this.tiled = options.tiled ?? false;
    this.origin = options.origin;
    this.noteKey = options.noteKey ?? generateKeyPairSync('ed25519').privateKey;
    this.serving = { ...defaultServing(), ...options.serving };
  }

  get logIdBase64(): string {
    return toBase64(this.logId);
  }

  /** The public key as PEM ("PUBLIC KEY"). */
  publicKeyPem(): string {
    return createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /** add-chain (§4.1): an SCT for an x509_entry of chain[0]. Throws LogInputError for a chain the log refuses. */
  addChain(chain: readonly Bytes[]): IssuedSct {
    return this.add(x509Submission(chain));
  }

  /** add-pre-chain (§4.2): an SCT for a precert_entry of the precertificate chain[0] issued by chain[1]. */
  addPreChain(chain: readonly Bytes[]): IssuedSct {
    return this.add(precertSubmission(chain, this.serving));
  }

  /** Entries signed for but not yet in the tree. */
  get pendingCount(): number {
    this.merge();
    return this.pending.length;
  }

  /** The size of the tree the log serves now. */
  get treeSize(): number {
    return this.view().tree.size;
  }

  /** get-sth (§4.3): the current tree head, signed (§3.5). */
  sth(): LocalTreeHead {
    return this.signedHead(this.view().tree);
  }

  /** The signed head of the tree witnesses are shown: the honest one under splitWitness, else the served one. */
  witnessSth(): LocalTreeHead {
    return this.signedHead(this.witnessTree());
  }

  /** PROOF(first, D[second]) in the tree witnesses are shown, for tlog-witness add-checkpoint. */
  witnessConsistencyProof(first: number, second: number): Bytes[] {
    const tree = this.witnessTree();
    checkSize(second, 0, tree.size, `second ${second} is not in 0..${tree.size} (the tree size)`);
    checkSize(first, 0, second, `first ${first} is not in 0..${second} (second)`);
    return tree.consistencyProof(first, second);
  }

  private witnessTree(): MerkleTree {
    if (!this.misbehave.splitWitness) return this.view().tree;
    this.merge();
    return this.tree;
  }

  private signedHead(tree: MerkleTree): LocalTreeHead {
    const timestamp = Math.floor(this.now());
    const rootHash = this.misbehave.wrongRoot ? flipLastByte(tree.root()) : tree.root();
    let signature: Bytes = new Uint8Array(
      sign('sha256', treeHeadSignatureInput(timestamp, tree.size, rootHash), this.privateKey),
    );
    if (this.misbehave.badSthSignature) signature = flipLastByte(signature);
    return { treeSize: tree.size, timestamp, rootHash, signature: digitallySigned(signature) };
  }

  /** get-sth-consistency (§4.4): PROOF(first, D[second]). */
  consistencyProof(first: number, second: number): Bytes[] {
    const { tree } = this.view();
    checkSize(second, 0, tree.size, `second ${second} is not in 0..${tree.size} (the tree size)`);
    checkSize(first, 0, second, `first ${first} is not in 0..${second} (second)`);
    return this.maybeWrong(tree.consistencyProof(first, second));
  }

  /**
   * get-proof-by-hash (§4.5): the leaf's index and audit path in the tree of `treeSize`, or undefined
   * when it is not in that tree.
   */
  proofByHash(hash: Bytes, treeSize: number): { leafIndex: number; auditPath: Bytes[] } | undefined {
    if (hash.length !== HASH_SIZE) throw new LogInputError(`hash is ${hash.length} bytes, not ${HASH_SIZE}`);
    const { tree } = this.view();
    checkSize(treeSize, 1, tree.size, `tree_size ${treeSize} is not in 1..${tree.size} (the tree size)`);
    const leafIndex = tree.indexOf(hash);
    if (leafIndex === undefined || leafIndex >= treeSize) return undefined;
    return { leafIndex, auditPath: this.maybeWrong(tree.inclusionProof(leafIndex, treeSize)) };
  }

  /** get-entries (§4.6): entries start..end inclusive, cut at the tree's end and at `max`. */
  entries(start: number, end: number, max = 256): LocalLogEntry[] {
    const view = this.view();
    if (view.tree.size === 0) throw new LogInputError('the tree is empty');
    checkSize(start, 0, view.tree.size - 1, `start ${start} is not below the tree size ${view.tree.size}`);
    if (!Number.isSafeInteger(end) || end < start) throw new LogInputError(`end ${end} is before start ${start}`);
    const last = Math.min(end, view.tree.size - 1, start + max - 1);
    return Array.from({ length: last - start + 1 }, (_, i) => view.entry(start + i));
  }

  /** The tree (and entries) the log serves now, after merging: the honest one or the fork. */
  served(): View {
    return this.view();
  }

  /**
   * MTH of a fork of the served tree's first `size` leaves (1 ≤ size ≤ the tree size): the last of
   * them replaced by the same entry one millisecond later, as `fork` would serve it.
   */
  forkedRoot(size: number): Bytes {
    const view = this.view();
    checkSize(size, 1, view.tree.size, `tree_size ${size} is not in 1..${view.tree.size} (the tree size)`);
    const tree = new MerkleTree();
    for (let i = 0; i < size - 1; i++) tree.append(view.tree.leaf(i));
    const last = view.entry(size - 1);
    tree.append(this.entryAt(last.timestamp + 1, last.entry, last.extraData, last.extensions, last.chain).leafHash);
    return tree.root();
  }

  /** An issuer certificate by the lowercase hex of its SHA-256, when some submission had it. */
  issuer(fingerprintHex: string): Bytes | undefined {
    return this.issuers.get(fingerprintHex);
  }

  /** Moves pending entries at least mergeDelayMs old into the tree (every read does this first). */
  merge(): void {
    const now = this.now();
    while (this.pending.length && now - this.pending[0]!.timestamp >= this.mergeDelayMs) {
      const entry = this.pending.shift()!;
      this.merged.push(entry);
      this.tree.append(entry.leafHash);
    }
  }

  /**
   * Appends many entries at once without issuing SCTs (tests and benchmarks that fill the log): each
   * chain as add-chain, or add-pre-chain for a precertificate, would submit it. Throws LogInputError.
   */
  bulkAdd(chains: readonly (readonly Bytes[])[], { precert = false }: { precert?: boolean } = {}): void {
    for (const chain of chains) this.sequence(precert ? precertSubmission(chain, this.serving) : x509Submission(chain));
  }

  private add(submission: Submission): IssuedSct {
    const { timestamp, logEntry, extensions } = this.sequence(submission);
    // The SCT signs exactly the MerkleTreeLeaf's bytes (see structs.ts), its CtExtensions included.
    const signature = digitallySigned(new Uint8Array(sign('sha256', logEntry.leafInput, this.privateKey)));
    return {
      bytes: serializeSct(this.logId, timestamp, extensions, signature),
      logId: this.logId,
      timestamp,
      extensions,
      signature,
      leafHash: logEntry.leafHash,
    };
  }

  /** Timestamps and sequences one submission: the entry joins the pending queue and is merged when due. */
  private sequence({ entry, extraData, chain }: Submission): Sequenced {
    // Timestamps never go back, so the pending queue stays in merge order.
    const timestamp = (this.lastTimestamp = Math.max(Math.floor(this.now()), this.lastTimestamp));
    // A tiled log sequences the entry first: its index (merged and pending entries keep their order) goes into the SCT.
    const extensions = this.tiled ? leafIndexExtensions(this.merged.length + this.pending.length) : new Uint8Array(0);
    const logEntry = this.entryAt(timestamp, entry, extraData, extensions, chain);
    for (const issuer of chain.slice(1)) this.issuers.set(toHex(sha256(issuer)), issuer);
    this.pending.push(logEntry);
    this.merge();
    return { timestamp, logEntry, extensions };
  }

  private maybeWrong(proof: Bytes[]): Bytes[] {
    if (!this.misbehave.wrongProofs || proof.length === 0) return proof;
    return [...proof.slice(0, -1), flipLastByte(proof.at(-1)!)];
  }

  /** Merges, then picks the honest tree or the fork (made when `fork` was turned on, kept in step after). */
  private view(): View {
    this.merge();
    if (!this.misbehave.fork && !this.misbehave.splitWitness) {
      this.fork = undefined;
      return { tree: this.tree, entry: (i) => this.merged[i]! };
    }
    const fork = (this.fork ??= { tree: new MerkleTree(), index: Math.max(this.tree.size - 1, 0) });
    while (fork.tree.size < this.tree.size) {
      const i = fork.tree.size;
      let entry = this.merged[i]!;
      if (i === fork.index)
        entry = fork.replacement = this.entryAt(
          entry.timestamp + 1,
          entry.entry,
          entry.extraData,
          entry.extensions,
          entry.chain,
        );
      fork.tree.append(entry.leafHash);
    }
    return { tree: fork.tree, entry: (i) => (i === fork.index && fork.replacement) || this.merged[i]! };
  }

  private entryAt(
    timestamp: number,
    entry: SignedEntry,
    extraData: Bytes,
    extensions: Bytes,
    chain: readonly Bytes[],
  ): LocalLogEntry {
    const leafInput = merkleTreeLeaf(timestamp, entry, extensions);
    return { timestamp, entry, leafInput, leafHash: leafHash(leafInput), extraData, extensions, chain };
  }
}

/** A submission once in the log: its timestamp, its entry and the CtExtensions its SCT carries. */
interface Sequenced {
  readonly timestamp: number;
  readonly logEntry: LocalLogEntry;
  readonly extensions: Bytes;
}

function checkSize(n: number, min: number, max: number, problem: string): void {
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new LogInputError(problem);
}
