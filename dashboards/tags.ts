// The tags (Prometheus labels) that tell instances apart, as the dashboards filter and group by them.

/**
 * The filter variables of the fleet overview, in the order Grafana shows them. `worker` is the tag
 * of a cluster worker or thread: cluster mode is not built yet, so no line carries it today, and
 * its "All" matches lines without it.
 */
export const FLEET_TAGS = {
  app: 'The app tag (meter.addTag("app", …)).',
  host: "The host tag: Telegraf's agent adds its hostname; a meter may add its own.",
  runtime: 'The runtime the meter runs on: node, bun or deno.',
  worker: 'The cluster worker or thread (cluster mode is not built yet: no line carries this tag today).',
} as const;

/** The tag naming an instance in InfluxDB: Telegraf's inputs.http adds the scraped `url`. */
export const INFLUX_INSTANCE_TAG = 'url';

/** The labels naming an instance in a Prometheus-compatible store, one per path into it. */
export const PROMETHEUS_INSTANCE_LABELS = {
  instance: 'Prometheus or vmagent scraped the endpoint',
  url: 'Telegraf pushed line protocol (to VictoriaMetrics)',
} as const;

/** Every tag a fleet query keeps apart, so that each instance is its own series or table row. */
export const INFLUX_GROUP_TAGS = ['app', 'host', 'runtime', INFLUX_INSTANCE_TAG, 'worker'] as const;
export const PROMETHEUS_GROUP_LABELS = ['app', 'host', 'runtime', ...Object.keys(PROMETHEUS_INSTANCE_LABELS), 'worker'] as const;
