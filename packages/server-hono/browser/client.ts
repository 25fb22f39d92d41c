/// <reference lib="dom" />
// The live view's script, bundled with uPlot into the page by scripts/build-view.js. It polls the
// page's own URL for the JSON format and draws a chart per numeric field, grouped by preset.
import uPlot from 'uplot';
import { axisRange, axisTicks, tickLabels } from './axis.js';
import { QUANTILES, increase, isHistogram, quantile, type JsonHistogram } from './quantiles.js';

/** What the server writes into the page (src/view/page.ts): the fields' catalog and how to poll. */
interface ViewConfig {
  readonly fields: readonly ViewField[];
  /** Each unit's description, from core's FIELD_UNITS. */
  readonly units: Readonly<Record<string, string>>;
  /** The runtime the server runs on, e.g. `node 20.20.2`. */
  readonly servedBy: string;
  /** Milliseconds between polls. */
  readonly interval: number;
  /** How many polls a chart keeps. */
  readonly window: number;
}

interface ViewField {
  readonly series?: string;
  readonly key: string;
  readonly preset?: string;
  readonly type: 'float' | 'integer' | 'string' | 'boolean';
  readonly kind: 'gauge' | 'counter' | 'histogram';
  readonly unit?: string;
  readonly help?: string;
}

interface JsonPoint {
  readonly series?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, number | string | boolean | null | JsonHistogram>>;
}

interface JsonSnapshot {
  readonly measurement: string;
  readonly points: readonly JsonPoint[];
}

interface Line {
  readonly label: string;
  readonly ys: (number | null)[];
  /** A counter's last reading, to turn the next into a rate. */
  last?: { readonly t: number; readonly value: number };
}

interface Chart {
  readonly field: ViewField | undefined;
  readonly element: HTMLElement;
  readonly xs: number[];
  readonly lines: Map<string, Line>;
  plot?: uPlot;
}

