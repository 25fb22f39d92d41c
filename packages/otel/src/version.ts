/** This package's version, the instrumentation scope's: `version.test.ts` fails when it is not package.json's. */
export const VERSION = '0.0.0';
