import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { parseLines } from './format/parse-line-protocol.js';
import { PermissionDeniedError, RenderError } from './model/errors.js';
import { Runometer } from './runometer.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A meter that records its faults as `source key reason: message` lines. */
function recording(name = 'm', options: { renderTimeout?: number } = {}) {
  const faults: string[] = [];
  const meter = new Runometer(name, {
    ...options,
    onError: (error) => faults.push(`${error.source} ${error.key} ${error.reason}: ${error.message}`),
  });
  return { meter, faults };
}

const never = () => new Promise<never>(() => {});

// What the types refuse is cast `as never`: these tests feed a render what only untyped code could.
describe('a failing function never breaks a render', () => {
  test('a field that throws or rejects is left out and reported; the rest renders', async () => {
    const { meter, faults } = recording();
    meter
      .addField('a', () => 1)
      .addField('boom', () => {
        throw new Error('boom');
      })
      .addField('rejects', () => Promise.reject(new Error('nope')))
      .addField('b', async () => 2);
    expect(await meter.render()).toBe('m a=1,b=2\n');
    expect(faults).toEqual(['field boom threw: field "boom" threw: boom', 'field rejects threw: field "rejects" threw: nope']);
    expect(meter.errorCount).toBe(2);
  });

  test('a tag that throws is left out and reported', async () => {
    const { meter, faults } = recording();
    meter
      .addTag('host', () => {
        throw new TypeError('no host');
      })
      .addTag('app', 'x')
      .addField('f', () => 1);
    expect(await meter.render()).toBe('m,app=x f=1\n');
    expect(faults).toEqual(['tag host threw: tag "host" threw: no host']);
  });

  test('fields that read what a failed builder would have built are skipped; the others render', async () => {
    const { meter, faults } = recording();
    meter
      .addContextBuilder(function sockets(): { sockets: unknown[] } {
        throw new Error('scan failed');
      })
      .addContextBuilder(() => ({ memory: 5 }), 'memory')
      .addField('totalSockets', (ctx) => ctx.sockets.length, { type: 'integer' })
      .addField('memory', (ctx) => ctx.memory)
      .addField('constant', () => 1);
    expect(await meter.render()).toBe('m memory=5,constant=1\n');
    expect(faults).toEqual([
      'builder sockets threw: builder "sockets" threw: scan failed',
      'field totalSockets skipped: field "totalSockets" skipped: it reads context "sockets", missing because builder "sockets" failed',
    ]);
  });

  test('a builder that reads what an earlier failed builder left out fails as skipped, and so do fields that need it', async () => {
    const { meter, faults } = recording();
    meter
      .addContextBuilder((): Promise<{ base: number }> => Promise.reject(new Error('down')), 'base')
      .addContextBuilder((ctx) => ({ derived: ctx.base * 2 }), 'derived')
      .addField('derived', (ctx) => ctx.derived)
      .addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toEqual([
      'builder base threw: builder "base" threw: down',
      'builder derived skipped: builder "derived" skipped: it reads context "base", missing because builder "base" failed',
      'field derived skipped: field "derived" skipped: it reads context "derived", missing because builder "base", "derived" failed',
    ]);
  });

  test('a builder that returns something other than an object is reported, and counts as failed', async () => {
    const { meter, faults } = recording();
    meter.addContextBuilder(() => 42 as unknown as { x: number }, 'answer').addField('x', (ctx) => ctx.x);
    expect(await meter.render()).toBe('');
    expect(faults).toEqual([
      'builder answer invalid: builder "answer" returned number 42; expected an object of context values, or nothing',
      'field x skipped: field "x" skipped: it reads context "x", missing because builder "answer" failed',
    ]);
  });

  test('a series that throws is left out; bad rows and values are left out and reported', async () => {
    const { meter, faults } = recording();
    meter
      .addField('f', () => 1)
      .addSeries(
        'broken',
        () => {
          throw new Error('no spaces');
        },
        { fields: { a: {} } },
      )
      .addSeries(
        'rows',
        () =>
          [
            { tags: { space: 'new' }, fields: { size: 1, extra: 5 } },
            { tags: { space: 'old', other: 'x' }, fields: { size: 2 } },
            'not a row',
            { tags: { space: { nested: true } }, fields: { size: 3 } },
            { tags: { space: 'lo' }, fields: { size: 1.5 } },
          ] as never,
        { tags: ['space'], fields: { size: { type: 'integer' } } },
      )
      .addSeries('scalar', () => 7 as never, { fields: { z: {} } });
    expect(await meter.render()).toBe('m f=1\nm,space=new size=1i\nm size=3i\n');
    expect(faults).toEqual([
      'series broken threw: series "broken" threw: no spaces',
      'series rows invalid: series "rows" gave undeclared field "extra"; it was left out',
      'series rows invalid: series "rows" gave a row with undeclared tag "other"; the row was left out',
      'series rows invalid: series "rows" gave a row that is string "not a row"; expected { tags, fields }',
      'tag space invalid: tag "space" gave an invalid value in series "rows": expected a string, number or boolean, got an object',
      'field size invalid: field "size" gave an invalid value in series "rows": expected an integer, got number 1.5',
      'series scalar invalid: series "scalar" returned number 7; expected an iterable of { tags, fields } rows',
    ]);
  });
});

