import { afterEach, describe, expect, test, vi } from 'vitest';
import { parseLines } from './format/parse-line-protocol.js';
import { RegistrationError } from './model/errors.js';
import { field, preset } from './preset/decorators.js';
import { Runometer } from './runometer.js';

afterEach(() => {
  vi.useRealTimers();
});

class Socket {
  constructor(
    readonly isConnected: boolean,
    readonly isValid: boolean,
  ) {}
  static allInstances: () => Socket[];
}

describe("Pharometer's example", () => {
  test('static and computed tags, three fields sharing one builder that runs once per render', async () => {
    let scans = 0;
    Socket.allInstances = () => {
      scans++;
      return [new Socket(true, true), new Socket(false, true), new Socket(false, false), new Socket(true, true)];
    };
    const pharometer = new Runometer('pharo')
      .addContextBuilder(() => ({ sockets: Socket.allInstances() }))
      .addTag('app', 'app-42')
      .addTag('image', () => '/Users/seb/Developer/blah-project')
      .addField('totalSockets', (ctx) => ctx.sockets.length, { type: 'integer' })
      .addField('connectedSockets', (ctx) => ctx.sockets.filter((s) => s.isConnected).length, { type: 'integer' })
      .addField('validSockets', (ctx) => ctx.sockets.filter((s) => s.isValid).length, { type: 'integer' });

    expect(await pharometer.render()).toBe(
      'pharo,app=app-42,image=/Users/seb/Developer/blah-project totalSockets=4i,connectedSockets=2i,validSockets=3i\n',
    );
    expect(scans).toBe(1);
    await pharometer.render();
    expect(scans).toBe(2);
  });
});

describe('a meter', () => {
  test('ships nothing: a new meter renders no line', async () => {
    const meter = new Runometer('node');
    expect(await meter.render()).toBe('');
    expect(await meter.collect()).toEqual({ measurement: 'node', points: [] });
  });

  test('renders no line when every field is absent, and leaves out NaN, Infinity, undefined and null', async () => {
    const meter = new Runometer('m')
      .addTag('t', 'x')
      .addField('nan', () => NaN)
      .addField('inf', () => -Infinity)
      .addField('undef', () => undefined)
      .addField('nul', () => null, { type: 'integer' });
    expect(await meter.render()).toBe('');
    meter.addField('ok', () => 1);
    expect(await meter.render()).toBe('m,t=x ok=1\n');
  });

  test('sorts tags by key in byte order, whatever order they were added in', async () => {
    const meter = new Runometer('m')
      .addTag('zone', 'z')
      .addTag('Zeta', () => 'Z')
      .addTag('é', 'e')
      .addTag('app', () => 'a')
      .addField('f', () => 1);
    expect(await meter.render()).toBe('m,Zeta=Z,app=a,zone=z,é=e f=1\n');
  });

  test('omits a tag whose value is empty or absent, and writes numbers and booleans as text', async () => {
    const meter = new Runometer('m')
      .addTag('empty', () => '')
      .addTag('none', () => undefined)
      .addTag('gone', () => '\\')
      .addTag('n', () => 7)
      .addTag('b', () => false)
      .addField('f', () => 1);
    expect(await meter.render()).toBe('m,b=false,n=7 f=1\n');
  });

  test('writes each field type as declared, in the order fields were added', async () => {
    const meter = new Runometer('types')
      .addField('float', () => 2)
      .addField('int', () => 2, { type: 'integer' })
      .addField('big', () => 2n ** 62n, { type: 'integer' })
      .addField('str', () => 'v "1"', { type: 'string' })
      .addField('bool', () => true, { type: 'boolean' });
    const body = await meter.render();
    expect(body).toBe('types float=2,int=2i,big=4611686018427387904i,str="v \\"1\\"",bool=true\n');
    expect(parseLines(body)[0]!.fields).toEqual({
      float: { type: 'float', value: 2 },
      int: { type: 'integer', value: 2n },
      big: { type: 'integer', value: 2n ** 62n },
      str: { type: 'string', value: 'v "1"' },
      bool: { type: 'boolean', value: true },
    });
  });

  test('awaits async builders, tags and fields', async () => {
    const meter = new Runometer('m')
      .addContextBuilder(async () => ({ base: 40 }))
      .addContextBuilder(async (ctx) => ({ answer: ctx.base + 2 }))
      .addTag('host', async () => 'h1')
      .addField('answer', async (ctx) => ctx.answer, { type: 'integer' })
      .addField('sync', (ctx) => ctx.base / 10);
    expect(await meter.render()).toBe('m,host=h1 answer=42i,sync=4\n');
  });

  test('lets a builder fill the context in place, as Pharometer does', async () => {
    const meter = new Runometer<{ sockets: number[] }>('m')
      .addContextBuilder((ctx) => {
        ctx.sockets = [1, 2];
      })
      .addField('sockets', (ctx) => ctx.sockets.length);
    expect(await meter.render()).toBe('m sockets=2\n');
  });

  test('stamps every line of a render with one nanosecond timestamp when asked', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T12:00:00.123Z'));
    const meter = new Runometer('m', { timestamps: true })
      .addField('f', () => 1)
      .addSeries('s', () => [{ tags: { k: 'a' }, fields: { g: 2 } }], { tags: ['k'], fields: { g: {} } });
    expect(await meter.render()).toBe('m f=1 1795608000123000000\nm,k=a g=2 1795608000123000000\n');
  });
});

