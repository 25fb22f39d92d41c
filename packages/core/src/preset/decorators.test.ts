import { describe, expect, test } from 'vitest';
import { contextBuilder, field, preset, series, tag } from './decorators.js';
import { container, inject, injectable } from './di.js';
import { RegistrationError } from '../model/errors.js';
import { presetRegistry } from './registry.js';
import { Runometer } from '../runometer.js';
import { SharedWork } from './shared-work.js';

@injectable()
class ProcessProbe {
  memory(): { rss: number; heapUsed: number } {
    throw new Error('the real probe is not used in these tests');
  }
}

@preset('test-memory')
class TestMemoryPreset {
  constructor(@inject(ProcessProbe) private readonly probe: ProcessProbe) {}

  @contextBuilder()
  usage() {
    return { usage: this.probe.memory() };
  }

  @field('rss', { type: 'integer' })
  rss(ctx: { usage: { rss: number } }) {
    return ctx.usage.rss;
  }

  @field('heap_used', { type: 'integer' })
  heapUsed(ctx: { usage: { heapUsed: number } }) {
    return ctx.usage.heapUsed;
  }
}

@preset('test-spaces')
class TestSpacesPreset {
  @tag('runtime')
  runtime() {
    return 'fake';
  }

  @series('spaces', { tags: ['space'], fields: { space_used: { type: 'integer' } } })
  spaces() {
    return [
      { tags: { space: 'old_space' }, fields: { space_used: 7 } },
      { tags: { space: 'new_space' }, fields: { space_used: 3 } },
    ];
  }
}

function withFakeProbe(rss: number, heapUsed: number) {
  const child = container.createChildContainer();
  child.register(ProcessProbe, { useValue: { memory: () => ({ rss, heapUsed }) } });
  return child;
}

