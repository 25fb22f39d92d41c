import { describe, expect, test } from 'vitest';
import { ACCEPT_MAX_LENGTH, parseAccept } from './accept.js';

const types = (accept: string) => parseAccept(accept).map(({ type }) => type);

describe('parseAccept', () => {
  test('reads types, parameters and q', () => {
    expect(parseAccept('Text/Plain ; Version="0.0.4" ; q=0.5, application/json')).toEqual([
      { type: 'text/plain', parameters: new Map([['version', '0.0.4']]), q: 0.5 },
      { type: 'application/json', parameters: new Map(), q: 1 },
    ]);
  });

  test('a quoted comma or semicolon separates nothing, and a backslash escapes a quote', () => {
    expect(parseAccept('text/plain;foo="a,b;c\\"d";version=0.0.4, */*')).toEqual([
      {
        type: 'text/plain',
        parameters: new Map([
          ['foo', 'a,b;c"d'],
          ['version', '0.0.4'],
        ]),
        q: 1,
      },
      { type: '*/*', parameters: new Map(), q: 1 },
    ]);
  });

  test('empty list elements are skipped', () => {
    expect(types(' , text/plain,, ,application/json,')).toEqual(['text/plain', 'application/json']);
  });

  test('an unterminated quote runs to the end of the header', () => {
    expect(parseAccept('text/plain;foo="a,b, */*')).toEqual([{ type: 'text/plain', parameters: new Map([['foo', '"a,b, */*']]), q: 1 }]);
  });

  test(`reads a header of ${ACCEPT_MAX_LENGTH} characters whole`, () => {
    const filler = 'x/y,'.repeat((ACCEPT_MAX_LENGTH - 'text/html'.length) / 4);
    const accept = `${filler}text/html`.padStart(ACCEPT_MAX_LENGTH, ' ');
    expect(accept).toHaveLength(ACCEPT_MAX_LENGTH);
    expect(types(accept).at(-1)).toBe('text/html');
  });

  test(`reads only the ranges that end within the first ${ACCEPT_MAX_LENGTH} characters`, () => {
    const filler = 'x/y,'.repeat(ACCEPT_MAX_LENGTH / 4 - 1); // 4092 characters
    expect(types(`${filler}a/b,text/html`)).toEqual([...Array(ACCEPT_MAX_LENGTH / 4 - 1).fill('x/y'), 'a/b']);
    expect(types(`${filler}ab/c,text/html`)).toEqual([...Array(ACCEPT_MAX_LENGTH / 4 - 1).fill('x/y'), 'ab/c']);
    // The range that the bound cuts through is not read, nor anything after it.
    expect(types(`${filler}ab/cd,text/html`)).toEqual(Array(ACCEPT_MAX_LENGTH / 4 - 1).fill('x/y'));
  });

  test('a header of repeated quote-backslash pairs (the quadratic case of a backtracking parser) is one unterminated quote, cut by the bound', () => {
    expect(parseAccept('"\\'.repeat(7_900))).toEqual([]);
    expect(parseAccept(`application/json,${'"\\'.repeat(7_900)}`)).toEqual([{ type: 'application/json', parameters: new Map(), q: 1 }]);
  });
});
