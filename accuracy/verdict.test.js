import { describe, expect, test } from 'vitest';
import { measures } from '../tools/catalog.js';
import { KNOWN_RUNTIMES } from '@runometer/runtime';
import { SCENARIOS } from './scenarios.js';
import { atLeast, atMost, busyMachine, judge, near } from './verdict.js';

const MiB = 1024 * 1024;
const KNOWN = /** @type {(keyof typeof KNOWN_RUNTIMES)[]} */ (Object.keys(KNOWN_RUNTIMES));
const reading = (/** @type {number} */ value) => ({ measured: true, present: true, value });
/**
 * The suite's own check of `field` in the step `phase` of the scenario named `scenario`.
 * @param {string} scenario @param {string} phase @param {string} field
 */
function checkOf(scenario, phase, field) {
  const check = SCENARIOS.find((candidate) => candidate.name === scenario)
    ?.steps.find((candidate) => candidate.phase === phase)
    ?.checks.find((candidate) => candidate.field === field);
  if (check === undefined) throw new Error(`accuracy/scenarios.js has no check of ${field} in "${scenario}" [${phase}]`);
  return check;
}

describe('near: ok within one tolerance, off up to three, FAIL beyond', () => {
  const check = near('x', 100, { relative: 0.1 });

  test.each([
    [100, { status: 'ok', rule: '' }],
    [110, { status: 'ok', rule: '' }],
    [89, { status: 'off', rule: '1.1 tolerances out' }],
    [130, { status: 'off', rule: '3 tolerances out' }],
    [69, { status: 'FAIL', rule: '3.1 tolerances out (> 3)' }],
  ])('%d against 100 ±10%%', (value, verdict) => {
    expect(judge(check, 'node', reading(value))).toEqual(verdict);
  });

  test('the wider of relative and absolute is the tolerance', () => {
    expect(judge(near('x', 0.01, { relative: 0.1, absolute: 0.002 }), 'node', reading(0.0125))).toEqual({
      status: 'off',
      rule: '1.25 tolerances out',
    });
    expect(judge(near('x', 0.2, { relative: 0.1, absolute: 0.002 }), 'node', reading(0.215))).toEqual({ status: 'ok', rule: '' });
  });

  test('an exact expectation fails on any difference', () => {
    expect(judge(near('n', 10), 'node', reading(10))).toEqual({ status: 'ok', rule: '' });
    expect(judge(near('n', 10), 'node', reading(11))).toEqual({ status: 'FAIL', rule: 'off by 1 where exact' });
  });
});

describe('atMost and atLeast: a miss within three tolerances of the bound is off, beyond it FAIL', () => {
  test('atMost', () => {
    const check = atMost('x', 1, { tolerance: 1 });
    expect(judge(check, 'node', reading(0.5))).toEqual({ status: 'ok', rule: '' });
    expect(judge(check, 'node', reading(4))).toEqual({ status: 'off', rule: '3 tolerances out' });
    expect(judge(check, 'node', reading(4.5))).toEqual({ status: 'FAIL', rule: '3.5 tolerances out (> 3)' });
  });

  test('atLeast', () => {
    const check = atLeast('x', 10, { tolerance: 2 });
    expect(judge(check, 'node', reading(50))).toEqual({ status: 'ok', rule: '' });
    expect(judge(check, 'node', reading(5))).toEqual({ status: 'off', rule: '2.5 tolerances out' });
    expect(judge(check, 'node', reading(3))).toEqual({ status: 'FAIL', rule: '3.5 tolerances out (> 3)' });
  });

  test('without a tolerance the bound is hard', () => {
    expect(judge(atLeast('workers_alive', 5), 'node', reading(5))).toEqual({ status: 'ok', rule: '' });
    expect(judge(atLeast('workers_alive', 5), 'node', reading(4))).toEqual({ status: 'FAIL', rule: 'off by 1 where exact' });
  });
});

describe('presence', () => {
  const check = near('udp_sockets', 1);

  test('a field the runtime cannot measure must be absent', () => {
    expect(judge(check, 'deno', { measured: false, present: false, value: undefined })).toEqual({
      status: 'absent',
      rule: 'not measured here',
    });
    expect(judge(check, 'deno', { ...reading(1), measured: false })).toEqual({
      status: 'FAIL',
      rule: 'present, but deno cannot measure it',
    });
    expect(judge(check, 'deno', { measured: false, present: true, value: undefined })).toEqual({
      status: 'FAIL',
      rule: 'present, but deno cannot measure it',
    });
  });

  test('a field the runtime measures must be there, in every scrape compared', () => {
    expect(judge(check, 'node', { measured: true, present: false, value: undefined })).toEqual({ status: 'FAIL', rule: 'missing' });
    expect(judge(check, 'node', { measured: true, present: true, value: undefined })).toEqual({ status: 'FAIL', rule: 'missing' });
  });

  test('which runtime measures what comes from the field catalog, series fields included', () => {
    const nodes = ['node20', 'node22', 'node24', 'node26'];
    expect(KNOWN.filter((runtime) => measures(runtime, 'udp_sockets'))).toEqual(nodes);
    expect(KNOWN.filter((runtime) => measures(runtime, 'gc_duration_seconds{gc_kind=major}'))).toEqual([...nodes, 'deno']);
    expect(KNOWN.filter((runtime) => measures(runtime, 'cpu_percent'))).toEqual([...nodes, 'bun', 'deno']);
    expect(() => measures('node24', 'cpu_percnt')).toThrow('no preset declares a field "cpu_percnt"');
  });
});

