// Pushes to the URL in its first argument, on whatever runtime runs it: a small render at start
// (not gzipped), then a large one (gzipped) when a signal makes it close. Prints "pushed" once
// the first push was answered. The tests send SIGTERM or SIGINT and see how it ends. With a second
// argument `own-handler`, the application listens for SIGTERM too, and exits with code 3 once the
// pusher has closed.
import { Runometer } from '@runometer/core';
import { Pusher } from '@runometer/push';

const runtime = process.versions.bun !== undefined ? 'bun' : process.versions.deno !== undefined ? 'deno' : 'node';
let renders = 0;
const meter = new Runometer('child')
  .addTag('runtime', runtime)
  .addField('text', () => (++renders === 1 ? 'small' : 'x'.repeat(2000)), { type: 'string' });
const pusher = new Pusher(meter, {
  url: process.argv[2] ?? '',
  interval: 60_000,
  onError: (error) => console.error(error.message),
}).start();

if (process.argv[3] === 'own-handler') {
  process.on('SIGTERM', async () => {
    await pusher.close();
    process.exit(3);
  });
}

// The pusher's timer is unref'd: this one keeps the process alive until the signal.
let said = false;
setInterval(() => {
  if (said || pusher.stats.sent !== 1) return;
  said = true;
  console.log('pushed');
}, 10);
