// The core's tests are pure, but its generated (fast-check) suites take several seconds when the
// machine is busy (CI runs projects side by side): vitest's 5 s default failed them there. The
// timeout is a guard against hangs, not a speed check (that is bench/'s job).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
  },
});
