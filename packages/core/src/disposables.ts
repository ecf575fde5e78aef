/**
 * A bag of `off` functions (socket.io Manager's `subs`). Everything one attempt registers goes in
 * its bag; tearing the attempt down drains it.
 * @internal
 */
export class Disposables {
  #offs: Array<() => void> = [];

  add(off: () => void): () => void {
    this.#offs.push(off);
    return off;
  }

  dispose(): void {
    const offs = this.#offs;
    this.#offs = [];
    for (let i = offs.length - 1; i >= 0; i--) {
      try {
        offs[i]!();
      } catch {
        /* a failing disposer must not keep the others alive */
      }
    }
  }
}
