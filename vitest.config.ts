import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the packages' TypeScript sources through the `@runometer/source` export condition: no build first.
const conditions = ['@runometer/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'accuracy/*.test.js',
      'tools/*.test.js',
      'bench/*.test.js',
      'dashboards/*.test.ts',
    ],
  },
});