describe('values of the wrong type are omitted and reported, never rendered', () => {
  test.each([
    ['float', 5n, 'expected a float (number), got bigint 5n'],
    ['float', '5', 'expected a float (number), got string "5"'],
    ['integer', 1.5, 'expected an integer, got number 1.5'],
    ['integer', 2 ** 63, 'integer 9223372036854775808 is outside int64'],
    ['integer', 2n ** 63n, 'integer 9223372036854775808 is outside int64'],
    ['integer', -(2n ** 63n) - 1n, 'integer -9223372036854775809 is outside int64'],
    ['integer', '7', 'expected an integer (number or bigint), got string "7"'],
    ['string', 7, 'expected a string, got number 7'],
    ['string', 'x'.repeat(65536), "string of 65536 bytes exceeds InfluxDB's limit of 65535"],
    ['string', 'é'.repeat(32768), "string of 65536 bytes exceeds InfluxDB's limit of 65535"],
    ['boolean', 1, 'expected a boolean, got number 1'],
    ['boolean', 'true', 'expected a boolean, got string "true"'],
    ['float', { v: 1 }, 'expected a float (number), got an object'],
    ['float', [1], 'expected a float (number), got an array'],
  ] as const)('a %s field given %s', async (type, value, problem) => {
    const { meter, faults } = recording();
    meter.addField('bad', () => value as never, { type }).addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toEqual([`field bad invalid: field "bad" gave an invalid value: ${problem}`]);
  });

  test('a string of exactly 65535 bytes renders', async () => {
    const meter = new Runometer('m').addField('s', () => 'x'.repeat(65535), { type: 'string' });
    expect(parseLines(await meter.render())[0]!.fields['s']).toEqual({ type: 'string', value: 'x'.repeat(65535) });
  });

  test('a tag given an object is left out and reported', async () => {
    const { meter, faults } = recording();
    meter.addTag('t', () => ({}) as never).addField('f', () => 1);
    expect(await meter.render()).toBe('m f=1\n');
    expect(faults).toEqual(['tag t invalid: tag "t" gave an invalid value: expected a string, number or boolean, got an object']);
  });
});

