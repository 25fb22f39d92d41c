// Prometheus alerting rules for the SLOs of slo.ts: multiwindow, multi-burn-rate alerts as the Google
// SRE workbook ("Alerting on SLOs") sets them. Each burn rate is how many times faster than the
// objective allows the error budget goes; a long window says it is burning, a short one that it
// still is, so that the alert ends soon after the burn does. Per app, from the buckets and counts
// summed over its instances.
import { stringify } from 'yaml';
import { countAtMost, countRate, sumBy } from './promql-histogram.js';
import { AVAILABILITY_OBJECTIVE, LATENCY_OBJECTIVE, LATENCY_THRESHOLD_LE, REQUEST_DURATION, SERVER_ERRORS } from './slo.js';

/** Critical (a page) when 2% of a 30-day budget burns in an hour; a warning (a ticket) when 5% burns in six hours. */
export const BURN_RATES = [
  { severity: 'critical', factor: 14.4, long: '1h', short: '5m', for: '2m' },
  { severity: 'warning', factor: 6, long: '6h', short: '30m', for: '15m' },
] as const;

const HEADER = `# Prometheus recording and alerting rules for the SLOs of a fleet's requests, as preset-http
# counts them (docs/monitor-a-fleet.md, "Service-level objectives"). Written by \`npm run dashboards\`
# from dashboards/slo.ts, which the fleet overview's SLO panel reads too: change the objectives there.
#
# Metric names are \`<measurement>_<field>\`, here the demo's measurement, \`runometer_demo\`:
#   sed 's/runometer_demo_/checkout_/g' runometer-slo.rules.yml > checkout-slo.rules.yml
# Checked by \`promtool check rules\` and \`promtool test rules runometer-slo.rules.test.yml\` (npm run test:e2e).
#
# Each ratio reads the classic series (\`_bucket\`, \`_count\`) or the native histogram, whichever
# Prometheus stored: with --enable-feature=native-histograms, Prometheus 2.42 keeps the native one
# alone. The share within the threshold is counted from the classic buckets, and interpolated inside
# a native bucket (histogram_fraction) from the native one.
`;

const WINDOWS = [...new Set(BURN_RATES.flatMap(({ long, short }) => [short, long]))];

/** The rules for a meter named `measurement` (every name is `<measurement>_<field>`), as a Prometheus rule file. */
export function alertRules(measurement: string): string {
  // Each ratio reads the classic histogram or the native one, whichever Prometheus stored (promql-histogram.ts).
  const histogram = (window: string, where: Readonly<Record<string, string>> = {}) => ({
    name: `${measurement}_${REQUEST_DURATION.key}`,
    matchers: Object.entries(where).map(([tag, value]) => `${tag}="${value}"`),
    window,
  });
  const requests = (window: string) => sumBy(['app'], countRate(histogram(window)));
  const errors = (window: string) => sumBy(['app'], countRate(histogram(window, SERVER_ERRORS)));
  const within = (window: string) => sumBy(['app'], countAtMost(histogram(window), LATENCY_THRESHOLD_LE));
  const objectives = [
    {
      name: 'Errors',
      what: 'requests answered 5xx',
      ratio: `app:${measurement}_http_request_errors:ratio_rate`,
      // An app without a 5xx line has had none: 0, where it has requests.
      expr: (window: string) => `(${errors(window)} or ${requests(window)} * 0) / ${requests(window)}`,
      target: AVAILABILITY_OBJECTIVE.target,
    },
    {
      name: 'Latency',
      what: `requests slower than ${LATENCY_OBJECTIVE.threshold} s`,
      ratio: `app:${measurement}_http_request_slow:ratio_rate`,
      expr: (window: string) => `1 - ${within(window)} / ${requests(window)}`,
      target: LATENCY_OBJECTIVE.target,
    },
  ];
  const rules = objectives.flatMap(({ ratio, expr }) => WINDOWS.map((window) => ({ record: `${ratio}${window}`, expr: expr(window) })));
  const alerts = objectives.flatMap(({ name, what, ratio, target }) =>
    BURN_RATES.map(({ severity, factor, long, short, for: pending }) => {
      const budget = `(${factor} * (1 - ${target}))`;
      return {
        alert: `RunometerHttp${name}BudgetBurn`,
        expr: `${ratio}${long} > ${budget} and ${ratio}${short} > ${budget}`,
        for: pending,
        labels: { severity },
        annotations: {
          summary: `{{ $labels.app }} burns its ${name.toLowerCase()} budget ${factor} times too fast`,
          description:
            `{{ $value | humanizePercentage }} of {{ $labels.app }}'s requests over the last ${long} were ${what}, ` +
            `and still are over the last ${short}; the objective allows ${Number(((1 - target) * 100).toPrecision(6))}% over 30 days.`,
        },
      };
    }),
  );
  return `${HEADER}${stringify({ groups: [{ name: 'runometer-slo', rules: [...rules, ...alerts] }] }, { lineWidth: 0 })}`;
}
