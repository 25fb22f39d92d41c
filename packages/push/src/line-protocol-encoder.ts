import { toLineProtocol } from '@runometer/core';
import type { PushEncoder } from './encoder.js';
import { readRefusal } from './partial-write.js';

const utf8 = new TextEncoder();

/**
 * The default encoder: InfluxDB line protocol, one point a line, for InfluxDB 1.x, 2.x and 3.x,
 * Telegraf's http_listener_v2 and VictoriaMetrics; a refusal read as InfluxDB words it.
 */
export const lineProtocolEncoder: PushEncoder<string> = {
  contentType: 'text/plain; charset=utf-8',
  points(snapshots) {
    const lines = toLineProtocol(snapshots).split('\n');
    lines.pop(); // the text ends with a line feed
    return lines;
  },
  body: (batch) => utf8.encode(`${batch.join('\n')}\n`),
  refusal: (answer, batch) => readRefusal(answer.text, batch),
};
