/** One series of a PromQL answer: its labels and its samples (one for an instant query). */
export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly values: readonly [number, string][];
}

export interface PromQLClient {
  /** An instant query at `time` (seconds; now by default): each series with its one sample. */
  query(promql: string, time?: number): Promise<PromSeries[]>;
  /** A range query from `start` to `end` (seconds) every `step` seconds. */
  queryRange(promql: string, start: number, end: number, step: number): Promise<PromSeries[]>;
  /** The values of a label, of the series matching `match` if given (Grafana's `label_values`). */
  labelValues(label: string, match?: string): Promise<string[]>;
}

interface ApiAnswer {
  status: string;
  error?: string;
  data: unknown;
}

/** The Prometheus HTTP API at `url`, which Prometheus and VictoriaMetrics both answer. */
export function promqlClient(url: string): PromQLClient {
  const get = async (path: string, params: Record<string, string>): Promise<unknown> => {
    const response = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    const text = await response.text();
    let body: ApiAnswer;
    try {
      body = JSON.parse(text) as ApiAnswer;
    } catch {
      throw new Error(`${path} ${JSON.stringify(params)} answered ${response.status}: ${text}`);
    }
    if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)} failed: ${body.error ?? text}`);
    return body.data;
  };
  return {
    async query(promql, time) {
      const data = (await get('/api/v1/query', { query: promql, ...(time === undefined ? {} : { time: String(time) }) })) as {
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[] | [number, string];
      };
      // A scalar answer has no labels: one series with no name.
      if (data.resultType === 'scalar') return [{ metric: {}, values: [data.result as [number, string]] }];
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(({ metric, value }) => ({
        metric,
        values: [value],
      }));
    },
    async queryRange(promql, start, end, step) {
      const data = (await get('/api/v1/query_range', { query: promql, start: String(start), end: String(end), step: String(step) })) as {
        result: PromSeries[];
      };
      return data.result;
    },
    async labelValues(label, match) {
      return (await get(`/api/v1/label/${encodeURIComponent(label)}/values`, match === undefined ? {} : { 'match[]': match })) as string[];
    },
  };
}
