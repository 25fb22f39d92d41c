import { describe, expect, test } from 'vitest';
import { catalogOf } from './catalog.js';
import { decoratorsFor, preset } from './decorators.js';

interface QueueContext {
  depth: number;
}

const { contextBuilder, field, series, tag } = decoratorsFor<QueueContext>();

class BaseQueuePreset {
  @field('uptime_seconds', { unit: 'seconds', help: 'Time since the broker started, in seconds.' })
  uptime() {
    return 1;
  }
}

@preset('catalog-queues')
class QueuePreset extends BaseQueuePreset {
  @contextBuilder()
  read(): QueueContext {
    return { depth: 3 };
  }

  @tag('broker')
  broker() {
    return 'acme';
  }

  @series('queues', { tags: ['queue'], fields: { queue_depth: { type: 'integer', unit: 'count', requires: ['queueStats'] } } })
  queues(ctx: QueueContext) {
    return [{ tags: { queue: 'orders' }, fields: { queue_depth: ctx.depth } }];
  }

  @field('messages_acked', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    requires: ['acks', 'queueStats'],
    when: 'the broker acknowledges',
  })
  acked() {
    return 2;
  }
}

describe('catalogOf', () => {
  test("lists a preset's fields as declared, its own line's first (base class first), then its series'", () => {
    expect(catalogOf(QueuePreset)).toEqual([
      {
        preset: 'catalog-queues',
        key: 'uptime_seconds',
        type: 'float',
        kind: 'gauge',
        unit: 'seconds',
        help: 'Time since the broker started, in seconds.',
        requires: [],
      },
      {
        preset: 'catalog-queues',
        key: 'messages_acked',
        type: 'integer',
        kind: 'counter',
        unit: 'count',
        requires: ['acks', 'queueStats'],
        when: 'the broker acknowledges',
      },
      {
        preset: 'catalog-queues',
        key: 'queue_depth',
        series: 'queues',
        seriesTags: ['queue'],
        type: 'integer',
        kind: 'gauge',
        unit: 'count',
        requires: ['queueStats'],
      },
    ]);
  });

  test("a preset's bad metadata fails when its class is defined, naming the preset and the field", () => {
    expect(() => {
      @preset('catalog-bad-unit')
      class BadUnit {
        @field('depth', { unit: 'items' as never })
        depth() {
          return 1;
        }
      }
      return BadUnit;
    }).toThrow('preset "catalog-bad-unit": field "depth" has unit "items"; expected one of "bytes", "seconds", ');
  });

  test('refuses what is not a preset, naming it', () => {
    expect(() => catalogOf(BaseQueuePreset)).toThrow('class BaseQueuePreset is not a preset: decorate it with @preset(name)');
    expect(() => catalogOf('memory' as never)).toThrow('string "memory" is not a preset: decorate it with @preset(name)');
  });
});
