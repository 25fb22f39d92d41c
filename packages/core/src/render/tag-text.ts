import { describe } from '../model/errors.js';
import { normalizeTagValue } from '../model/escaping.js';
import { isAbsent } from '../model/field-types.js';

/** A tag's value as text, '' when absent, or undefined when it cannot be a tag. */
export function tagText(value: unknown): string | undefined {
  if (typeof value === 'string') return normalizeTagValue(value);
  if (isAbsent(value)) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

export const tagProblem = (value: unknown) => `expected a string, number or boolean, got ${describe(value)}`;
