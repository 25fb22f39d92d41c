// What Grafana does to a panel's query before its data source runs it: the interval and range
// variables, `$timeFilter`, template variables in their three syntaxes with the escaping of each
// data source, and variables' options (`label_values`, a variable's regex). Also which fields a
// query reads. Used by the dashboards' end-to-end test, which runs every panel against real stores.

/** @typedef {'influxdb' | 'prometheus'} DataSourceKind */

/**
 * A template variable as a dashboard's `templating.list[]` holds it.
 * @typedef {object} GrafanaVariable
 * @property {string} name
 * @property {string} type query, custom, constant, interval, textbox, datasource
 * @property {boolean} [multi]
 * @property {boolean} [includeAll]
 * @property {string | null} [allValue]
 * @property {unknown} [query] a string, or `{ query }` in newer dashboards
 * @property {string} [regex]
 * @property {{ value?: string | string[] }} [current]
 * @property {{ value: string }[]} [options]
 */

/**
 * What a variable is set to: the values chosen, or every option ("All").
 * @typedef {object} Selection
 * @property {GrafanaVariable} variable
 * @property {readonly string[]} values the chosen values; every option when `all`
 * @property {boolean} all
 */

/**
 * The time range of the query and what Grafana derives from it.
 * @typedef {object} QueryTime
 * @property {number} fromMs
 * @property {number} toMs
 * @property {number} intervalMs `$__interval`
 * @property {number} scrapeIntervalMs the data source's scrape interval, which `$__rate_interval` is built on
 */

const NICE_INTERVALS_MS = [
  1, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000,
  1_800_000, 3_600_000,
];

/**
 * `$__interval` as Grafana computes it: the range over the panel's data points, rounded to the
 * nearest of its round intervals (halfway between two rounds up), never below the minimum (the
 * panel's or the data source's min interval).
 * @param {number} rangeMs
 * @param {number} maxDataPoints
 * @param {number} minIntervalMs
 */
export function grafanaInterval(rangeMs, maxDataPoints, minIntervalMs) {
  const raw = rangeMs / maxDataPoints;
  let rounded = NICE_INTERVALS_MS[0] ?? 1;
  for (let i = 1; i < NICE_INTERVALS_MS.length; i++) {
    const below = NICE_INTERVALS_MS[i - 1] ?? 0;
    const above = NICE_INTERVALS_MS[i] ?? 0;
    if (raw >= (below + above) / 2) rounded = above;
  }
  return Math.max(rounded, minIntervalMs);
}

/**
 * A duration as Grafana writes it into a query: `500ms`, `2s`, `1m`, `1h`.
 * @param {number} ms
 */
export function formatDuration(ms) {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The built-in variables and their values.
 * @param {QueryTime} time
 * @returns {Record<string, string>}
 */
export function builtInVariables({ fromMs, toMs, intervalMs, scrapeIntervalMs }) {
  const rangeMs = toMs - fromMs;
  return {
    __interval: formatDuration(intervalMs),
    __interval_ms: String(intervalMs),
    // Grafana: max($__interval + scrape interval, 4 × scrape interval).
    __rate_interval: formatDuration(Math.max(intervalMs + scrapeIntervalMs, 4 * scrapeIntervalMs)),
    __range: `${Math.round(rangeMs / 1000)}s`,
    __range_s: String(Math.round(rangeMs / 1000)),
    __range_ms: String(rangeMs),
    timeFilter: `time >= ${fromMs}ms and time <= ${toMs}ms`,
  };
}

/** @param {string} value */
const influxRegexEscape = (value) => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
// Inside a PromQL string literal: the regex's backslash is itself escaped.
/** @param {string} value */
const promRegexEscape = (value) => value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');

/**
 * A variable's value as Grafana writes it into a query of `kind` (its data sources'
 * `interpolateQueryExpr`, as in Grafana 7 to 9; Grafana 10's InfluxDB data source also
 * regex-escapes a single value): a single-valued variable as it is (for PromQL, with `\` and `'`
 * escaped); one with "multi" or "All", each value regex-escaped and several joined `(a|b)`, or the
 * variable's allValue as it is when "All" is chosen and it has one.
 * @param {Selection} selection
 * @param {DataSourceKind} kind
 * @param {string} [format] `${var:format}`: regex, pipe, csv, raw
 */
export function formatSelection({ variable, values, all }, kind, format) {
  if (all && variable.allValue) return variable.allValue;
  switch (format) {
    case undefined:
      break;
    case 'raw':
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'regex': {
      const escaped = values.map(influxRegexEscape);
      return escaped.length === 1 ? String(escaped[0]) : `(${escaped.join('|')})`;
    }
    default:
      throw new Error(`variable "${variable.name}": format "${format}" is not one this runner knows (regex, pipe, csv, raw)`);
  }
  if (!variable.multi && !variable.includeAll) {
    if (values.length > 1) throw new Error(`variable "${variable.name}" is single-valued but was given ${values.length} values`);
    const value = values[0] ?? '';
    return kind === 'prometheus' ? value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'") : value;
  }
  const escaped = values.map(kind === 'influxdb' ? influxRegexEscape : promRegexEscape);
  return escaped.length === 1 ? String(escaped[0]) : `(${escaped.join('|')})`;
}

// Grafana's own pattern: $var, [[var]] or [[var:format]], ${var} or ${var:format}.
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/**
 * The names of the variables a query refers to.
 * @param {string} text
 */
export function variablesIn(text) {
  return [...new Set([...text.matchAll(VARIABLE)].map((match) => String(match[1] ?? match[2] ?? match[4])))];
}

/**
 * `text` with every variable replaced as Grafana would for a data source of `kind`. A variable
 * that is neither built in nor among `selections` is an error naming it (Grafana would leave it
 * in the query, which then fails or matches nothing).
 * @param {string} text
 * @param {DataSourceKind} kind
 * @param {Readonly<Record<string, string>>} builtIns
 * @param {ReadonlyMap<string, Selection>} selections
 */
export function interpolate(text, kind, builtIns, selections) {
  return text.replace(VARIABLE, (whole, plain, bracketed, bracketFormat, braced, bracedFormat) => {
    const name = String(plain ?? bracketed ?? braced);
    const format = bracketFormat ?? bracedFormat;
    if (Object.hasOwn(builtIns, name)) return String(builtIns[name]);
    const selection = selections.get(name);
    if (selection === undefined)
      throw new Error(`${whole} is no variable of the dashboard (it has ${[...selections.keys()].join(', ') || 'none'})`);
    return formatSelection(selection, kind, format);
  });
}

/**
 * A variable's query as a string (`query` is `{ query }` in newer dashboards).
 * @param {GrafanaVariable} variable
 */
export function variableQuery(variable) {
  const { query } = variable;
  if (typeof query === 'string') return query;
  if (typeof query === 'object' && query !== null && typeof (/** @type {{ query?: unknown }} */ (query).query) === 'string') {
    return String(/** @type {{ query: string }} */ (query).query);
  }
  return '';
}

/**
 * Grafana's Prometheus `label_values(label)` and `label_values(selector, label)`.
 * @param {string} query
 * @returns {{ label: string, match?: string }}
 */
export function parseLabelValues(query) {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_]\w*)\s*\)\s*$/.exec(query);
  if (match === null)
    throw new Error(`variable query "${query}" is not label_values(label) or label_values(selector, label), the forms this runner knows`);
  return match[1] === undefined ? { label: String(match[2]) } : { label: String(match[2]), match: match[1] };
}

