import { describe, expect, it } from 'vitest';
import { parseTraceLine, summarise } from './heap.bench.js';

// Lines as Node 24.22 and 26.12 print them with --trace-gc (26 writes `pooled: 0.0 MB` and one space before the parenthesis).
const NODE_24_SCAVENGE =
  '[27207:0x289a6000]    15502 ms: Scavenge 14.0 (19.3) -> 10.8 (19.3) MB, pooled: 0 MB, 0.25 / 0.00 ms  (average mu = 1.000, current mu = 1.000) task; ';
const NODE_26_SCAVENGE =
  '[19038:0x306bb000]      249 ms: Scavenge 5.0 (6.1) -> 4.4 (6.6) MB, pooled: 0.0 MB, 6.11 / 0.00 ms (average mu = 1.000, current mu = 1.000) allocation failure; ';
const NODE_24_MARK_COMPACT =
  '[26558:0x23b71000]      975 ms: Mark-Compact 8.3 (16.8) -> 4.3 (16.3) MB, pooled: 0 MB, 1.22 / 0.01 ms  (+ 0.1 ms in 1 steps since start of marking, biggest step 0.1 ms, walltime since start of marking 12 ms) (average mu = 0.999, current mu = 0.999) finalize incremental marking via task; GC in old space requested';

describe('parseTraceLine', () => {
  it("reads the kind and the heap's used and committed megabytes of Node 24's and 26's lines", () => {
    expect(parseTraceLine(NODE_24_SCAVENGE)).toEqual({ kind: 'Scavenge', before: 14, after: 10.8, committed: 19.3 });
    expect(parseTraceLine(NODE_26_SCAVENGE)).toEqual({ kind: 'Scavenge', before: 5, after: 4.4, committed: 6.6 });
    expect(parseTraceLine(NODE_24_MARK_COMPACT)).toEqual({ kind: 'Mark-Compact', before: 8.3, after: 4.3, committed: 16.3 });
  });

  it('leaves out what is not a collection', () => {
    expect(parseTraceLine('{"cpu":1,"requests":2,"at":3}')).toBeUndefined();
    expect(parseTraceLine('[27207:0x289a6000] Memory allocator,       used:  20000 KB')).toBeUndefined();
  });
});

describe('summarise', () => {
  const scavenge = (/** @type {number} */ before, /** @type {number} */ after) => ({ kind: 'Scavenge', before, after, committed: 20 });
  it('counts the heap kept from one scavenge to the next, never across a full collection, and what each scavenge frees', () => {
    const summary = summarise([
      scavenge(13, 10),
      scavenge(13.5, 10.5),
      scavenge(13, 10.25),
      { kind: 'Mark-Compact', before: 11, after: 8, committed: 29 },
      scavenge(14, 9),
    ]);
    expect(summary).toEqual({
      scavenges: 4,
      fullCollections: 1,
      freedPerScavenge: (3 + 3 + 2.75 + 5) / 4,
      keptMegabytes: 0.5,
      committed: 20,
    });
  });

  it('gives zeros for a stretch without collections', () => {
    expect(summarise([])).toEqual({ scavenges: 0, fullCollections: 0, freedPerScavenge: 0, keptMegabytes: 0, committed: 0 });
  });
});
