import { RegistrationError } from '../model/errors.js';
import { checkBuckets } from '../model/histogram.js';

/**
 * A histogram's bucket layout that an app may change until it is in use, for a preset's
 * singleton to hold: `bounds` is checked as a field's `buckets` are, and refuses a change once
 * `fix()` was called (by the first observation counted with it, or by a meter that took it for a
 * field), since counts of one layout cannot be written under another.
 *
 * ```ts
 * readonly waits = new BucketLayout('WaitRecorder.buckets', [0.01, 0.1, 1]);
 * // an app, before its meter uses the preset: container.resolve(WaitRecorder).waits.bounds = [0.05, 0.5];
 * ```
 */
export class BucketLayout {
  private current: readonly number[];
  private fixedBy: string | undefined;

  /** `name` is how an app sets it, for messages: `'HttpRecorder.durationBuckets'`. */
  constructor(
    readonly name: string,
    bounds: readonly number[],
  ) {
    this.current = checkBuckets(name, bounds);
  }

  /** The upper bounds, checked and frozen (`+Inf` implied). */
  get bounds(): readonly number[] {
    return this.current;
  }

  set bounds(bounds: readonly number[]) {
    if (this.fixedBy !== undefined) {
      throw new RegistrationError(
        `${this.name} cannot change once ${this.fixedBy}: counts of one layout cannot be written under another; set it before that`,
      );
    }
    this.current = checkBuckets(this.name, bounds);
  }

  /** True once `fix()` was called: the bounds stay as they are. */
  get fixed(): boolean {
    return this.fixedBy !== undefined;
  }

  /** The bounds, which stay from now on; `because` says why in the message of a later change ("a request was recorded"). */
  fix(because: string): readonly number[] {
    this.fixedBy ??= because;
    return this.current;
  }
}
