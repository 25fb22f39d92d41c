import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/** The modules an entry point loads, followed through the workspace's packages (their sources), core left out. */
async function modulesOf(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    conditions: ['@runometer/source'],
    external: ['@runometer/core', '@runometer/core/*'],
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs);
}

describe('an app that pushes, OTLP included, loads nothing of OpenTelemetry', () => {
  test("@runometer/push's modules, and those of @runometer/otel/data it uses, import no @opentelemetry package", async () => {
    const modules = await modulesOf('./index.ts');
    expect(modules.filter((path) => path.includes('@opentelemetry/'))).toEqual([]);
    expect(modules.some((path) => path.endsWith('packages/otel/src/semantic-names.ts'))).toBe(true);
  });

  test("(the check sees an import of one: @runometer/otel's root entry loads @opentelemetry/api)", async () => {
    expect((await modulesOf('../../otel/src/index.ts')).some((path) => path.includes('node_modules/@opentelemetry/api/'))).toBe(true);
  });
});