describe('series', () => {
  const spaces = [
    { space_name: 'new_space', space_size: 1024, space_used_size: 512 },
    { space_name: 'old_space', space_size: 4096, space_used_size: 1000 },
  ];

  test('renders one line per row under the meter name and tags, with the series tags merged in order', async () => {
    const meter = new Runometer('node')
      .addTag('app', 'api')
      .addTag('zone', 'eu')
      .addField('rss', () => 10, { type: 'integer' })
      .addSeries(
        'heap_spaces',
        () => spaces.map((s) => ({ tags: { space: s.space_name }, fields: { space_size: s.space_size, space_used: s.space_used_size } })),
        { tags: ['space'], fields: { space_size: { type: 'integer' }, space_used: { type: 'integer' } } },
      );
    expect(await meter.render()).toBe(
      [
        'node,app=api,zone=eu rss=10i',
        'node,app=api,space=new_space,zone=eu space_size=1024i,space_used=512i',
        'node,app=api,space=old_space,zone=eu space_size=4096i,space_used=1000i',
        '',
      ].join('\n'),
    );
  });

  test('writes fields in declared order, leaves out absent ones, and drops rows with no field', async () => {
    const meter = new Runometer('m').addSeries(
      'gc',
      () => [
        { tags: { kind: 'minor' }, fields: { pause: 0.5, count: 3 } },
        { tags: { kind: 'major' }, fields: { count: undefined } },
        { tags: { kind: 'weak' }, fields: { count: 1, pause: NaN } },
      ],
      { tags: ['kind'], fields: { count: { type: 'integer' }, pause: {} } },
    );
    expect(await meter.render()).toBe('m,kind=minor count=3i,pause=0.5\nm,kind=weak count=1i\n');
  });

  test('accepts any iterable of rows, and rows without tags', async () => {
    function* rows() {
      yield { fields: { v: 1 } };
    }
    const meter = new Runometer('m').addSeries('gen', rows, { fields: { v: {} } });
    expect(await meter.render()).toBe('m v=1\n');
  });
});

