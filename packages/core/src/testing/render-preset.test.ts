import { describe, expect, test } from 'vitest';
import { decoratorsFor, preset } from '../preset/decorators.js';
import { inject, injectable } from '../preset/di.js';
import { renderPreset } from './render-preset.js';

@injectable()
class Jobs {
  constructor(
    readonly pending: number[] = [],
    readonly events: string[] = [],
  ) {}

  next(): number {
    const value = this.pending.shift();
    if (value === undefined) throw new Error('no more jobs');
    return value;
  }
}

const { contextBuilder, field } = decoratorsFor<{ jobs: number }>();

@preset('kit-jobs')
class JobsPreset {
  constructor(@inject(Jobs) private readonly jobs: Jobs) {}

  open() {
    this.jobs.events.push('open');
  }

  close() {
    this.jobs.events.push('close');
  }

  @contextBuilder()
  read() {
    return { jobs: this.jobs.next() };
  }

  @field('jobs', { type: 'integer' })
  count(ctx: { jobs: number }) {
    return ctx.jobs;
  }
}

describe('renderPreset', () => {
  test('renders the preset with its fakes and tags, as many times as asked, then closes the meter', async () => {
    const jobs = new Jobs([3, 5]);
    const rendering = await renderPreset(JobsPreset, { inject: [[Jobs, jobs]], tags: { host: 'h1' }, renders: 2 });
    expect(rendering.bodies).toEqual(['test,host=h1 jobs=3i\n', 'test,host=h1 jobs=5i\n']);
    expect(rendering.snapshots.map((snapshot) => snapshot.points[0]!.fields[0]!.value)).toEqual([3, 5]);
    expect(rendering.errors).toEqual([]);
    expect(jobs.events).toEqual(['open', 'close']);
  });

  test('takes the preset by its name, and a measurement of its own', async () => {
    const rendering = await renderPreset('kit-jobs', { inject: [[Jobs, new Jobs([1])]], measurement: 'app' });
    expect(rendering.bodies).toEqual(['app jobs=1i\n']);
  });

  test('returns the faults each render reported, in order', async () => {
    const rendering = await renderPreset(JobsPreset, { inject: [[Jobs, new Jobs([7])]], renders: 2 });
    expect(rendering.bodies).toEqual(['test jobs=7i\n', '']);
    expect(rendering.errors.map((error) => `${error.source} ${error.key} ${error.reason}`)).toEqual([
      'builder kit-jobs.read threw',
      'field jobs skipped',
    ]);
  });

  test('refuses a number of renders that is not a whole number of at least 1', async () => {
    await expect(renderPreset(JobsPreset, { renders: 0 })).rejects.toThrow('renders must be a whole number of at least 1, got 0');
  });
});
