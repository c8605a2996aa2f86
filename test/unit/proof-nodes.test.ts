/**
 * Which nodes make a proof (src/merkle/proof-nodes.ts), checked against the Merkle tree written
 * straight from RFC 6962 §2.1's recursive definitions (test/support/naive-merkle.ts): every
 * inclusion and consistency proof and every subtree hash up to 64 leaves.
 */
import { describe, expect, it } from 'vitest';
import { toHex, type Bytes } from '../../src/bytes.js';
import { nodeHash } from '../../src/merkle/hash.js';
import { consistencyNodes, inclusionNodes, subtreeHash, type Subtree } from '../../src/merkle/proof-nodes.js';
import { leaves, mth, path, proof } from '../support/naive-merkle.js';

const all = leaves(64, 7);
const hashOf = ([start, size]: Subtree): Bytes => mth(all.slice(start, start + size));
/** Hex, one hash a line: compared as one string (fast), failures still readable. */
const hex = (hashes: readonly Bytes[]): string => hashes.map((h) => toHex(h)).join('\n');

describe('proof nodes against the naive tree', () => {
  it('inclusionNodes(m, n) are the subtrees whose hashes are PATH(m, D[n])', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m < n; m++) {
        expect(hex(inclusionNodes(m, n).map(hashOf)), `leaf ${m} of ${n}`).toBe(hex(path(m, all.slice(0, n))));
      }
    }
  });

  it('consistencyNodes(m, n) are the subtrees whose hashes are PROOF(m, D[n]); none from 0 or to itself', () => {
    for (let n = 1; n <= 64; n++) {
      expect(consistencyNodes(0, n)).toEqual([]);
      for (let m = 1; m <= n; m++) {
        expect(hex(consistencyNodes(m, n).map(hashOf)), `${m} → ${n}`).toBe(hex(proof(m, all.slice(0, n))));
      }
    }
  });

  it('subtreeHash builds MTH(D[start : start + size]) of any range from complete aligned nodes only', () => {
    const asked: string[] = [];
    const node = (height: number, index: number): Bytes => {
      asked.push(`${height}/${index}`);
      return hashOf([index * 2 ** height, 2 ** height]);
    };
    for (let start = 0; start < 64; start++) {
      for (let size = 1; start + size <= 64; size++) {
        const built = subtreeHash([start, size], node, nodeHash);
        expect(toHex(built), `[${start}, ${start + size})`).toBe(toHex(hashOf([start, size])));
      }
    }
    // A complete aligned node is asked for as itself, not rebuilt from its leaves.
    asked.length = 0;
    subtreeHash([32, 32], node, nodeHash);
    expect(asked).toEqual(['5/1']);
    asked.length = 0;
    subtreeHash([0, 13], node, nodeHash);
    expect(asked).toEqual(['3/0', '2/2', '0/12']);
  });
});
