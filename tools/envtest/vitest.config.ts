import { defineConfig } from 'vitest/config';

// Integration suites start real processes: one file at a time keeps the 2-core machine responsive.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 3_600_000, // a cold build of the binaries runs in the first beforeAll
  },
});
