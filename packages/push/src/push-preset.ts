import { decoratorsFor, preset } from '@runometer/core';
import { PushHealth } from './push-health.js';

const { field } = decoratorsFor();

/**
 * The pushers' own health, on the line of the meter they push: register it there
 * (`meter.use(PushPreset)`), so that a dashboard shows a pusher that fails.
 */
@preset('push', { inject: [PushHealth] })
export class PushPreset {
  constructor(private readonly health: PushHealth) {}

  @field('push_points_sent_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Points the push target accepted.',
    requires: [],
  })
  sent() {
    return this.health.total('sent');
  }

  @field('push_points_dropped_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Points given up on: the oldest when the buffer was full, those answered with a 4xx that will never succeed, those left at close.',
    requires: [],
  })
  dropped() {
    return this.health.total('dropped');
  }

  @field('push_points_refused_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Points the push target refused in a partial write (400), not sent again.',
    requires: [],
  })
  refused() {
    return this.health.total('refused');
  }

  @field('push_retries_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Push requests sent again after a failure.',
    requires: [],
  })
  retries() {
    return this.health.total('retries');
  }

  @field('push_buffered_points', {
    type: 'integer',
    unit: 'count',
    help: 'Points waiting to be pushed, the request in flight included.',
    requires: [],
  })
  buffered() {
    return this.health.total('buffered');
  }

  @field('push_last_error', {
    type: 'string',
    unit: 'none',
    help: 'The error of the last push request.',
    requires: [],
    when: 'the last push request failed',
  })
  lastError() {
    return this.health.lastError;
  }
}
