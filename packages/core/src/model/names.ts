import { RegistrationError, describe } from './errors.js';
import { MAX_SERIES_KEY_BYTES, measurementBytes } from './series-key.js';

// Keys never carry a backslash: parsers disagree on what a backslash before a separator means,
// and a name is chosen by a programmer who can pick another character.
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f\\]/;

export type KeyKind = 'tag' | 'field';

function checkName(what: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new RegistrationError(`${what} must be a non-empty string, got ${describe(name)}`);
  }
  const unsafe = UNSAFE_IN_NAME.exec(name);
  if (unsafe) {
    const character =
      unsafe[0] === '\\' ? 'a backslash' : `the control character U+${unsafe[0].charCodeAt(0).toString(16).padStart(4, '0')}`;
    throw new RegistrationError(`${what} ${JSON.stringify(name)} contains ${character}, which line protocol cannot carry`);
  }
  return name;
}

export function checkMeasurement(name: unknown): string {
  checkName('measurement name', name);
  if ((name as string).startsWith('#')) {
    throw new RegistrationError(`measurement name ${JSON.stringify(name)} starts with "#", which makes its line a comment`);
  }
  const bytes = measurementBytes(name as string);
  if (bytes > MAX_SERIES_KEY_BYTES) {
    throw new RegistrationError(`measurement name of ${bytes} bytes exceeds InfluxDB's limit of ${MAX_SERIES_KEY_BYTES} for a series key`);
  }
  return name as string;
}

export function checkKey(kind: KeyKind, key: unknown): string {
  checkName(`${kind} key`, key);
  if (key === 'time') {
    throw new RegistrationError(`${kind} key "time" is reserved: InfluxDB 1.x rejects it`);
  }
  if ((key as string).startsWith('_')) {
    throw new RegistrationError(`${kind} key ${JSON.stringify(key)} starts with "_", reserved by InfluxDB 2.x`);
  }
  return key as string;
}

/** Orders strings as UTF-8 bytes do (code point order), the order InfluxDB sorts tag keys in. */
export function compareByBytes(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
