// `render()` of a meter with 30 synchronous fields and 5 tags. Target: 10 µs or less per render on Node.
import { Runometer } from '@runometer/core';
import { compare, runtimeName } from './measure.js';

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

const meter = meterWith30FieldsAnd5Tags();
const { render } = await compare({ render: () => meter.render() });
console.log(
  `${runtimeName()}: render() of 30 sync fields and 5 tags: median ${render.median.toFixed(2)} µs per render over 21 rounds ` +
    `(target ≤ ${TARGET_US} µs: ${render.median <= TARGET_US ? 'met' : 'MISSED'})`,
);
