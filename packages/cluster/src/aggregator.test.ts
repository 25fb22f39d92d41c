import { Runometer, toLineProtocol } from '@runometer/core';
import { parseLines } from '@runometer/core/format';
import { describe, expect, test, vi } from 'vitest';
import { Aggregator, type AggregateOptions } from './aggregator.js';
import { message, type Ask } from './protocol.js';
import { ClusterPreset, countsMeter, GatherTally } from './presets.js';
import { tagsOf } from './tags.js';
import type { WireAnswer } from './wire.js';

const GOOD: Omit<WireAnswer, 'reporter'> = {
  firstSpec: 0,
  specs: [{ key: 'up', type: 'float', kind: 'gauge' }],
  snapshots: [['app', null, [[null, [], [0, 1]]]]],
};
const BAD: Omit<WireAnswer, 'reporter'> = { ...GOOD, snapshots: [['app\nevil', null, [[null, [], [0, 1]]]]] };

/** An aggregate of two workers that answer at once (worker 2 with `second`), over no transport at all. */
function twoWorkers(second: Omit<WireAnswer, 'reporter'>, options: AggregateOptions = {}): Aggregator {
  const tally = new GatherTally();
  const own = new Runometer('primary').addField('own', () => 1);
  const aggregate: Aggregator = new Aggregator(
    own,
    tagsOf({ worker: 'primary' }),
    { meter: countsMeter(ClusterPreset, tally), tally },
    { timeout: 60_000, ...options },
    () => {},
  );
  for (const [id, answer] of [
    [1, GOOD],
    [2, second],
  ] as const) {
    aggregate.add(id, {
      tags: tagsOf({ pid: String(100 + id), worker: String(id) }),
      ask: (ask: Ask) => queueMicrotask(() => aggregate.receive(id, message('answer', { id: ask.id, reporter: `r${id}`, ...answer }))),
    });
  }
  return aggregate;
}

describe('an aggregate and a worker that sends what no reporter sends', () => {
  test('the bad worker costs only its own lines: counted as timed out at once, without waiting for the timeout, and named to onError', async () => {
    const onError = vi.fn();
    const aggregate = twoWorkers(BAD, { onError });
    const lines = parseLines(toLineProtocol(await aggregate.collect()));
    expect(lines.map(({ measurement, tags }) => [measurement, tags['worker']])).toEqual([
      ['primary', 'primary'],
      ['app', '1'],
    ]);
    expect(lines[0]!.fields).toMatchObject({
      cluster_workers_asked: { value: 2n },
      cluster_workers_answered: { value: 1n },
      cluster_workers_timed_out: { value: 1n },
      cluster_workers_died: { value: 0n },
    });
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual([
      'pid=102,worker=2: answer refused: measurement name "app\\nevil" contains the control character U+000a, which line protocol cannot carry',
    ]);
    aggregate.close();
  });

  test('without onError, the first refusal of a source is printed once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const aggregate = twoWorkers(BAD);
      await aggregate.collect();
      await aggregate.collect();
      expect(warn.mock.calls).toEqual([
        [
          '@runometer/cluster, aggregate of primary: pid=102,worker=2: answer refused: measurement name "app\\nevil" contains the control character U+000a, which line protocol cannot carry (warned once; set onError to see every refused answer)',
        ],
      ]);
      aggregate.close();
    } finally {
      warn.mockRestore();
    }
  });
});
