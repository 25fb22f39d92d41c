export { clusterSource } from './cluster-source.js';
export { reportToPrimary } from './report-to-primary.js';
export { DEFAULT_TIMEOUT_MS, type AggregateOptions, type AggregateSource } from './aggregator.js';
export type { ReportHandle } from './reporter.js';
export { ClusterPreset, WorkerThreadsPreset, GATHER_FIELDS, type GatherCounts } from './presets.js';
export { threadsSource, type ThreadsSourceOptions } from './threads-source.js';
export { reportToParent } from './report-to-parent.js';
