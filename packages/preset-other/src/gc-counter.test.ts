import { GCProfiler } from 'node:v8';
import { describe, expect, test } from 'vitest';
import type { GcRecord } from '@runometer/runtime';
import type { HistogramValue } from '@runometer/core';
import { GC_DURATION_BUCKETS, GcCounter, observeGcEntries, type GcEntry } from './gc-counter.js';

/** Sources under the test's control: `deliver` hands entries to the observer, `record` queues records the profiler gives at its next stop. */
function fakeSources({ observes = true, microsecondsPerCost = 1, unitKnown = true } = {}) {
  const events: string[] = [];
  let onEntries: ((entries: readonly GcEntry[]) => void) | undefined;
  let queued: GcRecord[] = [];
  const sources = {
    observe: observes
      ? (deliver: (entries: readonly GcEntry[]) => void) => {
          events.push('observe');
          onEntries = deliver;
          return () => {
            events.push('disconnect');
            onEntries = undefined;
          };
        }
      : undefined,
    profiler: {
      start: () => void events.push('profiler start'),
      stop: () => {
        events.push('profiler stop');
        const statistics = queued;
        queued = [];
        return { statistics };
      },
    },
    microsecondsPerCost: () => {
      events.push('unit asked');
      return unitKnown ? microsecondsPerCost : undefined;
    },
  };
  return {
    sources,
    events,
    deliver: (...entries: GcEntry[]) => onEntries?.(entries),
    record: (...records: GcRecord[]) => void queued.push(...records),
  };
}

/** The tests' layout, in seconds: up to 0.1 ms, up to 1 ms, up to 10 ms, above. */
const BOUNDS = [0.0001, 0.001, 0.01];

/** A kind's pauses: how many fell in each bucket of BOUNDS, and their sum in milliseconds (the counter keeps seconds). */
const pauses = (counts: [number, number, number, number], milliseconds: number) => ({ counts, milliseconds });
const read = ({ counts, sum }: HistogramValue) => ({ counts: Array.from(counts), milliseconds: Number((sum * 1000).toPrecision(12)) });
const totals = (counter: GcCounter) => Object.fromEntries([...counter.byKind!].map(([kind, value]) => [kind, read(value)]));

