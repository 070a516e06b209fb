export { integrationTestConfig as default } from '../../vitest.shared.js';
