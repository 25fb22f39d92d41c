import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, RUNTIMES, type Runtime } from '../tools/runtimes.js';
import { compile, installCore } from './installed-core.js';

// Two copies of core in one process (two versions installed, or a bundle beside node_modules), each
// with its own tsyringe, and a preset module evaluated twice (a dev server's hot reload): the
// preset decorated through copy A is found, built and rendered by a meter of copy B.

let project: string;

// Run in copy B's folder: imports B's core, then the preset compiled against A's, then the preset again as a hot reload would.
const main = `
import { createRequire } from 'node:module';
import * as b from '@runometer/core';
const a = await import('../a/node_modules/@runometer/core/dist/index.js');
const tsyringeOf = (copy) => createRequire(new URL(\`../\${copy}/node_modules/@runometer/core/package.json\`, import.meta.url))('tsyringe');
const first = await import('../a/preset/visits-preset.js');
b.container.register(first.APP_NAME, { useValue: 'shop' });
const before = new b.Runometer('app').use('visits');
const report = {
  twoCores: a.Runometer !== b.Runometer,
  twoTsyringes: tsyringeOf('a').container !== tsyringeOf('b').container,
  oneContainer: a.container === b.container,
  byName: await before.render(),
  byClass: await new b.Runometer('app').use(first.VisitsPreset).render(),
};
const reloaded = await import('../a/preset/visits-preset.js?reloaded');
b.container.register(reloaded.APP_NAME, { useValue: 'shop after reload' });
report.replaced = reloaded.VisitsPreset !== first.VisitsPreset && b.presetRegistry.get('visits') === reloaded.VisitsPreset;
report.afterReload = await new b.Runometer('app').use('visits').render();
report.meterBeforeReload = await before.render();
class Impostor { x() { return 1; } }
b.field('x')(Impostor.prototype, 'x', Object.getOwnPropertyDescriptor(Impostor.prototype, 'x'));
try { b.preset('visits')(Impostor); } catch (error) { report.otherClass = error.message; }
console.log(JSON.stringify(report));
`;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'runometer-core-copies-'));
  await installCore(join(project, 'a'));
  await installCore(join(project, 'b'), { ownTsyringe: true });
  await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  await mkdir(join(project, 'a/src'));
  const preset = join(project, 'a/src/visits-preset.ts');
  await cp(fileURLToPath(new URL('decorator-forms/visits-preset.ts', import.meta.url)), preset);
  expect(compile([preset], 'standard', join(project, 'a/preset')).errors).toEqual([]);
  await writeFile(join(project, 'b/main.js'), main);
}, 120_000);

afterAll(() => rm(project, { recursive: true, force: true }));

function run(runtime: Runtime): Promise<string> {
  const [command, ...args] = launch(runtime, 'main.js', { denoPermissions: ['--allow-read', '--allow-env'] });
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: join(project, 'b'), timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} main.js failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test.each(RUNTIMES)(
  'on %s, a preset decorated by one copy of core is found, injected and rendered by a meter of another; a reload replaces it',
  async (runtime) => {
    expect(JSON.parse(await run(runtime))).toEqual({
      twoCores: true,
      twoTsyringes: true,
      oneContainer: true,
      byName: 'app,app=shop visits=42i\n',
      byClass: 'app,app=shop visits=42i\n',
      replaced: true,
      afterReload: 'app,app=shop\\ after\\ reload visits=42i\n',
      meterBeforeReload: 'app,app=shop visits=43i\n',
      otherClass: 'preset "visits" is already registered by class VisitsPreset',
    });
  },
  60_000,
);