describe('GcCounter', () => {
  test('counts every entry of each batch by kind, pauses in milliseconds, and stops the profiler at the first batch (Node)', () => {
    const { sources, events, deliver, record } = fakeSources();
    const counter = new GcCounter(sources, BOUNDS);
    counter.start();
    record({ gcType: 'Scavenge', cost: 900 });
    expect(counter.chosen).toBeUndefined();
    deliver(
      { duration: 0.25, detail: { kind: 1, flags: 0 } },
      { duration: 0.5, detail: { kind: 2, flags: 0 } },
      { duration: 10, detail: { kind: 4, flags: 0 } },
      { duration: 0.125, detail: { kind: 8, flags: 0 } },
      { duration: 0.0625, detail: { kind: 16, flags: 0 } },
      { duration: 1, detail: { kind: 32, flags: 0 } },
      { duration: 1 },
    );
    deliver({ duration: 0.25, detail: { kind: 1, flags: 0 } });
    expect(counter.chosen).toBe('observer');
    expect(totals(counter)).toEqual({
      minor: pauses([0, 3, 0, 0], 1),
      major: pauses([0, 0, 1, 0], 10),
      incremental: pauses([0, 1, 0, 0], 0.125),
      weakcb: pauses([1, 0, 0, 0], 0.0625),
    });
    // The profiler is read no more, and its record is not counted twice.
    counter.read();
    expect(totals(counter).minor).toEqual(pauses([0, 3, 0, 0], 1));
    counter.stop();
    expect(events).toEqual(['observe', 'profiler start', 'profiler stop', 'disconnect']);
  });

  test('where no entry comes a read after the profiler recorded, counts its records, in its unit, and stops observing (Deno)', () => {
    const { sources, events, record } = fakeSources({ microsecondsPerCost: 1 / 1000 });
    const counter = new GcCounter(sources, BOUNDS);
    counter.start();
    counter.read();
    record({ gcType: 'Scavenge', cost: 2_000_000 }, { gcType: 'MinorMarkSweep', cost: 500_000 });
    counter.read();
    // Held, not yet counted: an entry for them may still come.
    expect(counter.chosen).toBeUndefined();
    expect(totals(counter).minor).toEqual(pauses([0, 0, 0, 0], 0));
    record({ gcType: 'MarkSweepCompact', cost: 10_794_840 }, { gcType: 'IncrementalMarking', cost: 50_000 });
    counter.read();
    expect(counter.chosen).toBe('profiler');
    record({ gcType: 'ProcessWeakCallbacks', cost: 5000 }, { gcType: 'SomethingNew', cost: 1 }, { gcType: 'Scavenge', cost: 500_000 });
    counter.read();
    expect(totals(counter)).toEqual({
      minor: pauses([0, 2, 1, 0], 3),
      major: pauses([0, 0, 0, 1], 10.79484),
      incremental: pauses([1, 0, 0, 0], 0.05),
      weakcb: pauses([1, 0, 0, 0], 0.005),
    });
    counter.stop();
    expect(events).toEqual([
      'observe',
      'profiler start',
      ...['profiler stop', 'profiler start'],
      ...['profiler stop', 'profiler start'],
      ...['profiler stop', 'profiler start', 'disconnect', 'unit asked'],
      ...['profiler stop', 'profiler start'],
      'profiler stop',
    ]);
  });

  test('where the profiler is chosen and its unit cannot be told, counts nothing and stops both sources', () => {
    const { sources, events, record } = fakeSources({ unitKnown: false });
    const counter = new GcCounter(sources, BOUNDS);
    counter.start();
    record({ gcType: 'Scavenge', cost: 400 });
    counter.read();
    record({ gcType: 'Scavenge', cost: 400 });
    counter.read();
    expect(counter.chosen).toBe('unmeasured');
    expect(counter.byKind).toBeUndefined();
    counter.read();
    counter.stop();
    expect(events).toEqual([
      'observe',
      'profiler start',
      'profiler stop',
      'profiler start',
      'profiler stop',
      'profiler start',
      'disconnect',
      'unit asked',
      'profiler stop',
    ]);
  });

  test('an entry that comes before the second read wins over the held records', () => {
    const { sources, deliver, record } = fakeSources();
    const counter = new GcCounter(sources, BOUNDS);
    counter.start();
    record({ gcType: 'Scavenge', cost: 300 });
    counter.read();
    deliver({ duration: 0.3, detail: { kind: 1 } });
    counter.read();
    expect(counter.chosen).toBe('observer');
    expect(totals(counter).minor).toEqual(pauses([0, 1, 0, 0], 0.3));
  });

  test('without the gc entry type, the profiler counts', () => {
    const { sources, events, record } = fakeSources({ observes: false });
    const counter = new GcCounter(sources, BOUNDS);
    counter.start();
    record({ gcType: 'Scavenge', cost: 400 });
    counter.read();
    counter.read();
    expect(counter.chosen).toBe('profiler');
    expect(totals(counter).minor).toEqual(pauses([0, 1, 0, 0], 0.4));
    counter.stop();
    expect(events).toEqual([
      'profiler start',
      'profiler stop',
      'profiler start',
      'profiler stop',
      'profiler start',
      'unit asked',
      'profiler stop',
    ]);
  });

  test('on Node, the observer delivers every collection the profiler records, and is chosen', async () => {
    const counter = new GcCounter(
      {
        observe: observeGcEntries,
        profiler: new GCProfiler(),
        microsecondsPerCost: () => 1,
      },
      GC_DURATION_BUCKETS,
    );
    // A second profiler, the reference: it records what happens while the counter runs.
    const reference = new GCProfiler();
    reference.start();
    counter.start();
    let garbage: object[] = [];
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50_000; i++) garbage.push({ i });
      garbage = [];
    }
    const recorded = reference.stop()?.statistics ?? [];
    // Node enqueues the entries on the next turn of the loop, and delivers them in one batch on the turn after.
    for (let turn = 0; turn < 10 && counter.chosen === undefined; turn++) await new Promise((resolve) => setImmediate(resolve));
    counter.stop();
    expect(recorded.length).toBeGreaterThan(0);
    expect(counter.chosen).toBe('observer');
    const counted = [...counter.byKind!.values()].reduce((sum, { counts }) => sum + Array.from(counts).reduce((a, b) => a + b, 0), 0);
    expect(counted).toBe(recorded.length);
  });
});