describe('presets', () => {
  test('are registered by name when their module is imported', () => {
    expect(presetRegistry.names()).toEqual(['test-memory', 'test-spaces']);
    expect(presetRegistry.get('test-memory')).toBe(TestMemoryPreset);
    expect(presetRegistry.has('nope')).toBe(false);
  });

  test('are resolved from the container, so a test can inject a fake probe', async () => {
    const meter = new Runometer('node', { container: withFakeProbe(100, 40) }).use(TestMemoryPreset);
    expect(await meter.render()).toBe('node rss=100i,heap_used=40i\n');
  });

  test('are used by class or by name, alongside the meter own tags and fields', async () => {
    const meter = new Runometer('node', { container: withFakeProbe(1, 2) })
      .addTag('app', 'api')
      .use('test-memory', TestSpacesPreset)
      .addField('custom', () => 3, { type: 'integer' });
    expect(meter.presetNames).toEqual(['test-memory', 'test-spaces']);
    expect(await meter.render()).toBe(
      [
        'node,app=api,runtime=fake rss=1i,heap_used=2i,custom=3i',
        'node,app=api,runtime=fake,space=old_space space_used=7i',
        'node,app=api,runtime=fake,space=new_space space_used=3i',
        '',
      ].join('\n'),
    );
  });

  test('report a builder failure under the preset and method name', async () => {
    const faults: string[] = [];
    const child = container.createChildContainer();
    child.register(ProcessProbe, {
      useValue: {
        memory: () => {
          throw new Error('no /proc');
        },
      },
    });
    const meter = new Runometer('node', { container: child, onError: (e) => faults.push(e.message) }).use(TestMemoryPreset);
    expect(await meter.render()).toBe('');
    expect(faults).toEqual([
      'builder "test-memory.usage" threw: no /proc',
      'field "rss" skipped: it reads context "usage", missing because builder "test-memory.usage" failed',
      'field "heap_used" skipped: it reads context "usage", missing because builder "test-memory.usage" failed',
    ]);
  });

  test('are added whole or not at all', async () => {
    const meter = new Runometer('node', { container: withFakeProbe(1, 2) }).addField('heap_used', () => 0);
    expect(() => meter.use(TestSpacesPreset, TestMemoryPreset)).toThrow(
      new RegistrationError('preset "test-memory": field key "heap_used" is already registered by the meter'),
    );
    expect(meter.presetNames).toEqual([]);
    expect(await meter.render()).toBe('node heap_used=0\n');
  });

  test('cannot be used twice on one meter', () => {
    const meter = new Runometer('node').use(TestSpacesPreset);
    expect(() => meter.use('test-spaces')).toThrow(new RegistrationError('preset "test-spaces" is already used by meter "node"'));
  });

  test('by an unknown name fail with the list of installed presets', () => {
    expect(() => new Runometer('node').use('memory')).toThrow(
      new RegistrationError('no preset named "memory" is installed (installed: test-memory, test-spaces); import its package first'),
    );
  });

  test('whose constructor parameters lack @inject fail with what to add', () => {
    // Decorated by hand: as TypeScript compiles them without emitDecoratorMetadata, with no parameter types.
    class NoInject {
      constructor(readonly probe: ProcessProbe) {}
      x() {
        return 1;
      }
    }
    field('x')(NoInject.prototype, 'x', Object.getOwnPropertyDescriptor(NoInject.prototype, 'x')!);
    preset('test-no-inject')(NoInject);
    class SomeInject {
      constructor(
        readonly a: ProcessProbe,
        readonly b: ProcessProbe,
        readonly c: ProcessProbe,
      ) {}
      y() {
        return 1;
      }
    }
    inject(ProcessProbe)(SomeInject, undefined, 1);
    field('y')(SomeInject.prototype, 'y', Object.getOwnPropertyDescriptor(SomeInject.prototype, 'y')!);
    preset('test-some-inject')(SomeInject);
    const meter = new Runometer('m');
    expect(() => meter.use(NoInject)).toThrow(
      new RegistrationError(
        'preset "test-no-inject": the container cannot build class NoInject: its constructor parameter 1 (counting from 1) has no token: ' +
          'list one per parameter, in order, in @preset(name, { inject: [Token, …] }), or add @inject(Token) to each ' +
          "(emitDecoratorMetadata records a class-typed parameter's type, but bundlers such as esbuild record none)",
      ),
    );
    expect(() => meter.use(SomeInject)).toThrow(
      new RegistrationError(
        'preset "test-some-inject": the container cannot build class SomeInject: its constructor parameters 1, 3 (counting from 1) have no token: ' +
          'list one per parameter, in order, in @preset(name, { inject: [Token, …] }), or add @inject(Token) to each ' +
          "(emitDecoratorMetadata records a class-typed parameter's type, but bundlers such as esbuild record none)",
      ),
    );
    expect(meter.presetNames).toEqual([]);
  });

  test('whose keys clash say which preset, or the meter, holds the key', () => {
    @preset('test-rss-too')
    class RssToo {
      @field('rss')
      rss() {
        return 1;
      }
    }
    const container = withFakeProbe(1, 2);
    expect(() => new Runometer('m', { container }).use(TestMemoryPreset, RssToo)).toThrow(
      new RegistrationError('preset "test-rss-too": field key "rss" is already registered by preset "test-memory"'),
    );
    expect(() => new Runometer('m', { container }).addTag('rss', 'x').use(TestMemoryPreset)).toThrow(
      new RegistrationError('preset "test-memory": field key "rss" is already registered as a tag key by the meter'),
    );
    expect(() => new Runometer('m', { container }).use(TestMemoryPreset).addField('heap_used', () => 1)).toThrow(
      new RegistrationError('field key "heap_used" is already registered by preset "test-memory"'),
    );
  });

  test('cannot be used on a closed meter, by class or by name', async () => {
    const meter = new Runometer('node', { container: withFakeProbe(1, 2) }).use(TestMemoryPreset);
    await meter.close();
    const closed = new RegistrationError('meter "node" is closed: it takes no more registrations');
    expect(() => meter.use('test-memory')).toThrow(closed);
    expect(() => meter.use(TestSpacesPreset)).toThrow(closed);
  });

  test('must be decorated classes', () => {
    class NotAPreset {}
    expect(() => new Runometer('node').use(NotAPreset)).toThrow(
      new RegistrationError('class NotAPreset is not a preset: decorate it with @preset(name)'),
    );
  });

  test('are opened when used and closed with the meter, last first', async () => {
    const events: string[] = [];
    @preset('test-life-a')
    class A {
      open() {
        events.push('open a');
      }
      close() {
        events.push('close a');
      }
      @field('a')
      a() {
        return 1;
      }
    }
    @preset('test-life-b')
    class B {
      open() {
        events.push('open b');
      }
      async close() {
        events.push('close b');
      }
      @field('b')
      b() {
        return 2;
      }
    }
    const meter = new Runometer('m').use(A, B);
    expect(await meter.render()).toBe('m a=1,b=2\n');
    expect(meter.closed).toBe(false);
    await meter.close();
    await meter.close();
    expect(meter.closed).toBe(true);
    expect(events).toEqual(['open a', 'open b', 'close b', 'close a']);
    await expect(meter.render()).rejects.toThrow('meter "m" is closed');
    expect(() => meter.addField('c', () => 3)).toThrow(new RegistrationError('meter "m" is closed: it takes no more registrations'));
  });

  test('that fail to close do not keep the others open', async () => {
    const closed: string[] = [];
    @preset('test-close-fails')
    class Fails {
      close() {
        throw new Error('stuck');
      }
      @field('x')
      x() {
        return 1;
      }
    }
    @preset('test-close-works')
    class Works {
      close() {
        closed.push('works');
      }
      @field('y')
      y() {
        return 1;
      }
    }
    const meter = new Runometer('m').use(Works, Fails);
    await expect(meter.close()).rejects.toThrow('meter "m": 1 preset(s) failed to close');
    expect(closed).toEqual(['works']);
  });
});

