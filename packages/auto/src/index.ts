// The preload: `node --import @runometer/auto app.js`, `bun --preload @runometer/auto app.js`,
// `deno run --preload npm:@runometer/auto app.js`. Importing it starts the meter; it never throws
// into the app, and writes nothing to stdout.
import { startAuto } from './start.js';

try {
  await startAuto();
} catch (error) {
  console.error(
    `runometer: the meter failed to start (${error instanceof Error ? error.message : String(error)}); the app runs without it`,
  );
}
