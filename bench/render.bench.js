// `render()` of a meter with 30 synchronous fields and 5 tags. Target: 10 µs or less per render on Node.
import { Runometer } from '@runometer/core';
import { Bench } from 'tinybench';

const TARGET_US = 10;

function meterWith30FieldsAnd5Tags() {
  const meter = new Runometer('bench')
    .addTag('app', 'api')
    .addTag('region', 'eu-west-1')
    .addTag('env', 'production')
    .addTag('host', () => 'host-1')
    .addTag('version', () => '1.2.3')
    .addContextBuilder(() => ({ base: performance.now() }));
  for (let i = 0; i < 10; i++) meter.addField(`float_${i}`, (ctx) => ctx.base / (i + 1));
  for (let i = 0; i < 10; i++) meter.addField(`int_${i}`, (ctx) => Math.trunc(ctx.base) + i, { type: 'integer' });
  for (let i = 0; i < 5; i++) meter.addField(`str_${i}`, () => `value ${i}`, { type: 'string' });
  for (let i = 0; i < 5; i++) meter.addField(`bool_${i}`, () => i % 2 === 0, { type: 'boolean' });
  return meter;
}

export async function benchRender() {
  const meter = meterWith30FieldsAnd5Tags();
  const bench = new Bench({ time: 2000, warmupTime: 500 });
  bench.add('render(): 30 sync fields, 5 tags', () => meter.render());
  await bench.run();
  const { latency, throughput } = bench.tasks[0].result;
  const medianUs = latency.p50 * 1000;
  console.log(
    `render() 30 fields, 5 tags: median ${medianUs.toFixed(2)} µs, p99 ${(latency.p99 * 1000).toFixed(2)} µs, ` +
      `${Math.round(throughput.mean).toLocaleString('en')} renders/s over ${latency.samplesCount} samples ` +
      `(target ≤ ${TARGET_US} µs: ${medianUs <= TARGET_US ? 'met' : 'MISSED'})`,
  );
}
