import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { VARIABLES, type Variable } from './variables.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function defaultOf(declared: Variable<unknown>): string {
  if (declared.shownDefault !== undefined) return declared.shownDefault;
  return `\`${String(declared.fallback)}\``;
}

test("the README's table of variables is VARIABLES, in its order", () => {
  const rows = Object.values(VARIABLES).map((declared) => `| \`${declared.name}\` | ${defaultOf(declared)} | ${declared.what} |`);
  const table = ['| variable | default | what it does |', '| --- | --- | --- |', ...rows].join('\n');
  expect(readme).toContain(`<!-- variables:begin -->\n${table}\n<!-- variables:end -->`);
});
