// A worker thread for the tests, over the built packages. Its workerData says what it does:
//   report       a meter with a field of every type, reported to the parent; { test: 'hang' } on
//                parentPort blocks its event loop for ever, once it has said { test: 'hanging' }
//   exit         reports, then exits in the middle of its render
//   silent       no meter; posts other libraries' messages and one of another version of ours
//   report-only  reports and does nothing else: it must exit by itself
import { parentPort, workerData } from 'node:worker_threads';
import { Runometer } from '@runometer/core';
import { reportToParent } from '@runometer/cluster';

const meter = () =>
  new Runometer('app', { timestamps: true })
    .addTag('app', 'test')
    .addField('ratio', () => -0, { unit: 'ratio' })
    .addField('big', () => 2n ** 60n + 1n, { type: 'integer' })
    .addField('label', () => 'say "hi"', { type: 'string' })
    .addField('up', () => true, { type: 'boolean' });

if (workerData === 'report') {
  reportToParent(meter());
  parentPort?.on('message', (/** @type {any} */ message) => {
    if (message?.test !== 'hang') return;
    // Said before blocking: the message leaves without this thread's event loop.
    parentPort?.postMessage({ test: 'hanging' });
    for (;;);
  });
} else if (workerData === 'exit') {
  reportToParent(new Runometer('app').addField('exits', () => process.exit(3)));
  parentPort?.on('message', () => {});
} else if (workerData === 'silent') {
  parentPort?.postMessage({ cmd: 'other-library' });
  parentPort?.postMessage({ '@runometer/cluster': 2, type: 'hello' });
  parentPort?.postMessage({ '@runometer/cluster': 1, type: 'hello', port: 'not a port' });
  parentPort?.on('message', () => {});
} else if (workerData === 'report-only') {
  reportToParent(meter());
}
parentPort?.postMessage({ test: 'ready' });
