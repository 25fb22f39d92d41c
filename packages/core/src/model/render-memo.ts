/**
 * What a synchronous render keeps from one call to the next (caches of names and keys, cursors,
 * tables of written text), owned by the format or render that uses it. A render borrows it for
 * the length of one synchronous call, never across an `await`. A render that starts while
 * another holds it (from a getter, an iterator or a field the first one called) gets a fresh
 * state of its own, slower but correct, so that neither can corrupt the other.
 */
export class RenderMemo<State> {
  private readonly kept: State;
  private lent = false;

  constructor(private readonly create: () => State) {
    this.kept = create();
  }

  /**
   * `render(state, input)`, with the kept state, or a fresh one while the kept one is lent.
   * `input` spares a hot caller a closure per call.
   */
  use<Result, Input = undefined>(render: (state: State, input: Input) => Result, input?: Input): Result {
    if (this.lent) return render(this.create(), input as Input);
    this.lent = true;
    try {
      return render(this.kept, input as Input);
    } finally {
      this.lent = false;
    }
  }
}
