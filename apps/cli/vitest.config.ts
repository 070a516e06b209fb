import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // test/ runs the real binary: build it once first.
    globalSetup: ['test/buildCli.ts'],
    testTimeout: 30_000,
  },
});