/**
 * A variable's options filtered by its regex, as Grafana does: values the regex does not match
 * are dropped; with a capture group, its first group (or the group named `value`) is the option.
 * @param {readonly string[]} values
 * @param {string | undefined} regex `/pattern/flags`
 */
export function applyVariableRegex(values, regex) {
  if (!regex) return [...values];
  const parts = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const pattern = parts === null ? new RegExp(regex) : new RegExp(String(parts[1]), parts[2]);
  const kept = values.flatMap((value) => {
    const match = pattern.exec(value);
    if (match === null) return [];
    return [match.groups?.['value'] ?? match[1] ?? value];
  });
  return [...new Set(kept)];
}

/** @param {string} text */
const withoutStrings = (text) => text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ');

const INFLUXQL_WORDS = new Set(['as', 'distinct', 'time', 'now', 'fill', 'null', 'none', 'previous', 'linear', 'true', 'false']);

/**
 * The fields the SELECT clauses of an InfluxQL query read from a measurement: identifiers (quoted
 * or bare) that are neither function names, aliases (`AS x`) nor keywords. A SELECT whose FROM is
 * a subquery reads the subquery's columns, not fields, and is passed over.
 * @param {string} query
 */
export function influxqlFields(query) {
  const fields = [];
  for (const match of query.matchAll(/\bselect\b([\s\S]*?)\bfrom\b/gi)) {
    const readsSubquery = /^\s*\(/.test(query.slice((match.index ?? 0) + match[0].length));
    if (readsSubquery) continue;
    const select = String(match[1])
      .replace(/\bas\s+("(?:[^"\\]|\\.)*"|\w+)/gi, ' ')
      .replace(/'(?:[^'\\]|\\.)*'/g, ' ');
    for (const [, quoted, bare] of select.matchAll(/"((?:[^"\\]|\\.)*)"|(?<![\w.])([A-Za-z_]\w*)(?!\w|\s*\()/g)) {
      const name = quoted ?? String(bare);
      if (quoted !== undefined || !INFLUXQL_WORDS.has(name.toLowerCase())) fields.push(name);
    }
  }
  return [...new Set(fields)];
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: names outside label matchers, ranges, strings
 * and grouping clauses that are neither function names nor keywords. A selector by `__name__`
 * gives no name (declare the fields on the target then).
 * @param {string} expr
 */
export function promqlMetricNames(expr) {
  const bare = withoutStrings(expr)
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\boffset\s+\w+/gi, ' ');
  const names = [];
  for (const [name] of bare.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)) {
    if (!PROMQL_WORDS.has(name.toLowerCase())) names.push(name);
  }
  return [...new Set(names)];
}
