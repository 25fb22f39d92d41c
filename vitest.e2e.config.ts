import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:e2e`: against real servers (InfluxDB from Debian), started and stopped by the tests.
const config = mergeConfig(base, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } }));
config.test!.include = ['e2e/**/*.e2e.test.ts'];
export default config;
