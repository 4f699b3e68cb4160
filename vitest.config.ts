import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds the examples and fixtures once, before the workers start: workers only read them.
    globalSetup: ['tests/helpers/build-plugins.ts'],
    // Integration tests build Go plugins and e2e tests drive Chromium: both take seconds, not ms.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: Go builds and Chromium each want one.
    maxWorkers: 2,
  },
});
