import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['source/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/helpers/isolated-home.ts'],
  },
});