const config = JSON.parse(document.getElementById('runometer-view')!.textContent!) as ViewConfig;
const OWN_FIELDS = 'own fields';
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const catalog = new Map(config.fields.map((field) => [`${field.series ?? ''}\u0000${field.key}`, field]));
const sections = new Map<string, { readonly values: HTMLElement; readonly charts: HTMLElement }>();
/** Each histogram's last reading, by chart and line, to chart what was observed between two polls. */
const lastHistograms = new Map<string, JsonHistogram>();
const charts = new Map<string, Chart>();
const values = new Map<string, HTMLElement>();

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, title?: string): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (title !== undefined && title !== '') made.title = title;
  return made;
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function figure(value: number): string {
  return Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

/** A value in the field's unit, as people read it. */
function formatted(value: number, unit: string | undefined): string {
  switch (unit) {
    case 'bytes': {
      let scaled = value;
      let step = 0;
      while (Math.abs(scaled) >= 1024 && step < BINARY.length - 1) {
        scaled /= 1024;
        step++;
      }
      return `${figure(scaled)} ${BINARY[step]}`;
    }
    case 'seconds':
      return Math.abs(value) < 1 && value !== 0 ? `${figure(value * 1000)} ms` : `${figure(value)} s`;
    case 'percent':
      return `${figure(value)} %`;
    case 'ratio':
      return `${figure(value * 100)} %`;
    default:
      return figure(value);
  }
}

/** A counter is charted as its rate: its unit per second. */
function describeUnit(field: ViewField | undefined): string {
  if (field === undefined) return '';
  const per = field.kind === 'counter' ? ' per second' : '';
  return field.unit === undefined ? (per === '' ? '' : `counted${per}`) : `${field.unit}${per}`;
}

function hoverText(field: ViewField | undefined): string {
  if (field === undefined) return '';
  const unit = field.unit === undefined ? '' : `Unit: ${config.units[field.unit] ?? field.unit}.`;
  const kind =
    field.kind === 'counter'
      ? 'A counter, charted as its rate per second.'
      : field.kind === 'histogram'
        ? `A histogram, charted as the ${QUANTILES.map((q) => `p${q * 100}`).join(', ')} of what it observed between two polls, from its buckets.`
        : '';
  return [field.help ?? '', unit, kind].filter((part) => part !== '').join('\n');
}

function sectionFor(preset: string): { readonly values: HTMLElement; readonly charts: HTMLElement } {
  let section = sections.get(preset);
  if (section === undefined) {
    const block = element('section');
    block.dataset.preset = preset;
    section = { values: element('dl'), charts: element('div') };
    section.values.className = 'values';
    section.charts.className = 'charts';
    block.append(element('h2', preset), section.values, section.charts);
    document.getElementById('presets')!.append(block);
    sections.set(preset, section);
  }
  return section;
}

function title(measurement: string, point: JsonPoint, key: string, multipleMeasurements: boolean): string {
  const name = point.series === undefined ? key : `${point.series} ${key}`;
  return multipleMeasurements ? `${measurement} ${name}` : name;
}

function chartFor(id: string, name: string, field: ViewField | undefined): Chart {
  let chart = charts.get(id);
  if (chart === undefined) {
    const container = element('div');
    container.className = 'chart';
    container.dataset.field = name;
    const unit = describeUnit(field);
    container.append(element('h3', unit === '' ? name : `${name} (${unit})`, hoverText(field)));
    sectionFor(field?.preset ?? OWN_FIELDS).charts.append(container);
    chart = { field, element: container, xs: [], lines: new Map() };
    charts.set(id, chart);
  }
  return chart;
}

function plotOptions(chart: Chart): uPlot.Options {
  const unit = chart.field?.unit;
  // An integer gauge counts whole things: no tick between two of them. A counter's rate is not whole.
  const whole = chart.field?.type === 'integer' && chart.field.kind === 'gauge';
  return {
    width: Math.max(chart.element.clientWidth - 8, 200),
    height: 160,
    // The value axis in the field's unit (axis.ts): ticks that never read the same, and 0 to
    // 1 of the unit for a chart of zeros. The ticks' labels are on the chart's element too, for tests.
    scales: { x: { time: true }, y: { range: (_plot, min, max) => axisRange(min, max, unit, whole) } },
    legend: { live: true },
    axes: [
      { space: 90, values: (_plot, splits) => splits.map((split) => new Date(split * 1000).toLocaleTimeString()) },
      {
        size: 80,
        splits: (_plot, _axis, min, max) => axisTicks(min, max, unit, whole),
        values: (_plot, splits) => {
          const labels = tickLabels(splits, unit);
          chart.element.dataset.ticks = labels.join('|');
          return labels;
        },
      },
    ],
    series: [
      {},
      ...[...chart.lines.values()].map((line, index) => ({
        label: line.label,
        stroke: COLORS[index % COLORS.length],
        width: 1.5,
        spanGaps: true,
        value: (_plot: uPlot, value: number | null) => (value === null ? '–' : formatted(value, unit)),
      })),
    ],
  };
}

/** Redraws a chart; a new line (a new tag set) means a new plot, since uPlot's series are fixed at creation. */
function draw(chart: Chart, linesChanged: boolean): void {
  const data = [chart.xs, ...[...chart.lines.values()].map((line) => line.ys)] as uPlot.AlignedData;
  if (chart.plot === undefined || linesChanged) {
    chart.plot?.destroy();
    chart.plot = new uPlot(plotOptions(chart), data, chart.element);
  } else {
    chart.plot.setData(data);
  }
  chart.element.dataset.points = String(chart.xs.length);
  chart.element.dataset.lines = String(chart.lines.size);
}

/** Tags every point has, with the same value: the meter's own, shown once on top. */
function commonTags(snapshots: readonly JsonSnapshot[]): Map<string, string> {
  const points = snapshots.flatMap((snapshot) => snapshot.points);
  const common = new Map(Object.entries(points[0]?.tags ?? {}));
  for (const point of points) {
    for (const [key, value] of common) if (point.tags[key] !== value) common.delete(key);
  }
  return common;
}

function showHeader(snapshots: readonly JsonSnapshot[], common: Map<string, string>): void {
  const names = [...new Set(snapshots.map((snapshot) => snapshot.measurement))];
  document.getElementById('measurements')!.textContent = names.join(', ');
  document.title = `${names.join(', ')} · Runometer`;
  const tags = document.getElementById('tags')!;
  const shown = [...common, ['served by', config.servedBy] as const];
  tags.replaceChildren(
    ...shown.map(([key, value]) => {
      const pair = element('div');
      pair.append(element('dt', key), element('dd', value));
      return pair;
    }),
  );
}

function showValue(id: string, name: string, field: ViewField | undefined, text: string): void {
  let shown = values.get(id);
  if (shown === undefined) {
    const section = sectionFor(field?.preset ?? OWN_FIELDS);
    const term = element('dt', name, hoverText(field));
    shown = element('dd');
    shown.dataset.field = name;
    section.values.append(term, shown);
    values.set(id, shown);
  }
  shown.textContent = text;
}

function lineLabel(point: JsonPoint, common: Map<string, string>, measurement: string): string {
  const own = Object.entries(point.tags).filter(([key]) => !common.has(key));
  return own.length === 0 ? measurement : own.map(([key, value]) => `${key}=${value}`).join(', ');
}

/** A number to chart, or undefined for what is shown as text: strings, booleans, moments, identifiers. */
function chartable(value: number | string | boolean | null, field: ViewField | undefined): number | null | undefined {
  if (field?.unit === 'epoch_seconds' || field?.unit === 'none' || typeof value === 'boolean') return undefined;
  // Integers beyond 2^53 come as strings of digits: charted, at a float's precision.
  if (typeof value === 'string') return field?.type === 'integer' ? Number(value) : undefined;
  return value;
}

function textOf(value: number | string | boolean | null, field: ViewField | undefined): string {
  if (field?.unit === 'epoch_seconds' && typeof value === 'number') return new Date(value * 1000).toISOString();
  return String(value);
}

function record(snapshots: readonly JsonSnapshot[], t: number): void {
  const common = commonTags(snapshots);
  showHeader(snapshots, common);
  const multipleMeasurements = new Set(snapshots.map((snapshot) => snapshot.measurement)).size > 1;
  const readings = new Map<Chart, Map<string, number | null>>();
  const texts = new Map<string, { name: string; field: ViewField | undefined; parts: string[] }>();
  for (const snapshot of snapshots) {
    for (const point of snapshot.points) {
      const label = lineLabel(point, common, snapshot.measurement);
      for (const [key, value] of Object.entries(point.fields)) {
        const field = catalog.get(`${point.series ?? ''}\u0000${key}`);
        const name = title(snapshot.measurement, point, key, multipleMeasurements);
        const id = `${snapshot.measurement}\u0000${point.series ?? ''}\u0000${key}`;
        if (isHistogram(value)) {
          const chart = chartFor(id, name, field);
          const byLine = readings.get(chart) ?? new Map<string, number | null>();
          for (const [line, q] of quantileLines(`${id}\u0000${label}`, value, label === snapshot.measurement ? '' : `${label} `))
            byLine.set(line, q);
          readings.set(chart, byLine);
          continue;
        }
        const number = chartable(value, field);
        if (number === undefined) {
          const text = texts.get(id) ?? { name, field, parts: [] };
          text.parts.push(label === snapshot.measurement ? textOf(value, field) : `${label}: ${textOf(value, field)}`);
          texts.set(id, text);
          continue;
        }
        const chart = chartFor(id, name, field);
        const byLine = readings.get(chart) ?? new Map<string, number | null>();
        byLine.set(label, number);
        readings.set(chart, byLine);
      }
    }
  }
  for (const [id, { name, field, parts }] of texts) showValue(id, name, field, parts.join(' · '));
  for (const chart of charts.values()) {
    const byLine = readings.get(chart) ?? new Map<string, number | null>();
    let linesChanged = false;
    for (const label of byLine.keys()) {
      if (!chart.lines.has(label)) {
        chart.lines.set(label, { label, ys: chart.xs.map(() => null) });
        linesChanged = true;
      }
    }
    chart.xs.push(t);
    for (const [label, line] of chart.lines) {
      const value = byLine.get(label);
      line.ys.push(chart.field?.kind === 'counter' ? rate(line, value, t) : (value ?? null));
    }
    if (chart.xs.length > config.window) {
      chart.xs.shift();
      for (const line of chart.lines.values()) line.ys.shift();
    }
    draw(chart, linesChanged);
  }
}

/** A histogram's line for each quantile, of what it observed since the last poll: none at the first poll, after a restart, or when nothing was observed. */
function quantileLines(id: string, value: JsonHistogram, prefix: string): [string, number | null][] {
  const observed = increase(lastHistograms.get(id), value);
  lastHistograms.set(id, value);
  return QUANTILES.map((q) => [`${prefix}p${q * 100}`, observed === undefined ? null : quantile(q, value.le, observed)]);
}

/** A counter's increase per second since the last poll; none after a reset or a gap. */
function rate(line: Line, value: number | null | undefined, t: number): number | null {
  const last = line.last;
  line.last = value === null || value === undefined ? undefined : { t, value };
  if (last === undefined || value === null || value === undefined || value < last.value || t <= last.t) return null;
  return (value - last.value) / (t - last.t);
}

const status = document.getElementById('status')!;

function report(text: string, failed: boolean): void {
  status.textContent = text;
  status.className = failed ? 'failed' : '';
}

async function poll(): Promise<void> {
  try {
    // The page's own URL: the endpoint answers it JSON when asked, wherever the app mounted it.
    const response = await fetch(location.href, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) {
      report(`Last poll failed: ${response.status} ${(await response.text()).trim()}`, true);
      return;
    }
    const body = (await response.json()) as JsonSnapshot | JsonSnapshot[];
    const t = Date.now() / 1000;
    record(Array.isArray(body) ? body : [body], t);
    report(`Polled every ${config.interval / 1000} s; last at ${new Date(t * 1000).toLocaleTimeString()}`, false);
  } catch (error) {
    report(`Last poll failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/** The next poll is planned when this one ends: a slow server never has polls pile up. */
async function loop(): Promise<void> {
  await poll();
  setTimeout(() => void loop(), config.interval);
}

window.addEventListener('resize', () => {
  for (const chart of charts.values()) chart.plot?.setSize({ width: Math.max(chart.element.clientWidth - 8, 200), height: 160 });
});
void loop();
