/**
 * The instrument a field becomes: a gauge, an up-down counter (a non-monotonic cumulative sum,
 * where the semantic conventions ask for one), a counter (a monotonic cumulative sum) or an
 * explicit-bucket histogram.
 */
export type OtelInstrument = 'gauge' | 'updowncounter' | 'counter' | 'histogram';

/** A field whose quantity OpenTelemetry's semantic conventions define, under their name and unit. */
export interface SemanticName {
  readonly name: string;
  readonly instrument: OtelInstrument;
  /** UCUM, as the conventions write it: `By`, `s`, `1`, `{resource}`. */
  readonly unit: string;
  /** Attributes that tell this field's points from those of the other fields of the same name: `{ 'cpu.mode': 'user' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** The conventions' attribute for a tag of the field's series: `{ space: 'v8js.heap.space.name' }`. */
  readonly tags?: Readonly<Record<string, string>>;
}

const HEAP_SPACE = { space: 'v8js.heap.space.name' };

/**
 * The one mapping from the presets' field keys to the semantic conventions (semconv 1.45,
 * `@opentelemetry/semantic-conventions`): only where they define the same quantity. A field of
 * another key keeps the meter's own name (`<measurement>.<key>`). `semantic-names.test.ts` checks
 * every entry against the field catalog (the key exists, its kind fits the instrument, its unit
 * the unit) and every name against the conventions' package; the README's table is generated from it.
 */
export const SEMANTIC_NAMES: Readonly<Record<string, SemanticName>> = {
  // memory
  rss_bytes: { name: 'process.memory.usage', instrument: 'updowncounter', unit: 'By' },
  virtual_memory_bytes: { name: 'process.memory.virtual', instrument: 'updowncounter', unit: 'By' },
  space_size_bytes: { name: 'v8js.memory.heap.space.size', instrument: 'updowncounter', unit: 'By', tags: HEAP_SPACE },
  space_used_bytes: { name: 'v8js.memory.heap.used', instrument: 'updowncounter', unit: 'By', tags: HEAP_SPACE },
  space_available_bytes: { name: 'v8js.memory.heap.space.available_size', instrument: 'updowncounter', unit: 'By', tags: HEAP_SPACE },
  space_physical_bytes: { name: 'v8js.memory.heap.space.physical_size', instrument: 'updowncounter', unit: 'By', tags: HEAP_SPACE },
  // threads
  eventloop_delay_min_seconds: { name: 'nodejs.eventloop.delay.min', instrument: 'gauge', unit: 's' },
  eventloop_delay_max_seconds: { name: 'nodejs.eventloop.delay.max', instrument: 'gauge', unit: 's' },
  eventloop_delay_mean_seconds: { name: 'nodejs.eventloop.delay.mean', instrument: 'gauge', unit: 's' },
  eventloop_delay_p50_seconds: { name: 'nodejs.eventloop.delay.p50', instrument: 'gauge', unit: 's' },
  eventloop_delay_p90_seconds: { name: 'nodejs.eventloop.delay.p90', instrument: 'gauge', unit: 's' },
  eventloop_delay_p99_seconds: { name: 'nodejs.eventloop.delay.p99', instrument: 'gauge', unit: 's' },
  eventloop_utilization: { name: 'nodejs.eventloop.utilization', instrument: 'gauge', unit: '1' },
  eventloop_active_seconds_total: {
    name: 'nodejs.eventloop.time',
    instrument: 'counter',
    unit: 's',
    attributes: { 'nodejs.eventloop.state': 'active' },
  },
  eventloop_idle_seconds_total: {
    name: 'nodejs.eventloop.time',
    instrument: 'counter',
    unit: 's',
    attributes: { 'nodejs.eventloop.state': 'idle' },
  },
  resources: { name: 'v8js.resource.active', instrument: 'gauge', unit: '{resource}', tags: { resource_type: 'v8js.resource.type' } },
  // other
  uptime_seconds: { name: 'process.uptime', instrument: 'gauge', unit: 's' },
  cpu_user_seconds_total: { name: 'process.cpu.time', instrument: 'counter', unit: 's', attributes: { 'cpu.mode': 'user' } },
  cpu_system_seconds_total: { name: 'process.cpu.time', instrument: 'counter', unit: 's', attributes: { 'cpu.mode': 'system' } },
  voluntary_context_switches_total: {
    name: 'process.context_switches',
    instrument: 'counter',
    unit: '{context_switch}',
    attributes: { 'process.context_switch.type': 'voluntary' },
  },
  involuntary_context_switches_total: {
    name: 'process.context_switches',
    instrument: 'counter',
    unit: '{context_switch}',
    attributes: { 'process.context_switch.type': 'involuntary' },
  },
  open_fds: { name: 'process.unix.file_descriptor.count', instrument: 'updowncounter', unit: '{file_descriptor}' },
  gc_duration_seconds: { name: 'v8js.gc.duration', instrument: 'histogram', unit: 's', tags: { gc_kind: 'v8js.gc.type' } },
  // http
  http_requests_in_flight: { name: 'http.server.active_requests', instrument: 'updowncounter', unit: '{request}' },
  http_request_duration_seconds: {
    name: 'http.server.request.duration',
    instrument: 'histogram',
    unit: 's',
    tags: { route: 'http.route', method: 'http.request.method' },
  },
};
