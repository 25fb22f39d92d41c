import { afterEach, describe, expect, test, vi } from 'vitest';
import { parseLines } from '../test/parse-line-protocol.js';
import { RenderError } from './errors.js';
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
      .addContextBuilder(function sockets() {
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
      .addContextBuilder(() => Promise.reject(new Error('down')), 'base')
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
    meter.addContextBuilder(() => 42 as never, 'answer').addField('x', (ctx) => ctx.x);
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
        () => [
          { tags: { space: 'new' }, fields: { size: 1, extra: 5 } },
          { tags: { space: 'old', other: 'x' }, fields: { size: 2 } },
          'not a row',
          { tags: { space: { nested: true } }, fields: { size: 3 } },
          { tags: { space: 'lo' }, fields: { size: 1.5 } },
        ],
        { tags: ['space'], fields: { size: { type: 'integer' } } },
      )
      .addSeries('scalar', () => 7, { fields: { z: {} } });
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
    ['string', 'x'.repeat(65536), 'string of 65536 bytes exceeds InfluxDB\'s limit of 65535'],
    ['string', 'é'.repeat(32768), 'string of 65536 bytes exceeds InfluxDB\'s limit of 65535'],
    ['boolean', 1, 'expected a boolean, got number 1'],
    ['boolean', 'true', 'expected a boolean, got string "true"'],
    ['float', { v: 1 }, 'expected a float (number), got an object'],
    ['float', [1], 'expected a float (number), got an array'],
  ] as const)('a %s field given %s', async (type, value, problem) => {
    const { meter, faults } = recording();
    meter.addField('bad', () => value, { type }).addField('ok', () => 1);
    expect(await meter.render()).toBe('m ok=1\n');
    expect(faults).toEqual([`field bad invalid: field "bad" gave an invalid value: ${problem}`]);
  });

  test('a string of exactly 65535 bytes renders', async () => {
    const meter = new Runometer('m').addField('s', () => 'x'.repeat(65535), { type: 'string' });
    expect(parseLines(await meter.render())[0]!.fields['s']).toEqual({ type: 'string', value: 'x'.repeat(65535) });
  });

  test('a tag given an object is left out and reported', async () => {
    const { meter, faults } = recording();
    meter.addTag('t', () => ({})).addField('f', () => 1);
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
      "tag slow timeout: tag \"slow\" timed out: the render's budget of 30 ms ran out",
      "field hangs timeout: field \"hangs\" timed out: the render's budget of 30 ms ran out",
      "series stuck timeout: series \"stuck\" timed out: the render's budget of 30 ms ran out",
    ]);
  });

  test('a builder that overruns fails like any other, and the builders after it still run', async () => {
    const { meter, faults } = recording('m', { renderTimeout: 30 });
    let laterBuilderRan = false;
    meter
      .addContextBuilder(never, 'slow')
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

  test('a render of synchronous functions never arms a timer', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    await new Runometer('m').addContextBuilder(() => ({ a: 1 })).addTag('t', () => 'v').addField('f', (ctx) => ctx.a).render();
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
      .addField('bad', () => 'x')
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
