import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { SLO_RULES } from '../dashboards/generate.js';

// The SLO rules `npm run dashboards` writes (docs/alerts/runometer-slo.rules.yml) pass promtool's
// check and their unit tests: a fast burn pages, a slow one warns, the page ends soon after the burn.

const root = fileURLToPath(new URL('..', import.meta.url));
const rulesFile = SLO_RULES.split('/').at(-1)!;
const testFile = rulesFile.replace(/\.yml$/, '.test.yml');

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: `${root}docs/alerts`, encoding: 'utf8' });
  if (result.error)
    throw new Error(`promtool could not run (${result.error.message}): apt-get install -y --no-install-recommends prometheus`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('promtool', () => {
  test('check rules: every recording and alerting rule is valid', () => {
    expect(promtool('check', 'rules', rulesFile)).toEqual({ status: 0, output: `Checking ${rulesFile}\n  SUCCESS: 12 rules found` });
  });

  test('test rules: each burn alerts at its severity, on the app that burns, and stops as its short window says', () => {
    expect(promtool('test', 'rules', testFile)).toEqual({ status: 0, output: `Unit Testing:  ${testFile}\n  SUCCESS` });
  });
});
