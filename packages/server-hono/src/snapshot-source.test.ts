import { Runometer, type SnapshotSource } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { parseLines } from '@runometer/core/format';
import { createApp } from './app.js';

// The server asks a source for snapshots and nothing else: a source of several meters is served
// like one meter, in every format.

/** Two meters of their own behind one endpoint: what an app with a meter per subsystem would write. */
function twoMeters() {
  const app = new Runometer('app')
    .addTag('host', 'h1')
    .addField('connections', () => 4, { type: 'integer', help: 'Open client connections.' })
    .addField('requests', () => 12, { type: 'integer', kind: 'counter' });
  const db = new Runometer('db')
    .addTag('host', 'h1')
    .addField('connections', () => 9, { type: 'integer', help: 'Open pool connections.' })
    .addSeries(
      'tables',
      () => [
        { tags: { table: 'orders' }, fields: { rows: 120 } },
        { tags: { table: 'users' }, fields: { rows: 7 } },
      ],
      {
        tags: ['table'],
        fields: { rows: { type: 'integer' } },
      },
    );
  const meters = [app, db];
  const source: SnapshotSource = {
    name: 'app and db',
    get closed() {
      return meters.some((meter) => meter.closed);
    },
    collect: () => Promise.all(meters.map((meter) => meter.collect())),
  };
  return { source, db };
}

/** A cluster's workers: one meter each, one measurement, told apart by a tag. */
function workers(): SnapshotSource {
  const worker = (id: string, requests: number) =>
    new Runometer('web')
      .addTag('worker', id)
      .addField('requests', () => requests, { type: 'integer', kind: 'counter', help: 'Requests served.' });
  const meters = [worker('1', 5), worker('2', 7)];
  return { name: 'web workers', collect: () => Promise.all(meters.map((meter) => meter.collect())) };
}

const body = async (source: SnapshotSource, format: string) => {
  const response = await createApp(source).request(`/?format=${format}`);
  expect(response.status).toBe(200);
  return response.text();
};

describe('several meters behind one endpoint', () => {
  test('line protocol: the lines of each meter, under its own measurement', async () => {
    expect(parseLines(await body(twoMeters().source, 'influx'))).toEqual([
      {
        measurement: 'app',
        tags: { host: 'h1' },
        fields: { connections: { type: 'integer', value: 4n }, requests: { type: 'integer', value: 12n } },
      },
      { measurement: 'db', tags: { host: 'h1' }, fields: { connections: { type: 'integer', value: 9n } } },
      { measurement: 'db', tags: { host: 'h1', table: 'orders' }, fields: { rows: { type: 'integer', value: 120n } } },
      { measurement: 'db', tags: { host: 'h1', table: 'users' }, fields: { rows: { type: 'integer', value: 7n } } },
    ]);
    expect(parseLines(await body(workers(), 'influx'))).toEqual([
      { measurement: 'web', tags: { worker: '1' }, fields: { requests: { type: 'integer', value: 5n } } },
      { measurement: 'web', tags: { worker: '2' }, fields: { requests: { type: 'integer', value: 7n } } },
    ]);
  });

  test('Prometheus 0.0.4: a field key both meters use is two families; the samples of one family stay together', async () => {
    expect(await body(twoMeters().source, 'prometheus')).toBe(
      [
        '# HELP app_connections Open client connections.',
        '# TYPE app_connections gauge',
        'app_connections{host="h1"} 4',
        '# HELP app_requests_total requests of app',
        '# TYPE app_requests_total counter',
        'app_requests_total{host="h1"} 12',
        '# HELP db_connections Open pool connections.',
        '# TYPE db_connections gauge',
        'db_connections{host="h1"} 9',
        '# HELP db_rows rows of db',
        '# TYPE db_rows gauge',
        'db_rows{host="h1",table="orders"} 120',
        'db_rows{host="h1",table="users"} 7',
        '',
      ].join('\n'),
    );
    expect(await body(workers(), 'prometheus')).toBe(
      [
        '# HELP web_requests_total Requests served.',
        '# TYPE web_requests_total counter',
        'web_requests_total{worker="1"} 5',
        'web_requests_total{worker="2"} 7',
        '',
      ].join('\n'),
    );
  });

  test('OpenMetrics 1.0: the same families, ended once by # EOF', async () => {
    expect(await body(twoMeters().source, 'openmetrics')).toBe(
      [
        '# HELP app_connections Open client connections.',
        '# TYPE app_connections gauge',
        'app_connections{host="h1"} 4',
        '# HELP app_requests requests of app',
        '# TYPE app_requests counter',
        'app_requests_total{host="h1"} 12',
        '# HELP db_connections Open pool connections.',
        '# TYPE db_connections gauge',
        'db_connections{host="h1"} 9',
        '# HELP db_rows rows of db',
        '# TYPE db_rows gauge',
        'db_rows{host="h1",table="orders"} 120',
        'db_rows{host="h1",table="users"} 7',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(await body(workers(), 'openmetrics')).toBe(
      [
        '# HELP web_requests Requests served.',
        '# TYPE web_requests counter',
        'web_requests_total{worker="1"} 5',
        'web_requests_total{worker="2"} 7',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  test('JSON: an array with the object of each meter', async () => {
    expect(JSON.parse(await body(twoMeters().source, 'json'))).toEqual([
      { measurement: 'app', points: [{ tags: { host: 'h1' }, fields: { connections: 4, requests: 12 } }] },
      {
        measurement: 'db',
        points: [
          { tags: { host: 'h1' }, fields: { connections: 9 } },
          { series: 'tables', tags: { host: 'h1', table: 'orders' }, fields: { rows: 120 } },
          { series: 'tables', tags: { host: 'h1', table: 'users' }, fields: { rows: 7 } },
        ],
      },
    ]);
  });

  test('the source says when it is closed, by its name', async () => {
    const { source, db } = twoMeters();
    const app = createApp(source);
    await db.close();
    const response = await app.request('/');
    expect([response.status, await response.text()]).toEqual([503, 'Service Unavailable: source "app and db" is closed\n']);
  });
});
