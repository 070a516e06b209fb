export * from './hotUpgradeNames.js';
export { hotUpgradeTwins, twinContainer, twinVersionEnv } from './hotUpgradeTwins.js';
