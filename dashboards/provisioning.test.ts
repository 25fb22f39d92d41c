import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { dashboards } from './generate.js';
import {
  API_VERSION,
  DATASOURCE,
  DATASOURCES_FILE,
  FILE_PROVIDER_OPTIONS,
  JSON_DATA,
  PROVIDER,
  PROVIDERS_FILE,
} from './grafana-provisioning.js';

const folder = (name: string) => fileURLToPath(new URL(`provisioning/${name}/`, import.meta.url));
const filesOf = (name: string) =>
  readdirSync(folder(name))
    .sort()
    .map((file) => ({ file: `${name}/${file}`, config: parse(readFileSync(`${folder(name)}${file}`, 'utf8')) as Record<string, unknown> }));

/** The keys of `object` Grafana does not know. */
const unknownKeys = (object: unknown, known: readonly string[]) => Object.keys(object as object).filter((key) => !known.includes(key));

const datasourceFiles = filesOf('datasources');
const providerFiles = filesOf('dashboards');
const datasources = datasourceFiles.flatMap(({ config }) => config['datasources'] as Record<string, unknown>[]);

describe('Grafana provisioning', () => {
  test.each(datasourceFiles)('$file: apiVersion 1, names Grafana reads, jsonData of its type', ({ config }) => {
    expect(config['apiVersion']).toBe(API_VERSION);
    expect(unknownKeys(config, DATASOURCES_FILE)).toEqual([]);
    for (const datasource of config['datasources'] as Record<string, unknown>[]) {
      expect(unknownKeys(datasource, DATASOURCE)).toEqual([]);
      const known = JSON_DATA[datasource['type'] as string];
      if (known === undefined) expect.fail(`data source type ${String(datasource['type'])} is not one the dashboards query`);
      expect(unknownKeys(datasource['jsonData'] ?? {}, known)).toEqual([]);
      expect(new URL(datasource['url'] as string).hostname).toBe('127.0.0.1');
    }
  });

  test('one data source per store, each its own uid: InfluxDB, Prometheus, and VictoriaMetrics as a Prometheus data source', () => {
    expect(datasources.map(({ uid, type }) => ({ uid, type }))).toEqual([
      { uid: 'runometer-influxdb', type: 'influxdb' },
      { uid: 'runometer-prometheus', type: 'prometheus' },
      { uid: 'runometer-victoriametrics', type: 'prometheus' },
    ]);
  });

  test("every dashboard's data source variable lists a provisioned type", () => {
    const types = new Set(datasources.map(({ type }) => type));
    for (const { dashboard } of dashboards()) {
      const variable = dashboard.templating?.list?.find(({ type }) => type === 'datasource');
      expect(types).toContain(variable?.query);
    }
  });

  test.each(providerFiles)('$file: a file provider of names Grafana reads, folders from the dashboards/ subfolders', ({ config }) => {
    expect(config['apiVersion']).toBe(API_VERSION);
    expect(unknownKeys(config, PROVIDERS_FILE)).toEqual([]);
    for (const provider of config['providers'] as Record<string, unknown>[]) {
      expect(unknownKeys(provider, PROVIDER)).toEqual([]);
      expect(provider).toMatchObject({ type: 'file', options: { foldersFromFilesStructure: true } });
      expect(unknownKeys(provider['options'], FILE_PROVIDER_OPTIONS)).toEqual([]);
      expect(provider['folder'] ?? provider['folderUid']).toBeUndefined();
    }
  });
});
