// Test settings shared by every project with integration suites under test/.
import { defineConfig } from 'vitest/config';

export const integrationTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each integration file starts real processes; one file at a time suits a 2-core machine.
    fileParallelism: false,
    hookTimeout: 3_600_000, // the first start may build the control-plane binaries from source
    testTimeout: 60_000,
  },
});
