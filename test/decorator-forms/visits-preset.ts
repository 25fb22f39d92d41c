// A preset as an author writes it, with nothing that depends on the decorator form: the tests
// compile it with and without `experimentalDecorators` and run it on Node, Bun and Deno.
import { decoratorsFor, preset, tag } from '@runometer/core';

/** The app's own object, injected by class. */
export class VisitCounter {
  private count = 41;

  next(): number {
    return ++this.count;
  }
}

/** The app's name, injected by a token the app registers. */
export const APP_NAME = Symbol('app name');

/** Which form the compiler emitted: a legacy class decorator gets one argument, a standard one two. */
export let decoratorForm: 'legacy' | 'standard' | undefined;
function recordForm(...args: unknown[]): void {
  decoratorForm = args.length === 2 ? 'standard' : 'legacy';
}

interface VisitsContext {
  visits: number;
}
const { contextBuilder, field } = decoratorsFor<VisitsContext>();

/** A base class's members are the preset's too. */
abstract class AppTagged {
  protected abstract readonly app: string;

  @tag('app')
  appName() {
    return this.app;
  }
}

@recordForm
@preset('visits', { inject: [VisitCounter, APP_NAME] })
export class VisitsPreset extends AppTagged {
  constructor(
    private readonly counter: VisitCounter,
    protected readonly app: string,
  ) {
    super();
  }

  @contextBuilder()
  read(): VisitsContext {
    return { visits: this.counter.next() };
  }

  @field('visits', { type: 'integer' })
  visits(ctx: VisitsContext) {
    return ctx.visits;
  }
}