describe('what a preset opens', () => {
  test('is released with the meter, after its close(), once however often the meter closes', async () => {
    const events: string[] = [];
    const work = (name: string) =>
      new SharedWork(
        () => events.push(`start ${name}`),
        () => void events.push(`stop ${name}`),
      );
    const timer = work('timer');
    const subscription = work('subscription');
    @preset('test-opens-leases')
    class Opens {
      open() {
        return [timer.acquire(), subscription.acquire()];
      }
      close() {
        events.push('close');
      }
      @field('x')
      x() {
        return 1;
      }
    }
    const first = new Runometer('m').use(Opens);
    const second = new Runometer('m').use(Opens);
    await first.close();
    await first.close();
    expect(events).toEqual(['start timer', 'start subscription', 'close']);
    await second.close();
    expect(events).toEqual(['start timer', 'start subscription', 'close', 'close', 'stop timer', 'stop subscription']);
  });

  test('is released even when close() or another release throws, and the failures are reported together', async () => {
    const released: string[] = [];
    @preset('test-opens-one-lease')
    class OpensOne {
      open() {
        return { release: () => void released.push('lease') };
      }
      close() {
        throw new Error('stuck');
      }
      @field('x')
      x() {
        return 1;
      }
    }
    @preset('test-release-fails')
    class ReleaseFails {
      open() {
        return {
          release() {
            throw new Error('still running');
          },
        };
      }
      @field('y')
      y() {
        return 1;
      }
    }
    const meter = new Runometer('m').use(OpensOne, ReleaseFails);
    const closing = meter.close();
    await expect(closing).rejects.toThrow('meter "m": 2 preset(s) failed to close');
    await closing.catch((error: AggregateError) => expect(error.errors.map((e: Error) => e.message)).toEqual(['still running', 'stuck']));
    expect(released).toEqual(['lease']);
  });
});

describe('decorators check what they declare when the class is defined', () => {
  test.each([
    [
      () => {
        @preset('bad-key')
        class BadKey {
          @field('time')
          t() {
            return 1;
          }
        }
        return BadKey;
      },
      'preset "bad-key": field key "time" is reserved: InfluxDB 1.x rejects it',
    ],
    [
      () => {
        @preset('dup-key')
        class DupKey {
          @field('x')
          a() {
            return 1;
          }
          @field('x')
          b() {
            return 2;
          }
        }
        return DupKey;
      },
      'preset "dup-key": field key "x" is already registered by preset "dup-key"',
    ],
    [
      () => {
        @preset('empty')
        class Empty {
          @contextBuilder()
          only() {
            return {};
          }
        }
        return Empty;
      },
      'preset "empty" (class Empty) declares no @field, @tag or @series',
    ],
    [() => preset('has space'), 'preset name must be a non-empty string without spaces, got string "has space"'],
    [
      () => {
        @preset('test-memory')
        class Impostor {
          @field('x')
          x() {
            return 1;
          }
        }
        return Impostor;
      },
      'preset "test-memory" is already registered by class TestMemoryPreset',
    ],
  ])('%# fails with a message that names the preset and the key', (define, message) => {
    expect(define).toThrow(new RegistrationError(message));
  });

  test('a subclass keeps the members of the preset it extends', async () => {
    @preset('test-spaces-plus')
    class SpacesPlus extends TestSpacesPreset {
      @field('extra', { type: 'boolean' })
      extra() {
        return true;
      }
    }
    expect(await new Runometer('m').use(SpacesPlus).render()).toBe(
      'm,runtime=fake extra=true\nm,runtime=fake,space=old_space space_used=7i\nm,runtime=fake,space=new_space space_used=3i\n',
    );
  });
});
