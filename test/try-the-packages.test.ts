import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPackages } from './runtimes.js';

// The README's "Try the packages today": its block run as written, in a folder that holds the
// tarballs' folder and the app side by side, as the block has them beside the clone. Packages
// from elsewhere (tsyringe, Hono) come from npm's cache, filled by the repository's own install,
// so that the test asks the registry nothing it can avoid.

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const block = /<!-- try-the-packages:begin -->\n```sh\n([^]*?)```\n<!-- try-the-packages:end -->/.exec(readme)?.[1] ?? '';
const lines = block.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
let folder: string;
let app: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function bash(script: string, cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd, env: { ...process.env, ...env }, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'try-the-packages-'));
  app = join(folder, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  // `npm install && npm run build` in the clone: installed already, and the build writes nothing when dist/ is current.
  await buildPackages();
}, 180_000);

afterAll(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

describe('README: Try the packages today', () => {
  test('its block builds and packs in the clone, then installs in the app', () => {
    expect(lines).toEqual([
      'npm install && npm run build',
      'mkdir -p ../runometer-tarballs && npm pack --workspaces --pack-destination ../runometer-tarballs',
      expect.stringMatching(/^npm install \.\.\/runometer-tarballs\/runometer-\{core,runtime,[^}]+\}-\*\.tgz$/),
    ]);
  });

  // npm pack makes no folder: without the mkdir, it fails with ENOENT.
  test('packed, every package is a tarball in ../runometer-tarballs', async () => {
    const pack = lines[1]!.replaceAll('../runometer-tarballs', join(folder, 'runometer-tarballs'));
    const { code, stderr } = await bash(pack, root);
    expect(code, stderr).toBe(0);
    const packages = (await bash('ls runometer-tarballs', folder)).stdout.trim().split('\n');
    expect(packages.map((name) => name.replace(/-\d+\.\d+\.\d+\.tgz$/, ''))).toEqual([
      'runometer-auto',
      'runometer-cli',
      'runometer-cluster',
      'runometer-core',
      'runometer-otel',
      'runometer-preset-http',
      'runometer-preset-memory',
      'runometer-preset-other',
      'runometer-preset-sockets',
      'runometer-preset-threads',
      'runometer-push',
      'runometer-runtime',
      'runometer-server-hono',
    ]);
  }, 60_000);

  test('a preset without @runometer/runtime beside it is looked for on the registry, as the README says', async () => {
    // Offline, npm says it has no copy where online it says E404: either way it names the runtime.
    const { code, stderr } = await bash('npm install ../runometer-tarballs/runometer-{core,preset-memory}-*.tgz', app, {
      npm_config_offline: 'true',
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain('@runometer%2fruntime');
  }, 150_000);

  test("installed as the README says, the app runs the README's example of the four presets and serves them", async () => {
    const { code, stderr } = await bash(lines[2]!, app, {
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@runometer/runtime']).toMatch(/^file:\.\.\/runometer-tarballs\/runometer-runtime-.*\.tgz$/);
    // The README's example, with a port of its own and a scrape.
    const example = /```ts\n(import \{ Runometer \} from '@runometer\/core';\n[^]*?const server = await serve\(meter\);\n)```/.exec(
      readme,
    )?.[1];
    expect(example).toBeDefined();
    writeFileSync(
      join(app, 'app.js'),
      example!.replace('await serve(meter)', 'await serve(meter, { port: 0 })') +
        'console.log((await (await fetch(server.url)).text()).split("\\n")[0].split(" ")[0]);\nawait server.close();\nawait meter.close();\n',
    );
    const run = await bash(`"${process.execPath}" app.js`, app);
    expect(run).toEqual({ code: 0, stdout: `node,app=checkout,runtime=node,runtime_version=${process.versions.node}\n`, stderr: '' });
  }, 150_000);
});
