/**
 * A render's time budget. The timer is armed only when a render first waits on a promise,
 * so a render whose functions are all synchronous never touches a timer.
 */
export class Deadline {
  private readonly endsAt: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expiry: Promise<void> | undefined;

  constructor(private readonly budgetMs: number) {
    this.endsAt = performance.now() + budgetMs;
  }

  /** Resolves when every promise has settled or the budget has run out, whichever comes first. */
  async wait(pending: readonly Promise<unknown>[]): Promise<void> {
    const settled = Promise.all(pending);
    if (this.budgetMs === Infinity) {
      await settled;
      return;
    }
    // A timer, even of 0 ms when the budget is already spent, lets promises that have
    // already settled deliver their values before the render gives up on them.
    this.expiry ??= new Promise((resolve) => {
      this.timer = setTimeout(resolve, Math.max(0, this.endsAt - performance.now()));
    });
    await Promise.race([settled, this.expiry]);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
