/**
 * relate(): the shown checkpoint against a witness's, for every relation, on trees built here
 * (the test log's MerkleTree) with proofs from the same trees.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/logclient/checkpoint.js';
import { relate } from '../../src/witness/consistency.js';
import { MerkleTree } from '../../log/tree.js';

const leaf = (i: number, salt = ''): Uint8Array => createHash('sha256').update(`${salt}${i}`).digest();
function tree(size: number, salt = ''): MerkleTree {
  const t = new MerkleTree();
  for (let i = 0; i < size; i++) t.append(leaf(i, i === size - 1 ? salt : ''));
  return t;
}
const cp = (t: MerkleTree, size = t.size): Checkpoint => ({
  origin: 'o',
  treeSize: size,
  rootHash: t.root(size),
  extensions: [],
});

describe('relate', () => {
  const honest = tree(7);
  const prove = async (a: number, b: number) => honest.consistencyProof(a, b);

  it('same, ahead and behind, each proven', async () => {
    expect(await relate(cp(honest, 5), cp(honest, 5), prove)).toMatchObject({ relation: 'same' });
    expect(await relate(cp(honest, 3), cp(honest, 7), prove)).toMatchObject({ relation: 'ahead' });
    expect(await relate(cp(honest, 7), cp(honest, 4), prove)).toMatchObject({ relation: 'behind' });
  });

  it('the empty tree is a prefix of any tree, without a proof; a size-0 head with another root is not', async () => {
    const never = async (): Promise<Uint8Array[]> => {
      throw new Error('not asked');
    };
    expect(await relate(cp(honest, 0), cp(honest, 7), never)).toMatchObject({ relation: 'ahead' });
    const bogus = { ...cp(honest, 0), rootHash: leaf(1) };
    expect(await relate(bogus, cp(honest, 7), never)).toMatchObject({
      relation: 'split-view',
      detail: expect.stringMatching(/size 0/),
    });
  });

  it('two roots for one size, or a proof that fails: a split view', async () => {
    const fork = tree(5, 'fork');
    expect(await relate(cp(fork), cp(honest, 5), prove)).toMatchObject({
      relation: 'split-view',
      detail: expect.stringMatching(/^two different roots for tree size 5/),
    });
    // The log proves from the fork it showed: the witnessed root is not reached.
    const forkProve = async (a: number, b: number) => tree(b, 'fork').consistencyProof(a, b);
    expect(await relate(cp(fork), cp(honest, 7), forkProve)).toMatchObject({
      relation: 'split-view',
      detail: expect.stringMatching(/^tree 5 is not a prefix of tree 7/),
    });
  });

  it('a proof that cannot be fetched proves nothing either way', async () => {
    const down = async (): Promise<Uint8Array[]> => {
      throw new Error('HTTP 503');
    };
    expect(await relate(cp(honest, 3), cp(honest, 7), down)).toEqual({
      relation: 'unchecked',
      detail: 'consistency 3 → 7 not checked: HTTP 503',
    });
  });
});
