import { readFileSync } from 'node:fs';
import { readSettings, VARIABLES } from '@runometer/auto/api';
import { expect, test } from 'vitest';
import { parse } from 'yaml';

// docs/start-with-one-flag.md: its Dockerfile, Deployment and unit give the preload's flag and
// variables that @runometer/auto declares and accepts.
const guide = readFileSync(new URL('../docs/start-with-one-flag.md', import.meta.url), 'utf8');

function block(language: string): string {
  const found = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(guide)?.[1];
  if (found === undefined) throw new Error(`docs/start-with-one-flag.md has no ${language} block`);
  return found;
}

const FLAG = '--import @runometer/auto';
const declared: string[] = Object.values(VARIABLES).map(({ name }) => name);

test('every RUNOMETER_ variable the guide names is one the preload reads', () => {
  const named = new Set(guide.match(/RUNOMETER_[A-Z_]+/g));
  expect([...named].filter((name) => !declared.includes(name))).toEqual([]);
});

test("the Dockerfile's ENV: the flag in NODE_OPTIONS, and variables the preload accepts", () => {
  const env = Object.fromEntries(
    [...block('dockerfile').matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, name, value]) => [name!, value!.replace(/^"|"$/g, '')]),
  );
  expect(env['NODE_OPTIONS']).toBe(FLAG);
  expect(readSettings(env).refusals).toEqual([]);
});

test("the Deployment's env: the flag in NODE_OPTIONS, the metrics port the preload's default, variables it accepts", () => {
  const deployment = parse(block('yaml')) as {
    spec: {
      template: {
        metadata: { annotations: Record<string, string> };
        spec: { containers: { ports: { name: string; containerPort: number }[]; env: { name: string; value?: string }[] }[] };
      };
    };
  };
  const [container] = deployment.spec.template.spec.containers;
  const env = Object.fromEntries(container!.env.filter(({ value }) => value !== undefined).map(({ name, value }) => [name, value]));
  expect(env['NODE_OPTIONS']).toBe(FLAG);
  expect(readSettings(env).refusals).toEqual([]);
  const metrics = container!.ports.find(({ name }) => name === 'metrics')!.containerPort;
  expect([metrics, Number(deployment.spec.template.metadata.annotations['prometheus.io/port'])]).toEqual([
    VARIABLES.port.fallback,
    VARIABLES.port.fallback,
  ]);
});

test("the systemd unit's ExecStart has the flag, and its Environment= the preload accepts", () => {
  const unit = block('ini');
  expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node ${FLAG} server\\.js$`, 'm'));
  const env = Object.fromEntries([...unit.matchAll(/^Environment=(\w+)=(.*)$/gm)].map(([, name, value]) => [name!, value!]));
  expect(Object.keys(env)).toEqual(['RUNOMETER_TAGS', 'RUNOMETER_PORT']);
  expect(readSettings(env).refusals).toEqual([]);
});