describe('the time budget', () => {
  test('abandons what has not settled by the deadline, reports it, and answers', async () => {
    const { meter, faults } = recording('m', { renderTimeout: 30 });
    meter
      .addTag('slow', never)
      .addField('hangs', never)
      .addField('fast', async () => 1)
      .addField('sync', () => 2)
      .addSeries('stuck', never, { fields: { v: {} } });
    expect(await meter.render()).toBe('m fast=1,sync=2\n');
    expect(faults).toEqual([
      'tag slow timeout: tag "slow" timed out: the render\'s budget of 30 ms ran out',
      'field hangs timeout: field "hangs" timed out: the render\'s budget of 30 ms ran out',
      'series stuck timeout: series "stuck" timed out: the render\'s budget of 30 ms ran out',
    ]);
  });

  test('a builder that overruns fails like any other, and the builders after it still run', async () => {
    const { meter, faults } = recording('m', { renderTimeout: 30 });
    let laterBuilderRan = false;
    meter
      .addContextBuilder(never as () => Promise<{ slow: number }>, 'slow')
      .addContextBuilder(async () => {
        laterBuilderRan = true;
        return { late: 1 };
      }, 'late')
      .addField('needsSlow', (ctx) => ctx.slow)
      .addField('sync', () => 2);
    expect(await meter.render()).toBe('m sync=2\n');
    expect(laterBuilderRan).toBe(true);
    expect(faults.map((f) => f.split(':')[0])).toEqual(['builder slow timeout', 'field needsSlow skipped']);
  });

  test('a value that settles after the deadline is ignored, and a late rejection is not reported', async () => {
    const { meter, faults } = recording('m', { renderTimeout: 20 });
    let settleLate!: (v: number) => void;
    let rejectLate!: (e: Error) => void;
    meter
      .addField('late', () => new Promise<number>((resolve) => (settleLate = resolve)))
      .addField('lateReject', () => new Promise<number>((_, reject) => (rejectLate = reject)))
      .addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    settleLate(5);
    rejectLate(new Error('too late'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(faults.map((f) => f.split(':')[0])).toEqual(['field late timeout', 'field lateReject timeout']);
  });

  test('a timed-out render keeps nothing alive: the same never-settling promise at every render holds none of them', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const forever = never();
    const contexts: WeakRef<object>[] = [];
    const meter = new Runometer('m', { renderTimeout: 1, onError: () => {} })
      .addField('hangs', (ctx) => {
        contexts.push(new WeakRef(ctx));
        return forever;
      })
      .addField('ok', () => 1);
    for (let i = 0; i < 1000; i++) expect(await meter.render()).toBe('m ok=1\n');
    // WeakRefs made in a turn hold their target until the turn ends: let two pass.
    for (let turn = 0; turn < 2; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
    }
    expect(contexts.length).toBe(1000);
    expect(contexts.filter((context) => context.deref() !== undefined)).toEqual([]);
    expect(meter.errorCount).toBe(1000);
  });

  test('a promise seen settled at an earlier render gives its value at once', async () => {
    const settled = Promise.resolve(7);
    const meter = new Runometer('m').addField('v', () => settled);
    expect(await meter.render()).toBe('m v=7\n');
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    expect(await meter.render()).toBe('m v=7\n');
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });

  test('a render of synchronous functions never arms a timer', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    await new Runometer('m')
      .addContextBuilder(() => ({ a: 1 }))
      .addTag('t', () => 'v')
      .addField('f', (ctx) => ctx.a)
      .render();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });
});

describe('reporting', () => {
  test('errorCount counts every fault reported so far, and can be exported as a field', async () => {
    const meter = new Runometer('m', { onError: () => {} });
    meter
      .addField('render_errors', () => meter.errorCount, { type: 'integer' })
      .addField('broken', () => {
        throw new Error('x');
      });
    expect(await meter.render()).toBe('m render_errors=0i\n');
    expect(await meter.render()).toBe('m render_errors=1i\n');
    expect(meter.errorCount).toBe(2);
  });

  test('onError receives RenderError objects carrying the cause', async () => {
    const errors: RenderError[] = [];
    const cause = new Error('root');
    await new Runometer('m', { onError: (e) => errors.push(e) })
      .addField('f', () => {
        throw cause;
      })
      .render();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RenderError);
    expect(errors[0]!.cause).toBe(cause);
    expect([errors[0]!.source, errors[0]!.key, errors[0]!.reason]).toEqual(['field', 'f', 'threw']);
  });

  test('an onError that throws does not break the render', async () => {
    const meter = new Runometer('m', {
      onError: () => {
        throw new Error('handler broke');
      },
    })
      .addField('bad', () => 'x' as never)
      .addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(meter.errorCount).toBe(1);
  });

  test('by default, each failing source is warned about once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const meter = new Runometer('m')
      .addField('bad', () => {
        throw new Error('boom');
      })
      .addField('ok', () => 1);
    await meter.render();
    await meter.render();
    expect(warn.mock.calls).toEqual([['runometer "m": field "bad" threw: boom (warned once; set onError to see every fault)']]);
    expect(meter.errorCount).toBe(2);
  });
});

