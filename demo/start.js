// `npm start`: one meter, one render, printed. The presets and the HTTP server come in their own packages.
import { Runometer } from '@runometer/core';

const meter = new Runometer('runometer_demo')
  .addTag('app', 'demo')
  .addTag('pid', () => process.pid)
  .addContextBuilder(() => ({ resources: process.getActiveResourcesInfo() }))
  .addField('active_resources', (ctx) => ctx.resources.length, { type: 'integer' })
  .addField('active_timers', (ctx) => ctx.resources.filter((type) => type === 'Timeout').length, { type: 'integer' })
  .addField('uptime_seconds', () => process.uptime())
  .addField('render_errors', () => meter.errorCount, { type: 'integer' });

process.stdout.write(await meter.render());
