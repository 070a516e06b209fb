import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration files each start a control plane; one at a time suits a 2-core machine.
    fileParallelism: false,
    hookTimeout: 3_600_000, // the first start may build the control-plane binaries from source
    testTimeout: 60_000,
  },
});
