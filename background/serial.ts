/**
 * Runs async tasks one after another, in the order they were given: a read-modify-write of one
 * storage key (the warned list, the automatic check's limit) must not interleave with another,
 * or one of two writes made at the same moment is lost.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task given before it has settled; a failed task does not stop the next. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
