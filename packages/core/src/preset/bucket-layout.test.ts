import { describe, expect, test } from 'vitest';
import { BucketLayout } from './bucket-layout.js';
import { catalogOf } from './catalog.js';
import { field, preset, series } from './decorators.js';
import { container, singleton } from './di.js';
import { HistogramRecorder } from './histogram-recorder.js';
import { RegistrationError } from '../model/errors.js';
import { worstQuantileError } from '../model/histogram.js';
import { Runometer } from '../runometer.js';

describe('BucketLayout', () => {
  test('takes bounds checked as a field takes buckets, until it is fixed', () => {
    const layout = new BucketLayout('Waits.buckets', [0.1, 1]);
    layout.bounds = [0.5, 5];
    expect(layout.bounds).toEqual([0.5, 5]);
    expect(Object.isFrozen(layout.bounds)).toBe(true);
    expect(() => (layout.bounds = [1, 1])).toThrow(
      new RegistrationError('Waits.buckets has bucket bounds 1 then 1 at index 1; bounds must be strictly increasing'),
    );
    expect(() => new BucketLayout('Waits.buckets', [])).toThrow(
      'Waits.buckets needs buckets: a non-empty array of upper bounds, e.g. [0.005, 0.01, 0.025], got an empty array',
    );
    expect(layout.fixed).toBe(false);
    expect(layout.fix('a wait was recorded')).toBe(layout.bounds);
    expect(layout.fixed).toBe(true);
    expect(() => (layout.bounds = [1, 2])).toThrow(
      new RegistrationError(
        'Waits.buckets cannot change once a wait was recorded: counts of one layout cannot be written under another; set it before that',
      ),
    );
    layout.fix('a meter uses it');
    expect(() => (layout.bounds = [1, 2])).toThrow('Waits.buckets cannot change once a wait was recorded:');
    expect(layout.bounds).toEqual([0.5, 5]);
  });
});

describe('worstQuantileError', () => {
  test("is the widest bucket's width over its lower bound, from the first bound on", () => {
    expect(worstQuantileError([1, 2, 3, 5, 10])).toBe(1);
    expect(worstQuantileError([0.005, 0.01, 0.025, 0.05, 0.1])).toBeCloseTo(1.5, 12);
    expect(worstQuantileError([0, 1, 1.25])).toBe(0.25);
    expect(worstQuantileError([1])).toBe(0);
  });
});

@singleton()
class WaitRecorder {
  readonly layout = new BucketLayout('WaitRecorder.buckets', [0.1, 1]);
  private recorder: HistogramRecorder | undefined;

  record(seconds: number): void {
    (this.recorder ??= new HistogramRecorder(this.layout.fix('a wait was recorded'))).record(seconds);
  }

  snapshot() {
    return this.recorder?.snapshot();
  }
}

@preset('bucket-layout-test-waits', { inject: [WaitRecorder] })
class WaitPreset {
  constructor(readonly waits: WaitRecorder) {}

  bucketsOf(key: string) {
    return key === 'wait_seconds' || key === 'row_wait_seconds' ? this.waits.layout.fix('a meter uses the waits preset') : undefined;
  }

  @field('wait_seconds', { kind: 'histogram', buckets: [0.1, 1], unit: 'seconds' })
  wait() {
    return this.waits.snapshot();
  }

  @field('other_seconds', { kind: 'histogram', buckets: [2] })
  other() {
    return { counts: [1, 0], sum: 1 };
  }

  @series('rows', { tags: ['n'], fields: { row_wait_seconds: { kind: 'histogram', buckets: [0.1, 1] } } })
  rows() {
    return [{ tags: { n: '1' }, fields: { row_wait_seconds: this.waits.snapshot() } }];
  }
}

describe("a preset's bucketsOf", () => {
  test('gives the layout of its histogram fields on a meter, in place of the declared one, which the catalog keeps', async () => {
    const scope = container.createChildContainer();
    const waits = new WaitRecorder();
    scope.registerInstance(WaitRecorder, waits);
    waits.layout.bounds = [0.5];
    const meter = new Runometer('m', { container: scope }).use(WaitPreset);
    waits.record(0.2);
    expect(await meter.render()).toBe(
      'm wait_seconds_sum=0.2,wait_seconds_count=1i,other_seconds_sum=1,other_seconds_count=1i\n' +
        'm,le=0.5 wait_seconds_bucket=1i\nm,le=+Inf wait_seconds_bucket=1i\n' +
        'm,le=2.0 other_seconds_bucket=1i\nm,le=+Inf other_seconds_bucket=1i\n' +
        'm,n=1 row_wait_seconds_sum=0.2,row_wait_seconds_count=1i\n' +
        'm,le=0.5,n=1 row_wait_seconds_bucket=1i\nm,le=+Inf,n=1 row_wait_seconds_bucket=1i\n',
    );
    expect(catalogOf(WaitPreset).map((entry) => entry.buckets)).toEqual([[0.1, 1], [2], [0.1, 1]]);
    expect(() => (waits.layout.bounds = [1])).toThrow('WaitRecorder.buckets cannot change once a meter uses the waits preset');
  });

  test('a layout it gives is checked as declared buckets are, naming the preset and the field', () => {
    const scope = container.createChildContainer();
    const waits = new WaitRecorder();
    scope.registerInstance(WaitRecorder, waits);
    const broken = Object.assign(new WaitPreset(waits), { bucketsOf: () => [1, 0.5] });
    scope.registerInstance(WaitPreset, broken);
    expect(() => new Runometer('m', { container: scope }).use(WaitPreset)).toThrow(
      new RegistrationError(
        'preset "bucket-layout-test-waits": histogram field "wait_seconds" has bucket bounds 1 then 0.5 at index 1; bounds must be strictly increasing',
      ),
    );
    scope.registerInstance(WaitPreset, Object.assign(new WaitPreset(waits), { bucketsOf: [0.5] }));
    expect(() => new Runometer('m', { container: scope }).use(WaitPreset)).toThrow(
      new RegistrationError('preset "bucket-layout-test-waits": bucketsOf must be a method, got an array'),
    );
  });
});