describe("faults in the user's values, met by the collector's own code, leave out only what failed", () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const throwingGetter = (key: PropertyKey, message: string, target: object = {}) =>
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        throw new Error(message);
      },
    });

  test('a series generator that throws mid-iteration, or whose iterator throws at start, is left out whole', async () => {
    const { meter, faults } = recording();
    meter
      .addField('f', () => 1)
      .addSeries(
        'midway',
        function* () {
          yield { tags: { n: '1' }, fields: { v: 1 } };
          throw new Error('lost the cursor');
        },
        { tags: ['n'], fields: { v: {} } },
      )
      .addSeries(
        'at_start',
        () => ({
          [Symbol.iterator]: () => {
            throw new Error('no iterator');
          },
        }),
        { fields: { w: {} } },
      )
      .addSeries('iterator_getter', () => throwingGetter(Symbol.iterator, 'x') as never, { fields: { z: {} } })
      .addSeries('fine', () => [{ tags: {}, fields: { u: 2 } }], { fields: { u: {} } });
    expect(await meter.render()).toBe('m f=1\nm u=2\n');
    expect(faults).toEqual([
      'series midway threw: series "midway" threw iterating its rows, so the whole series was left out: lost the cursor',
      'series at_start threw: series "at_start" threw iterating its rows, so the whole series was left out: no iterator',
      'series iterator_getter threw: series "iterator_getter" threw iterating its rows, so the whole series was left out: x',
    ]);
    expect(meter.errorCount).toBe(3);
  });

  test('a row whose fields or tags getter throws, or that is a revoked Proxy, is left out alone', async () => {
    const { meter, faults } = recording();
    meter.addSeries(
      'rows',
      () =>
        [
          { tags: { n: '1' }, fields: { v: 1 } },
          throwingGetter('fields', 'fields broke', { tags: { n: '2' } }),
          throwingGetter('tags', 'tags broke', { fields: { v: 3 } }),
          revoked(),
          { tags: revoked(), fields: { v: 5 } },
          { tags: { n: '6' }, fields: revoked() },
          { tags: { n: '7' }, fields: throwingGetter('v', 'value broke') },
          { tags: { n: '8' }, fields: { v: 8 } },
        ] as never,
      { tags: ['n'], fields: { v: {} } },
    );
    expect(await meter.render()).toBe('m,n=1 v=1\nm,n=8 v=8\n');
    const revokedMessage = "Cannot perform 'IsArray' on a proxy that has been revoked";
    expect(faults).toEqual([
      'series rows threw: series "rows" threw reading a row, which was left out: fields broke',
      'series rows threw: series "rows" threw reading a row, which was left out: tags broke',
      `series rows threw: series "rows" threw reading a row, which was left out: ${revokedMessage}`,
      `series rows threw: series "rows" threw reading a row, which was left out: ${revokedMessage}`,
      `series rows threw: series "rows" threw reading a row, which was left out: ${revokedMessage}`,
      'series rows threw: series "rows" threw reading a row, which was left out: value broke',
    ]);
    expect(meter.errorCount).toBe(6);
  });

  test('a value whose then getter throws, or a revoked Proxy as a value or a series result, is left out and reported', async () => {
    const { meter, faults } = recording();
    meter
      .addTag('t', () => throwingGetter('then', 'then broke') as never)
      .addField('thenable', () => throwingGetter('then', 'then broke') as never)
      .addField('proxy', () => revoked() as never)
      .addField('proxy_string', () => revoked() as never, { type: 'string' })
      .addTag('proxy_tag', () => revoked() as never)
      .addSeries('proxy_rows', () => revoked() as never, { fields: { p: {} } })
      .addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toEqual([
      'tag proxy_tag threw: tag "proxy_tag" threw: Cannot perform \'get\' on a proxy that has been revoked',
      'tag t threw: tag "t" threw: then broke',
      'field thenable threw: field "thenable" threw: then broke',
      'field proxy threw: field "proxy" threw: Cannot perform \'get\' on a proxy that has been revoked',
      'field proxy_string threw: field "proxy_string" threw: Cannot perform \'get\' on a proxy that has been revoked',
      'series proxy_rows threw: series "proxy_rows" threw: Cannot perform \'get\' on a proxy that has been revoked',
    ]);
  });

  test('a revoked Proxy, or an object with a throwing getter, returned by a builder fails that builder only', async () => {
    const { meter, faults } = recording();
    meter
      .addContextBuilder(() => revoked(), 'revoked')
      .addContextBuilder(() => throwingGetter('b', 'b broke', { a: 1 }) as { a: number; b: number }, 'getter')
      .addContextBuilder(() => ({ c: 3 }), 'fine')
      .addField('b', (ctx) => ctx.b)
      .addField('c', (ctx) => ctx.c);
    expect(await meter.render()).toBe('m c=3\n');
    expect(faults).toEqual([
      'builder revoked threw: builder "revoked" threw: Cannot perform \'get\' on a proxy that has been revoked',
      'builder getter threw: builder "getter" threw reading what it returned: b broke',
      'field b skipped: field "b" skipped: it reads context "b", missing because builder "revoked", "getter" failed',
    ]);
  });

  test('a field that throws or rejects with something that cannot be turned into text is reported all the same', async () => {
    const { meter, faults } = recording();
    meter
      .addField('throws', () => {
        throw Object.create(null);
      })
      .addField('rejects', () => Promise.reject(Object.create(null)))
      .addField('revoked', () => {
        throw revoked();
      })
      .addField('message_getter', () => {
        throw Object.defineProperty(new Error(), 'message', {
          get() {
            throw new Error('no message');
          },
        });
      })
      .addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toEqual([
      'field throws threw: field "throws" threw: an object that cannot be read as text',
      'field revoked threw: field "revoked" threw: a revoked Proxy that cannot be read as text',
      'field message_getter threw: field "message_getter" threw: an object that cannot be read as text',
      'field rejects threw: field "rejects" threw: an object that cannot be read as text',
    ]);
    expect(meter.errorCount).toBe(4);
  });
});

