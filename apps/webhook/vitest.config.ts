import { defineConfig, mergeConfig } from 'vitest/config';
import { integrationTestConfig } from '../../vitest.shared.js';

// The high-availability suite runs on its own, in a network namespace of its own (test/ownNetwork.sh;
// package.json's test script), because it needs an address that is not loopback.
export const OWN_NETWORK_SUITES = ['test/highAvailability.integration.test.ts'];

export default mergeConfig(integrationTestConfig, defineConfig({ test: { exclude: process.env.SIDECARSET_TEST_ENDPOINT_ADDRESS ? [] : OWN_NETWORK_SUITES } }));
