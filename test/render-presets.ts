// Renders the four presets once, in whatever runtime runs this file, and describes what came out:
// `bun --conditions=@runometer/source test/render-presets.ts`, or `deno run -A --config deno.json …` (tools/runtimes.js).
import { Runometer, type Snapshot } from '@runometer/core';
import { detectRuntime } from '@runometer/runtime';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';

export interface PresetOutput {
  runtime: string;
  /** Field keys of the meter's own line, in order: memory's, sockets', threads', other's. */
  fields: string[];
  /** Series name → field keys of its lines. */
  series: Record<string, string[]>;
  faults: string[];
}

function describeSnapshot(snapshot: Snapshot): { fields: string[]; series: Record<string, string[]> } {
  const fields: string[] = [];
  const series: Record<string, string[]> = {};
  for (const point of snapshot.points) {
    const keys = point.fields.map(({ spec }) => spec.key);
    if (point.series === undefined) fields.push(...keys);
    else series[point.series] = [...new Set([...(series[point.series] ?? []), ...keys])];
  }
  return { fields, series };
}

/** The four presets on one meter, as a user sets them up: their contexts must not collide. */
export async function renderPresets(): Promise<PresetOutput> {
  const faults: string[] = [];
  const meter = new Runometer('runtime', { onError: (error) => faults.push(error.message) }).use(
    MemoryPreset,
    SocketsPreset,
    ThreadsPreset,
    OtherPreset,
  );
  // Give the event-loop sampler time for a few samples.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const { fields, series } = describeSnapshot(await meter.collect());
  // Once more: a fault reported once (a missing permission) must not come again.
  await meter.collect();
  await meter.close();
  return { runtime: detectRuntime().name, fields, series, faults };
}

// Bun and Deno set import.meta.main for the entry file; Node 20 does not, and imports this from the suite.
if ((import.meta as ImportMeta & { main?: boolean }).main) console.log(JSON.stringify(await renderPresets()));