describe('series keys that InfluxDB would refuse', () => {
  test('a tag of 70 000 bytes is left out and reported; the fields and series still render', async () => {
    const { meter, faults } = recording();
    meter
      .addTag('app', 'a')
      .addTag('huge', () => 'x'.repeat(70_000))
      .addField('f', () => 1)
      .addSeries('rows', () => [{ tags: { n: '1' }, fields: { v: 2 } }], { tags: ['n'], fields: { v: {} } });
    expect(await meter.render()).toBe('m,app=a f=1\nm,app=a,n=1 v=2\n');
    expect(faults).toEqual([
      'tag huge invalid: tag "huge" gave a value that makes the series key 70013 bytes long, over InfluxDB\'s limit of 65535; the tag was left out',
    ]);
  });

  test('a row tag that would not fit after the meter tags is left out of its row, counted in escaped UTF-8 bytes', async () => {
    const { meter, faults } = recording();
    const meterTag = 'é'.repeat(20_000); // 40 000 bytes
    meter.addTag('t', meterTag).addSeries(
      'rows',
      () => [
        // m and ,t=… make 40 004 bytes; ,a= and 12 764 escaped commas and an x 25 532 more: 65 536.
        { tags: { a: `${','.repeat(12_764)}x`, b: 'y' }, fields: { v: 1 } },
        // ,a= and 12 762 escaped commas: 65 531; ,b=y: 65 535.
        { tags: { a: ','.repeat(12_762), b: 'y' }, fields: { v: 2 } },
      ],
      { tags: ['a', 'b'], fields: { v: {} } },
    );
    const lines = (await meter.render()).split('\n');
    expect(lines.map((line) => line.replace(/(é+|(\\,)+)/g, (run) => `<${run.length}>`))).toEqual([
      'm,b=y,t=<20000> v=1',
      'm,a=<25524>,b=y,t=<20000> v=2',
      '',
    ]);
    expect(faults).toEqual([
      'tag a invalid: tag "a" gave a value in series "rows" that makes the series key 65536 bytes long, over InfluxDB\'s limit of 65535; the tag was left out',
    ]);
  });

  test('a meter with a histogram keeps room in every series key for its bucket lines\' ",le=" and longest bound', async () => {
    const { meter, faults } = recording();
    // ,le=0.0005 is the longest: 10 bytes. m and ,t= take 4; so a tag value of 65 521 bytes fits, and one more does not.
    meter
      .addTag('t', () => 'x'.repeat(65_522))
      .addField('h', () => ({ counts: [0, 1, 0], sum: 1 }), { kind: 'histogram', buckets: [0.0005, 1] });
    expect(await meter.render()).toBe('m h_sum=1,h_count=1i\nm,le=0.0005 h_bucket=0i\nm,le=1.0 h_bucket=1i\nm,le=+Inf h_bucket=1i\n');
    expect(faults).toEqual([
      'tag t invalid: tag "t" gave a value that makes the series key 65536 bytes long on a histogram\'s bucket lines (with their ",le="), over InfluxDB\'s limit of 65535; the tag was left out',
    ]);
    const fitting = new Runometer('m')
      .addTag('t', () => 'x'.repeat(65_521))
      .addField('h', () => ({ counts: [0, 1, 0], sum: 1 }), { kind: 'histogram', buckets: [0.0005, 1] });
    const longest = (await fitting.render()).split('\n').find((line) => line.includes('le=0.0005'))!;
    expect(new TextEncoder().encode(longest.slice(0, longest.indexOf(' '))).length).toBe(65_535);
  });
});

