/**
 * The lines waiting to be sent, oldest first, at most `capacity` of them; the front ones may be
 * in a request. When new lines overflow it, the oldest go first, in flight or not: a line pushed
 * out while its request is in flight shares the request's fate (sent if it succeeds, dropped if
 * it is to be retried), so every line is counted once.
 */
export class PointBuffer {
  private lines: string[] = [];
  private head = 0;
  /** Lines at the front that belong to the request in flight. */
  private inFlight = 0;
  /** Lines of the request in flight that overflow pushed out of the buffer. */
  private pushedOutOfFlight = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.lines.length - this.head;
  }

  /** Appends `lines`; returns how many queued lines (not in flight) the bound dropped. */
  push(lines: readonly string[]): number {
    for (const line of lines) this.lines.push(line);
    const overflow = this.size - this.capacity;
    if (overflow <= 0) return 0;
    const fromFlight = Math.min(overflow, this.inFlight);
    this.inFlight -= fromFlight;
    this.pushedOutOfFlight += fromFlight;
    this.head += overflow;
    this.compact();
    return overflow - fromFlight;
  }

  /** The oldest lines, at most `max`, now in flight; none may be in flight already. */
  take(max: number): string[] {
    if (this.inFlight > 0 || this.pushedOutOfFlight > 0) throw new Error('a request is already in flight');
    this.inFlight = Math.min(max, this.size);
    return this.lines.slice(this.head, this.head + this.inFlight);
  }

  /** The request in flight is done with (sent, refused or dropped): its lines leave the buffer. */
  finish(): void {
    this.head += this.inFlight;
    this.inFlight = 0;
    this.pushedOutOfFlight = 0;
    this.compact();
  }

  /** The request in flight failed and will be retried: returns how many of its lines overflow pushed out meanwhile (now dropped). */
  release(): number {
    const dropped = this.pushedOutOfFlight;
    this.inFlight = 0;
    this.pushedOutOfFlight = 0;
    return dropped;
  }

  /** Empties the buffer (no request may be in flight); returns how many lines it held. */
  clear(): number {
    if (this.inFlight > 0 || this.pushedOutOfFlight > 0) throw new Error('a request is still in flight');
    const held = this.size;
    this.lines = [];
    this.head = 0;
    return held;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }
}