describe('field metadata', () => {
  test('carries kind and help into the snapshot, for formats that use them', async () => {
    const meter = new Runometer('m')
      .addField('requests', () => 5, { type: 'integer', kind: 'counter', help: 'Requests served.' })
      .addField('level', () => 0.5);
    const [point] = (await meter.collect()).points;
    // The spec and nothing else: a snapshot carries no function, and goes through a structured clone or JSON whole.
    expect(point!.fields.map(({ spec }) => spec)).toStrictEqual([
      { key: 'requests', escapedKey: 'requests', type: 'integer', kind: 'counter', help: 'Requests served.', unit: undefined },
      { key: 'level', escapedKey: 'level', type: 'float', kind: 'gauge', help: undefined, unit: undefined },
    ]);
    expect(await meter.render()).toBe('m requests=5i,level=0.5\n');
  });

  test("carries the unit a field declares: the meter's, a histogram's, a preset's, a series'", async () => {
    @preset('core-test-unit-queues')
    class QueuesPreset {
      @field('queue_wait_seconds', { unit: 'seconds' })
      wait(): number {
        return 0.5;
      }
    }
    const meter = new Runometer('m')
      .addField('rss', () => 4096, { type: 'integer', unit: 'bytes' })
      .addField('wait', () => ({ counts: [1, 0], sum: 0.5 }), { kind: 'histogram', buckets: [1], unit: 'seconds' })
      .addSeries('cpus', () => [{ tags: { cpu: '0' }, fields: { busy: 0.25 } }], { tags: ['cpu'], fields: { busy: { unit: 'ratio' } } })
      .use(QueuesPreset);
    const units = async () =>
      (await meter.collect()).points.flatMap(({ fields }) => fields.map(({ spec }) => [spec.key, spec.unit] as const));
    expect(await units()).toEqual([
      ['rss', 'bytes'],
      ['wait', 'seconds'],
      ['queue_wait_seconds', 'seconds'],
      ['busy', 'ratio'],
    ]);
  });

  test('a spec is made once, frozen: every render shares it', async () => {
    const meter = new Runometer('m').addField('rss', () => 1, { unit: 'bytes' });
    const specOf = async () => (await meter.collect()).points[0]!.fields[0]!.spec;
    const first = await specOf();
    expect(Object.isFrozen(first)).toBe(true);
    expect(await specOf()).toBe(first);
  });
});