describe('a missing permission', () => {
  const denied = new PermissionDeniedError('read /proc/self/statm', '--allow-read=/proc/self/statm');

  test('leaves out what needs it, reported once per function with what to grant, then silently', async () => {
    const { meter, faults } = recording();
    const fromAnotherCopy = Object.assign(new Error('needs permission to read system information x: grant --allow-sys=x'), {
      name: 'PermissionDeniedError',
      grant: '--allow-sys=x',
    });
    meter
      .addContextBuilder((): { statm: number } => {
        throw denied;
      }, 'proc')
      .addTag('host', () => Promise.reject(denied))
      .addField('vm', () => {
        throw denied;
      })
      .addField('limit', () => Promise.reject(fromAnotherCopy))
      .addSeries(
        'fds',
        () => {
          throw denied;
        },
        { fields: { n: {} } },
      )
      .addField('ok', () => 1)
      .addField('from_proc', (ctx) => ctx.statm);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toEqual([
      'builder proc denied: builder "proc" left out: needs permission to read /proc/self/statm: grant --allow-read=/proc/self/statm',
      'field vm denied: field "vm" left out: needs permission to read /proc/self/statm: grant --allow-read=/proc/self/statm',
      'field from_proc denied: field "from_proc" left out: it reads context "statm", missing because builder "proc" failed for want of a permission',
      'series fds denied: series "fds" left out: needs permission to read /proc/self/statm: grant --allow-read=/proc/self/statm',
      'tag host denied: tag "host" left out: needs permission to read /proc/self/statm: grant --allow-read=/proc/self/statm',
      'field limit denied: field "limit" left out: needs permission to read system information x: grant --allow-sys=x',
    ]);
    expect(meter.errorCount).toBe(6);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toHaveLength(6);
    expect(meter.errorCount).toBe(6);
  });

  test('is reported once per meter: another meter reports it too', async () => {
    const counts = [0, 0];
    for (const i of [0, 1]) {
      const meter = new Runometer('m', { onError: () => counts[i]!++ }).addField('vm', () => {
        throw denied;
      });
      await meter.render();
      await meter.render();
    }
    expect(counts).toEqual([1, 1]);
  });
});
