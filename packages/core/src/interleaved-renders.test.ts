import { describe, expect, test } from 'vitest';
import { toJson } from './format/json.js';
import { toLineProtocol } from './format/line-protocol.js';
import { toOpenMetrics, toPrometheus } from './format/prometheus.js';
import type { Snapshot } from './model/snapshot.js';
import { Runometer } from './runometer.js';

// What a render keeps from one call to the next (see RenderMemo) is lent to one synchronous render
// at a time: a render started inside another, from a getter or an iterator the first one reads,
// must write what it would alone, and so must the first.

/** A meter whose series gives two points with the same field, so that the formats serve them as one family. */
function meter(host: string, onRow: () => void = () => {}) {
  return new Runometer('app')
    .addTag('host', host)
    .addField('load', () => 1.5)
    .addField('requests', () => 7, { type: 'integer', kind: 'counter' })
    .addSeries(
      'disk',
      function* () {
        for (const device of ['sda', 'sdb']) {
          onRow();
          yield { tags: { device }, fields: { used: device.length, label: `${host} ${device}` } };
        }
      },
      { tags: ['device'], fields: { used: { type: 'integer' }, label: { type: 'string' } } },
    );
}

/** `snapshot`, whose last point calls `during` (once) when a format reads its fields. */
function renderingDuring(snapshot: Snapshot, during: () => void): Snapshot {
  let called = false;
  const last = snapshot.points.length - 1;
  const points = snapshot.points.map((point, i) =>
    i !== last
      ? point
      : {
          ...point,
          get fields() {
            if (!called) {
              called = true;
              during();
            }
            return point.fields;
          },
        },
  );
  return { ...snapshot, points };
}

describe('two interleaved renders cannot corrupt each other', () => {
  test.each([toLineProtocol, toPrometheus, toOpenMetrics, toJson])(
    '%o: a render of another meter inside one of its own writes what each writes alone',
    async (format) => {
      const [a, b] = await Promise.all([meter('a').collect(), meter('b').collect()]);
      const alone = { a: format(a), b: format(b), both: format([a, b]) };
      let inner: string | undefined;
      const outer = format(renderingDuring(a, () => (inner = format([b, a]))));
      expect(outer).toBe(alone.a);
      expect(inner).toBe(format([b, a]));
      // And the kept state is still right for the renders that follow.
      expect(format(a)).toBe(alone.a);
      expect(format(b)).toBe(alone.b);
      expect(format([a, b])).toBe(alone.both);
    },
  );

  test("a meter rendered from inside its own series' rows gives both renders their own rows", async () => {
    let nested: Promise<Snapshot> | undefined;
    let nesting = false;
    const outerMeter: Runometer = meter('a', () => {
      if (nesting) return;
      nesting = true;
      // A synchronous render reads its series within this call, while the outer one is reading the same series.
      nested = outerMeter.collect();
    });
    const outer = await outerMeter.collect();
    const alone = toLineProtocol(await meter('a').collect());
    expect(toLineProtocol(outer)).toBe(alone);
    expect(toLineProtocol(await nested!)).toBe(alone);
    expect(toLineProtocol(await outerMeter.collect())).toBe(alone);
  });

  test('two meters, each rendered from inside the other, give what each gives alone', async () => {
    const alone = { a: await meter('a').render(), b: await meter('b').render() };
    const started: Promise<string>[] = [];
    let nestings = 0;
    const a: Runometer = meter('a', () => {
      if (nestings++ < 2) started.push(b.render());
    });
    const b: Runometer = meter('b', () => {
      if (nestings++ < 2) started.push(a.render());
    });
    const outer = await a.render();
    // b's render starts inside a's, and a's second inside b's: it is pushed first.
    expect([outer, ...(await Promise.all(started))]).toEqual([alone.a, alone.a, alone.b]);
  });
});
