// The tags (Prometheus labels) that tell instances apart, as the dashboards filter and group by them.

/**
 * The filter variables of the fleet overview, in the order Grafana shows them. `worker` and
 * `thread` are the tags @runometer/cluster adds to every line it gathers: a line of a process
 * that is neither clustered nor has reporting threads carries neither, and their "All" matches it.
 */
export const FLEET_TAGS = {
  app: 'The app tag (meter.addTag("app", …)).',
  host: "The host tag: Telegraf's agent adds its hostname; a meter may add its own.",
  runtime: 'The runtime the meter runs on: node, bun or deno.',
  worker: "The cluster worker (cluster.worker.id; the primary's own lines are worker=primary), from @runometer/cluster's clusterSource.",
  thread: "The worker thread (its threadId; the parent's own lines are thread=main), from @runometer/cluster's threadsSource.",
} as const;

/** The tags of the lines of one process of a cluster, or one thread of a process: kept apart within an instance. */
export const PROCESS_TAGS = ['worker', 'thread'] as const;

/**
 * The tags naming an instance in InfluxDB, one per path into it: Telegraf's inputs.http adds the
 * scraped `url`; a process that pushes (@runometer/push) names itself with its meter's `instance` tag.
 */
export const INFLUX_INSTANCE_TAGS = {
  url: 'Telegraf scraped the endpoint',
  instance: 'the process pushed its lines, tagged instance by its meter',
} as const;

/** The labels naming an instance in a Prometheus-compatible store, one per path into it. */
export const PROMETHEUS_INSTANCE_LABELS = {
  instance: 'Prometheus or vmagent scraped the endpoint, or the process pushed its lines tagged instance',
  url: 'Telegraf pushed line protocol (to VictoriaMetrics)',
} as const;

/** Every tag a fleet query keeps apart, so that each instance (each of its workers and threads) is its own series or table row. */
export const INFLUX_GROUP_TAGS = ['app', 'host', 'runtime', ...Object.keys(INFLUX_INSTANCE_TAGS), ...PROCESS_TAGS] as const;
export const PROMETHEUS_GROUP_LABELS = ['app', 'host', 'runtime', ...Object.keys(PROMETHEUS_INSTANCE_LABELS), ...PROCESS_TAGS] as const;
