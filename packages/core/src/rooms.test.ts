import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

// The rooms of src/ (see the README's Files): model/ imports from no other room, and render/,
// preset/ and format/ only from model/, so that none of them reaches back up the pipeline.
const src = dirname(fileURLToPath(import.meta.url));
const MAY_IMPORT: Record<string, readonly string[]> = { model: [], render: ['model'], preset: ['model'], format: ['model'] };

test('each room imports only from the rooms below it', () => {
  const wrong: string[] = [];
  for (const [room, below] of Object.entries(MAY_IMPORT)) {
    for (const file of readdirSync(join(src, room)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      const text = readFileSync(join(src, room, file), 'utf8');
      for (const [, specifier] of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = normalize(join(room, specifier!)).split('/')[0]!;
        if (target !== room && !below.includes(target)) wrong.push(`${room}/${file} imports ${specifier}`);
      }
    }
  }
  expect(wrong).toEqual([]);
});