describe('a busy machine', () => {
  test('is one that kept the threads waiting for a CPU more than 1% of the phase', () => {
    expect(busyMachine({ ms: 11_500, waitMs: 115 })).toBeUndefined();
    expect(busyMachine({ ms: 11_500, waitMs: 4_100 })).toBe('machine busy, threads waited 4.10 s for a CPU in 11.5 s');
    expect(busyMachine({ ms: 11_500, waitMs: undefined })).toBeUndefined();
  });

  test('turns a gross timing error into a report, and nothing else', () => {
    const busy = 'machine busy, threads waited 4.10 s for a CPU in 11.5 s';
    const check = near('cpu_percent', 50, { absolute: 5 });
    expect(judge(check, 'node', { measured: true, present: true, value: 12, busy })).toEqual({
      status: 'off',
      rule: `7.6 tolerances out, not failed: ${busy}`,
    });
    expect(judge(check, 'node', { measured: true, present: true, value: 40, busy })).toEqual({ status: 'off', rule: '2 tolerances out' });
    expect(judge(check, 'node', { measured: true, present: false, value: undefined, busy })).toEqual({ status: 'FAIL', rule: 'missing' });
    expect(judge(check, 'bun', { measured: false, present: true, value: 50, busy })).toEqual({
      status: 'FAIL',
      rule: 'present, but bun cannot measure it',
    });
    expect(judge(near('n', 10), 'node', { measured: true, present: true, value: 9, busy })).toEqual({
      status: 'FAIL',
      rule: 'off by 1 where exact',
    });
  });
});

describe("the suite's own checks", () => {
  test('cpu_percent off by a factor of 10 fails, either way', () => {
    const cpu = checkOf('loop busy 50% of the time', 'busy50', 'cpu_percent');
    expect(judge(cpu, 'node', reading(50.4)).status).toBe('ok');
    expect(judge(cpu, 'node', reading(504))).toEqual({ status: 'FAIL', rule: '90.8 tolerances out (> 3)' });
    expect(judge(cpu, 'node', reading(5.04))).toEqual({ status: 'FAIL', rule: '8.99 tolerances out (> 3)' });
  });

  test('heap used off by a factor of 3 fails, either way', () => {
    const retained = checkOf('memory: 32 MiB of JS heap (4 Mi doubles) retained, then released', 'retainNumbers', 'heap_used_bytes');
    expect(judge(retained, 'node', reading(33.7e6)).status).toBe('ok');
    expect(judge(retained, 'node', reading(3 * 32 * MiB))).toEqual({ status: 'FAIL', rule: '40 tolerances out (> 3)' });
    expect(judge(retained, 'node', reading((32 * MiB) / 3))).toEqual({ status: 'FAIL', rule: '13.3 tolerances out (> 3)' });
  });

  test("Deno's known near miss on 20 ms blocks stays a report", () => {
    const p99 = checkOf('event-loop delay, 20 ms blocks every 250 ms', 'block20', 'eventloop_delay_p99_seconds');
    expect(judge(p99, 'deno', reading(0.016))).toEqual({ status: 'off', rule: '2 tolerances out' });
  });

  test("the event-loop delay histogram's p99 bucket must hold the block: its bound within the layout's error, and a bucket a decade off fails", () => {
    const check = checkOf('event-loop delay, 200 ms blocks every 1000 ms', 'block200', 'eventloop_delay_seconds');
    expect(check.of).toBe(0.99);
    expect(judge(check, 'bun', reading(0.2)).status).toBe('ok');
    expect(judge(check, 'bun', reading(0.25)).status).toBe('ok');
    expect(judge(check, 'bun', reading(2))).toEqual({ status: 'FAIL', rule: '20.8 tolerances out (> 3)' });
    expect(judge(check, 'bun', reading(Infinity))).toEqual({ status: 'FAIL', rule: 'missing' });
  });

  test('array_buffers_bytes must be absent on Bun and Deno, present on Node', () => {
    const arrayBuffers = checkOf('memory: Buffer.alloc(64 MiB, 1) retained, then released', 'retainBuffer', 'array_buffers_bytes');
    const on = (/** @type {import('@runometer/runtime').KnownRuntimeName} */ runtime) => measures(runtime, arrayBuffers.field);
    expect(judge(arrayBuffers, 'bun', { ...reading(0), measured: on('bun') })).toEqual({
      status: 'FAIL',
      rule: 'present, but bun cannot measure it',
    });
    expect(judge(arrayBuffers, 'deno', { measured: on('deno'), present: false, value: undefined }).status).toBe('absent');
    expect(judge(arrayBuffers, 'node', { measured: on('node24'), present: false, value: undefined })).toEqual({
      status: 'FAIL',
      rule: 'missing',
    });
    expect(judge(arrayBuffers, 'node', { ...reading(64 * MiB), measured: on('node24') }).status).toBe('ok');
  });
});
