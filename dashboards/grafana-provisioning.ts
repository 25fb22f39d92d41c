// The names Grafana's provisioning files may use (apiVersion 1), in one place, checked by
// provisioning.test.ts against the files in provisioning/. Top-level names from Grafana's source,
// pkg/services/provisioning/{datasources,dashboards}/types.go (the yaml tags); the file provider's
// options and each data source's jsonData from Grafana's provisioning and data source
// documentation. No Grafana runs here: none of this was loaded by a real one.

export const API_VERSION = 1;

export const DATASOURCES_FILE = ['apiVersion', 'datasources', 'deleteDatasources'];

export const DATASOURCE = [
  'orgId',
  'orgName',
  'version',
  'name',
  'type',
  'access',
  'url',
  'user',
  'database',
  'basicAuth',
  'basicAuthUser',
  'withCredentials',
  'isDefault',
  'correlations',
  'jsonData',
  'secureJsonData',
  'editable',
  'uid',
];

/** jsonData of the data source types the dashboards query, by plugin id. */
export const JSON_DATA: Record<string, readonly string[]> = {
  influxdb: ['version', 'httpMode', 'timeInterval', 'dbName', 'organization', 'defaultBucket', 'tlsSkipVerify'],
  prometheus: ['httpMethod', 'timeInterval', 'prometheusType', 'prometheusVersion', 'queryTimeout', 'manageAlerts'],
};

export const PROVIDERS_FILE = ['apiVersion', 'providers'];

export const PROVIDER = [
  'name',
  'type',
  'orgId',
  'folder',
  'folderUid',
  'editable',
  'options',
  'disableDeletion',
  'updateIntervalSeconds',
  'allowUiUpdates',
];

/** Options of a provider of `type: file`; with foldersFromFilesStructure, `folder` and `folderUid` must be left out. */
export const FILE_PROVIDER_OPTIONS = ['path', 'foldersFromFilesStructure'];
