import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/** Tag and label keys both paths accept: Prometheus's label names, which VictoriaMetrics keeps from line protocol too. */
export const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The entries of a list file: one per line, blank lines and `#` comments skipped. `check` takes each
 * entry with where it came from (`--urls-file urls.txt, line 3`), so that its UsageError points
 * to the file and the line, not to the option the entry joins.
 */
export function readList(option: string, path: string, check: (where: string, entry: string) => unknown = () => undefined): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${option} ${path}: ${(error as Error).message}`);
  }
  const entries: string[] = [];
  text.split('\n').forEach((line, index) => {
    const entry = line.replace(/#.*/, '').trim();
    if (entry === '') return;
    check(`${option} ${path}, line ${index + 1},`, entry);
    entries.push(entry);
  });
  return entries;
}

/** `k=v` pairs as an object: a UsageError names a pair without `=` or with an empty key, and a key given twice. */
export function keyValues(option: string, pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${option} "${pair}" is not key=value`);
    const key = pair.slice(0, at);
    if (Object.hasOwn(result, key)) throw new UsageError(`${option} "${key}" is given twice`);
    result[key] = pair.slice(at + 1);
  }
  return result;
}
