// Unit tests (src/), the binary run offline (test/*.test.ts) and against a real control plane
// (test/*.integration.test.ts): the workspace's integration settings (one file at a time, hooks long
// enough to build the control plane on first use), plus a build of the binary the tests run.
import { defineConfig, mergeConfig } from 'vitest/config';
import { integrationTestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  integrationTestConfig,
  defineConfig({
    test: {
      // test/ runs the real binary: build it once first.
      globalSetup: ['test/buildCli.ts'],
    },
  }),
);
