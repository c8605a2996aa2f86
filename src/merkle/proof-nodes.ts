/**
 * Which nodes make a Merkle proof (RFC 6962 §2.1.1 PATH, §2.1.2 PROOF and SUBPROOF; the same trees
 * as RFC 9162 §2.1), each a subtree D[start : start + size], and how the hash of such a subtree is
 * made of complete, aligned nodes. verify.ts beside it checks a proof; the local log
 * (log/tree.ts) and the tiled-log client (src/logclient/tile-set.ts) build proofs from these.
 */

/** The leaves D[start : start + size] of a tree. */
export type Subtree = readonly [start: number, size: number];

/** k, the largest power of two smaller than n (RFC 6962 §2.1). Precondition: n > 1. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two, else undefined. Exact for every safe integer. */
function exactLog2(n: number): number | undefined {
  let h = 0;
  for (let p = 1; p <= n; p *= 2, h++) if (p === n) return h;
  return undefined;
}

/**
 * The subtrees whose hashes make PATH(index, D[size]) (RFC 6962 §2.1.1), leaf first: the audit
 * path. Precondition: 0 ≤ index < size.
 */
export function inclusionNodes(index: number, size: number): Subtree[] {
  const topDown: Subtree[] = [];
  let [start, n, m] = [0, size, index];
  while (n > 1) {
    const k = split(n);
    if (m < k) {
      topDown.push([start + k, n - k]);
      n = k;
    } else {
      topDown.push([start, k]);
      [start, n, m] = [start + k, n - k, m - k];
    }
  }
  return topDown.reverse();
}

/**
 * The subtrees whose hashes make PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true)
 * (RFC 6962 §2.1.2). Empty for size1 = size2, and for size1 = 0 (which the RFC leaves undefined:
 * every tree extends the empty one). Precondition: 0 ≤ size1 ≤ size2.
 */
export function consistencyNodes(size1: number, size2: number): Subtree[] {
  if (size1 === 0 || size1 === size2) return [];
  const topDown: Subtree[] = [];
  let [start, n, m, wholeFirstTree] = [0, size2, size1, true];
  while (m !== n) {
    const k = split(n);
    if (m <= k) {
      topDown.push([start + k, n - k]);
      n = k;
    } else {
      topDown.push([start, k]);
      [start, n, m, wholeFirstTree] = [start + k, n - k, m - k, false];
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}: the subtree the walk ended in, unless it is the whole first tree.
  if (!wholeFirstTree) topDown.push([start, n]);
  return topDown.reverse();
}

/**
 * MTH(D[start : start + size]) (RFC 6962 §2.1), split as the RFC splits it until each part is a
 * complete aligned node: `node(height, index)` gives the hash of the 2^height leaves from
 * index · 2^height, `join(left, right)` the interior hash of two. Generic over the hash type, so a
 * tree in memory (Bytes) and a client reading tiles (Promise<Bytes>) share it. Precondition: size ≥ 1.
 */
export function subtreeHash<T>(
  [start, size]: Subtree,
  node: (height: number, index: number) => T,
  join: (left: T, right: T) => T,
): T {
  const height = exactLog2(size);
  if (height !== undefined && start % size === 0) return node(height, start / size);
  const k = split(size);
  return join(subtreeHash([start, k], node, join), subtreeHash([start + k, size - k], node, join));
}