describe('registration', () => {
  test.each([
    [() => new Runometer(''), 'measurement name must be a non-empty string, got string ""'],
    [() => new Runometer('#x'), 'measurement name "#x" starts with "#", which makes its line a comment'],
    [() => new Runometer('a\nb'), 'measurement name "a\\nb" contains the control character U+000a, which line protocol cannot carry'],
    [() => new Runometer(','.repeat(32_768)), "measurement name of 65536 bytes exceeds InfluxDB's limit of 65535 for a series key"],
    [() => new Runometer('m').addField('time', () => 1), 'field key "time" is reserved: InfluxDB 1.x rejects it'],
    [() => new Runometer('m').addTag('time', 'x'), 'tag key "time" is reserved: InfluxDB 1.x rejects it'],
    [() => new Runometer('m').addField('_x', () => 1), 'field key "_x" starts with "_", reserved by InfluxDB 2.x'],
    [() => new Runometer('m').addTag('_x', 'v'), 'tag key "_x" starts with "_", reserved by InfluxDB 2.x'],
    [() => new Runometer('m').addField('a\\b', () => 1), 'field key "a\\\\b" contains a backslash, which line protocol cannot carry'],
    [
      () => new Runometer('m').addTag('t\tab', 'v'),
      'tag key "t\\tab" contains the control character U+0009, which line protocol cannot carry',
    ],
    [() => new Runometer('m').addField('f', () => 1).addField('f', () => 2), 'field key "f" is already registered by the meter'],
    [() => new Runometer('m').addTag('t', 'a').addTag('t', 'b'), 'tag key "t" is already registered by the meter'],
    [() => new Runometer('m').addTag('k', 'a').addField('k', () => 1), 'field key "k" is already registered as a tag key by the meter'],
    [() => new Runometer('m').addField('k', () => 1).addTag('k', 'a'), 'tag key "k" is already registered as a field key by the meter'],
    [
      () => new Runometer('m').addField('f', () => 1, { type: 'int' } as never),
      'field "f" has type "int"; expected one of "float", "integer", "string", "boolean"',
    ],
    [() => new Runometer('m').addField('f', 42 as never), 'field "f" must be a function, got number 42'],
    [
      () => new Runometer('m').addField('f', () => 1, { kind: 'summary' } as never),
      'field "f" has kind "summary"; expected "gauge", "counter" or "histogram"',
    ],
    [
      () => new Runometer('m').addField('f', () => 's', { type: 'string', kind: 'counter' }),
      'field "f" is a counter, so its type must be "float" or "integer", not "string"',
    ],
    [() => new Runometer('m').addField('f', () => 1, { help: 5 as never }), 'field "f" help must be a string, got number 5'],
    [() => new Runometer('m').addField('f', () => 1, 'integer' as never), 'field "f" options must be an object, got string "integer"'],
    [
      () => new Runometer('m').addField('f', () => 1, { unit: 'MB' as never }),
      'field "f" has unit "MB"; expected one of "bytes", "seconds", "epoch_seconds", "percent", "ratio", "count", "none"',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { fields: { v: { unit: 'byte' as never } } }),
      'field "v" has unit "byte"; expected one of "bytes", "seconds", "epoch_seconds", "percent", "ratio", "count", "none"',
    ],
    [
      () => new Runometer('m').addField('f', () => 1, { requires: 'procSelf' as never }),
      'field "f" requires must be an array of capability names, got string "procSelf"',
    ],
    [
      () => new Runometer('m').addField('f', () => 1, { requires: ['procSelf', ''] }),
      'field "f" requires must be an array of capability names, got an array',
    ],
    [() => new Runometer('m').addField('f', () => 1, { when: '' }), 'field "f" when must be a non-empty string, got string ""'],
    [
      () => new Runometer('m').addTag('t', ''),
      'tag "t" must have a non-empty string value without tabs, line breaks or trailing backslash, or a function; got string ""',
    ],
    [
      () => new Runometer('m').addTag('t', 'C:\\'),
      'tag "t" must have a non-empty string value without tabs, line breaks or trailing backslash, or a function; got string "C:\\\\"',
    ],
    [
      () => new Runometer('m').addTag('t', 5 as never),
      'tag "t" must have a non-empty string value without tabs, line breaks or trailing backslash, or a function; got number 5',
    ],
    [() => new Runometer('m', { renderTimeout: 0 }), 'renderTimeout must be a positive number of milliseconds, got number 0'],
    [() => new Runometer('m', { renderTimeout: '5' as never }), 'renderTimeout must be a positive number of milliseconds, got string "5"'],
    [() => new Runometer('m', { timestamps: 1 as never }), 'timestamps must be a boolean, got number 1'],
    [() => new Runometer('m', { onError: 'log' as never }), 'onError must be a function, got string "log"'],
    [
      () => new Runometer('m').addSeries('s', () => [], { fields: {} }),
      'series "s" must declare its fields, e.g. { fields: { size: { type: \'integer\' } } }',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: 'k' as never, fields: { v: {} } }),
      'series "s" tags must be an array of keys, got string "k"',
    ],
    [
      () => new Runometer('m').addTag('k', 'v').addSeries('s', () => [], { tags: ['k'], fields: { v: {} } }),
      'tag key "k" is already registered by the meter',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: ['k', 'k'], fields: { v: {} } }),
      'tag key "k" is already registered by the meter',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: ['k'], fields: { k: {} } }),
      'field key "k" is already registered as a tag key',
    ],
    [
      () => new Runometer('m').addField('v', () => 1).addSeries('s', () => [], { fields: { v: {} } }),
      'field key "v" is already registered by the meter',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { fields: { v: {} } }).addSeries('s', () => [], { fields: { w: {} } }),
      'series "s" is already registered',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: ['k'], fields: { v: {} } }).addTag('k', 'x'),
      'tag key "k" is already registered by the meter',
    ],
    [
      () => new Runometer('m').addTag('app-name', 'a').addTag('app_name', 'b'),
      'tag key "app_name" would be the Prometheus label "app_name", as tag key "app-name" registered by the meter is: rename one',
    ],
    [
      () => new Runometer('m').addTag('app.name', 'a').addSeries('s', () => [], { tags: ['app_name'], fields: { v: {} } }),
      'tag key "app_name" would be the Prometheus label "app_name", as tag key "app.name" registered by the meter is: rename one',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: ['a-b', 'a_b'], fields: { v: {} } }),
      'tag key "a_b" would be the Prometheus label "a_b", as tag key "a-b" registered by the meter is: rename one',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: ['zone-id'], fields: { v: {} } }).addTag('zone_id', 'x'),
      'tag key "zone_id" would be the Prometheus label "zone_id", as tag key "zone-id" registered by the meter is: rename one',
    ],
    [
      () => new Runometer('m').addField('a.b', () => 1).addField('a_b', () => 2),
      'gauge field "a_b" and gauge field "a.b" registered by the meter would both be served to Prometheus as "m_a_b": rename one',
    ],
    [
      () => new Runometer('m').addField('orders', () => 1, { kind: 'counter' }).addField('orders_total', () => 2),
      'gauge field "orders_total" and counter field "orders" registered by the meter would both be served to Prometheus as "m_orders_total": rename one',
    ],
    [
      () => new Runometer('m').addField('orders_total', () => 1, { kind: 'counter' }).addField('orders', () => 2),
      'gauge field "orders" and counter field "orders_total" registered by the meter would both be served to Prometheus as "m_orders": rename one',
    ],
    [
      () => new Runometer('app').addField('orders', () => 1, { kind: 'counter' }).addField('orders_total', () => 2, { kind: 'counter' }),
      'counter field "orders_total" and counter field "orders" registered by the meter would both be served to Prometheus as "app_orders": rename one',
    ],
    [
      () => new Runometer('m').addField('read-bytes', () => 1).addSeries('s', () => [], { fields: { 'read.bytes': {} } }),
      'gauge field "read.bytes" and gauge field "read-bytes" registered by the meter would both be served to Prometheus as "m_read_bytes": rename one',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { fields: { 'x-y': {}, x_y: { kind: 'counter' } } }),
      'counter field "x_y" and gauge field "x-y" registered by the meter would both be served to Prometheus as "m_x_y": rename one',
    ],
  ])('%# fails with a message that names what is wrong', (register, message) => {
    expect(register).toThrow(new RegistrationError(message));
  });

  test('names that differ in Prometheus, and string fields (never served there), pass', async () => {
    const meter = new Runometer('m')
      .addTag('app', 'a')
      .addField('a.b', () => 's', { type: 'string' })
      .addField('a_b', () => 1)
      .addField('orders', () => 1, { kind: 'counter' })
      .addField('orders_created', () => 2)
      .addSeries('x', () => [{ tags: { 'k-1': 'v' }, fields: { w: 3 } }], { tags: ['k-1'], fields: { w: {} } })
      .addSeries('y', () => [{ tags: { k_1: 'v' }, fields: { z: 4 } }], { tags: ['k_1'], fields: { z: {} } });
    expect(await meter.render()).toBe('m,app=a a.b="s",a_b=1,orders=1,orders_created=2\nm,app=a,k-1=v w=3\nm,app=a,k_1=v z=4\n');
  });

  test('two series may share a tag key, since their lines are apart', async () => {
    const meter = new Runometer('m')
      .addSeries('a', () => [{ tags: { kind: 'x' }, fields: { a: 1 } }], { tags: ['kind'], fields: { a: {} } })
      .addSeries('b', () => [{ tags: { kind: 'y' }, fields: { b: 2 } }], { tags: ['kind'], fields: { b: {} } });
    expect(await meter.render()).toBe('m,kind=x a=1\nm,kind=y b=2\n');
  });

  test('a failed registration leaves the meter as it was', async () => {
    const meter = new Runometer('m').addField('a', () => 1);
    expect(() => meter.addSeries('s', () => [], { tags: ['t'], fields: { b: {}, a: {} } })).toThrow(
      'field key "a" is already registered by the meter',
    );
    meter.addTag('t', 'v').addField('b', () => 2);
    expect(await meter.render()).toBe('m,t=v a=1,b=2\n');
  });

  test('a field added while a render is in flight appears from the next render on', async () => {
    let release!: () => void;
    const meter = new Runometer('m').addContextBuilder(() => new Promise<void>((resolve) => (release = resolve))).addField('a', () => 1);
    const inFlight = meter.render();
    meter.addField('b', () => 2);
    release();
    expect(await inFlight).toBe('m a=1\n');
    const next = meter.render();
    release();
    expect(await next).toBe('m a=1,b=2\n');
  });
});
