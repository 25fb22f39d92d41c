// `npm run bench`: every benchmark, one after the other. Figures are printed, never asserted.
import { benchRender } from './render.bench.js';

console.log(`runometer benchmarks on Node ${process.version}, ${process.platform}/${process.arch}`);
await benchRender();
