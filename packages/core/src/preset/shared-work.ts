/** One user's hold on shared background work: released once, whatever calls it. */
export interface Lease {
  /** True once released. */
  readonly released: boolean;
  /** Gives the hold back; the last one stops the work. A second call does nothing. */
  release(): void | Promise<void>;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Background work that several users share (a timer, a subscription, a kept file descriptor):
 * started by the first `acquire()`, stopped when the last lease is released. Each user holds a
 * lease of its own, so releasing twice, or releasing what was never acquired, cannot take the
 * count below zero or stop the work under another user.
 */
export class SharedWork {
  private holders = 0;

  constructor(
    private readonly start: () => void,
    private readonly stop: () => void | Promise<void>,
  ) {}

  /** True while at least one lease is held. */
  get running(): boolean {
    return this.holders > 0;
  }

  /** Starts the work if no one holds it yet. If starting throws, nothing is held. */
  acquire(): Lease {
    if (this.holders === 0) this.start();
    this.holders++;
    let released = false;
    const release = (): void | Promise<void> => {
      if (released) return;
      released = true;
      if (--this.holders === 0) return this.stop();
    };
    return {
      get released() {
        return released;
      },
      release,
      [Symbol.dispose]: () => void release(),
      [Symbol.asyncDispose]: async () => release(),
    };
  }
}
