// The webhook's settings for the patchPodMetadata whitelist, from flags and from the environment.
import { describe, expect, it } from 'vitest';
import { parseWebhookConfig } from './config.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseWebhookConfig(['--self-signed', ...argv], env);

describe('parseWebhookConfig: the patchPodMetadata whitelist', () => {
  it.each([
    { name: "OpenKruise's ConfigMap name and the gate off by default", argv: [], env: {}, configMap: 'kruise-configuration', gate: false },
    { name: 'the name from --kruise-configuration', argv: ['--kruise-configuration=sidecarset-config'], env: {}, configMap: 'sidecarset-config', gate: false },
    { name: 'the name from KRUISE_CONFIGURATION', argv: [], env: { KRUISE_CONFIGURATION: 'from-env' }, configMap: 'from-env', gate: false },
    { name: 'the flag wins over the environment', argv: ['--kruise-configuration=from-flag'], env: { KRUISE_CONFIGURATION: 'from-env' }, configMap: 'from-flag', gate: false },
    { name: 'the gate from --patch-pod-metadata-defaults-allowed', argv: ['--patch-pod-metadata-defaults-allowed'], env: {}, configMap: 'kruise-configuration', gate: true },
    { name: 'the gate from PATCH_POD_METADATA_DEFAULTS_ALLOWED=true', argv: [], env: { PATCH_POD_METADATA_DEFAULTS_ALLOWED: 'true' }, configMap: 'kruise-configuration', gate: true },
    { name: 'any other value of the variable leaves it off', argv: [], env: { PATCH_POD_METADATA_DEFAULTS_ALLOWED: 'yes' }, configMap: 'kruise-configuration', gate: false },
  ])('$name', ({ argv, env, configMap, gate }) => {
    const config = parse(argv, env);
    expect([config.kruiseConfiguration, config.patchPodMetadataDefaultsAllowed]).toEqual([configMap, gate]);
  });

  it.each(['Kruise_Configuration', 'a/b', '', '-x'])('refuses %j as a ConfigMap name', (name) => {
    expect(() => parse([`--kruise-configuration=${name}`])).toThrow(/--kruise-configuration must be a ConfigMap name/);
  });
});
