/**
 * The points waiting to be sent, oldest first, at most `capacity` of them; the front ones may be
 * in a request. When new points overflow it, the oldest go first, in flight or not: a point pushed
 * out while its request is in flight shares the request's fate (sent if it succeeds, dropped if
 * it is to be retried), so every point is counted once.
 */
export class PointBuffer<Point> {
  private points: Point[] = [];
  private head = 0;
  /** Points at the front that belong to the request in flight. */
  private inFlight = 0;
  /** Points of the request in flight that overflow pushed out of the buffer. */
  private pushedOutOfFlight = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.points.length - this.head;
  }

  /** Appends `points`; returns how many queued points (not in flight) the bound dropped. */
  push(points: readonly Point[]): number {
    for (const point of points) this.points.push(point);
    const overflow = this.size - this.capacity;
    if (overflow <= 0) return 0;
    const fromFlight = Math.min(overflow, this.inFlight);
    this.inFlight -= fromFlight;
    this.pushedOutOfFlight += fromFlight;
    this.head += overflow;
    this.compact();
    return overflow - fromFlight;
  }

  /** The oldest points, at most `max`, now in flight; none may be in flight already. */
  take(max: number): Point[] {
    if (this.inFlight > 0 || this.pushedOutOfFlight > 0) throw new Error('a request is already in flight');
    this.inFlight = Math.min(max, this.size);
    return this.points.slice(this.head, this.head + this.inFlight);
  }

  /** The request in flight is done with (sent, refused or dropped): its points leave the buffer. */
  finish(): void {
    this.head += this.inFlight;
    this.inFlight = 0;
    this.pushedOutOfFlight = 0;
    this.compact();
  }

  /** The request in flight failed and will be retried: returns how many of its points overflow pushed out meanwhile (now dropped). */
  release(): number {
    const dropped = this.pushedOutOfFlight;
    this.inFlight = 0;
    this.pushedOutOfFlight = 0;
    return dropped;
  }

  /** Empties the buffer (no request may be in flight); returns how many points it held. */
  clear(): number {
    if (this.inFlight > 0 || this.pushedOutOfFlight > 0) throw new Error('a request is still in flight');
    const held = this.size;
    this.points = [];
    this.head = 0;
    return held;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.points.length) {
      this.points = this.points.slice(this.head);
      this.head = 0;
    }
  }
}
