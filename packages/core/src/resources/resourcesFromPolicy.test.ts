import type { Container, Pod } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { compileTargetRegex, resourcesFromPolicy, TARGET_MATCH_MAX_WORK, type ResourcesPolicy } from './resourcesFromPolicy.js';

type Resources = Container['resources'];
const container = (name: string, resources?: Resources, extra: Partial<Container> = {}): Container => ({ name, image: 'app:1', ...(resources ? { resources } : {}), ...extra });
const both = (cpu: string, memory: string): Resources => ({ limits: { cpu, memory }, requests: { cpu, memory } });
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers, ...(initContainers.length ? { initContainers } : {}) },
});
const policy = (mode: 'sum' | 'max', resourcesExpr: ResourcesPolicy['resourcesExpr'], targetContainersNameRegex = '.*'): ResourcesPolicy => ({
  targetContainersMode: mode,
  targetContainersNameRegex,
  resourcesExpr,
});
const IDENTITY = { limits: { cpu: 'cpu', memory: 'memory' }, requests: { cpu: 'cpu', memory: 'memory' } };
const NO_SIDECARS = new Set<string>();

describe('resourcesFromPolicy: which containers are targets', () => {
  const twoApps = pod([container('app', both('1', '1Gi')), container('log', both('200m', '128Mi')), container('mesh', both('2', '2Gi'))]);
  it.each<[string, Pod, string, Set<string>, Resources]>([
    ['every container, by the default regex', twoApps, '.*', NO_SIDECARS, { limits: { cpu: '3200m', memory: '3200Mi' }, requests: { cpu: '3200m', memory: '3200Mi' } }],
    ['the regex is unanchored: "app" also finds "my-app-2"', pod([container('my-app-2', both('1', '1Gi')), container('db', both('4', '4Gi'))]), 'app', NO_SIDECARS, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }],
    ['anchored', twoApps, '^(app|log)$', NO_SIDECARS, { limits: { cpu: '1200m', memory: '1152Mi' }, requests: { cpu: '1200m', memory: '1152Mi' } }],
    ['sidecars of the injected SidecarSets are never targets', twoApps, '.*', new Set(['mesh']), { limits: { cpu: '1200m', memory: '1152Mi' }, requests: { cpu: '1200m', memory: '1152Mi' } }],
    [
      'native sidecars (restartPolicy Always) are targets, plain initContainers are not',
      pod([container('app', both('1', '1Gi'))], [container('setup', both('8', '8Gi')), container('proxy', both('500m', '512Mi'), { restartPolicy: 'Always' })]),
      '.*',
      NO_SIDECARS,
      { limits: { cpu: '1500m', memory: '1536Mi' }, requests: { cpu: '1500m', memory: '1536Mi' } },
    ],
  ])('%s', (_name, input, regex, sidecars, expected) => {
    expect(resourcesFromPolicy(policy('sum', IDENTITY, regex), input, sidecars)).toEqual({ ok: true, resources: expected });
  });

  it('no target is an error naming the regex', () => {
    expect(resourcesFromPolicy(policy('sum', IDENTITY, '^db$'), pod([container('app', both('1', '1Gi'))]), NO_SIDECARS)).toEqual({
      ok: false,
      error: { path: 'targetContainersNameRegex', reason: 'no containers match the regex pattern "^db$"' },
    });
  });

  it('a regex whose program is larger than the bound is refused before it is matched against any name', () => {
    const input = pod([container('app', both('1', '1Gi'))]);
    expect(resourcesFromPolicy(policy('sum', IDENTITY, '(ab|cd){1000}'), input, NO_SIDECARS)).toMatchObject({
      ok: false,
      error: { path: 'targetContainersNameRegex', reason: expect.stringMatching(/^compiles to \d+ instructions; at most 4096/) },
    });
  });

  it('the regex is RE2, as Go reads it (named groups in Go syntax; no backtracking constructs)', () => {
    const input = pod([container('app', both('1', '1Gi'))]);
    expect(resourcesFromPolicy(policy('sum', IDENTITY, '(?P<name>app)'), input, NO_SIDECARS).ok).toBe(true);
    expect(resourcesFromPolicy(policy('sum', IDENTITY, '(?=app)'), input, NO_SIDECARS)).toMatchObject({ ok: false, error: { path: 'targetContainersNameRegex' } });
  });
});

describe('resourcesFromPolicy: sum and max', () => {
  const mixed = pod([
    container('a', { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }),
    container('b', { limits: { cpu: '2' }, requests: { cpu: '2', memory: '256Mi' } }),
    container('c', { requests: { cpu: '250m' } }),
  ]);
  it.each<[string, Pod, 'sum' | 'max', ResourcesPolicy['resourcesExpr'], Resources]>([
    ['a limit only when every target has one; requests add up', mixed, 'sum', IDENTITY, { requests: { cpu: '2750m', memory: '1280Mi' } }],
    ['max takes the largest request, no limit when one target has none', mixed, 'max', IDENTITY, { requests: { cpu: '2', memory: '1Gi' } }],
    ['max of limits when every target has one', pod([container('a', both('1', '1Gi')), container('b', both('1500m', '512Mi'))]), 'max', IDENTITY, { limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '1500m', memory: '1Gi' } }],
    ['no requests anywhere: the variable is 0', pod([container('a')]), 'sum', { requests: { cpu: 'max(cpu, 100m)', memory: 'memory + 64Mi' } }, { requests: { cpu: '100m', memory: '64Mi' } }],
    ['no limits anywhere: limit expressions are skipped', pod([container('a', { requests: { cpu: '1' } })]), 'sum', { limits: { cpu: 'cpu * 2', memory: '1Gi' } }, {}],
    ['only the expressions given are computed; an empty one is none', pod([container('a', both('1', '1Gi'))]), 'sum', { limits: { cpu: 'cpu / 2', memory: '' } }, { limits: { cpu: '500m' } }],
    ['max keeps the spelling the API server kept for the largest ("+1")', pod([container('a', both('500m', '1Gi')), container('b', both('+1', '1Gi'))]), 'max', { limits: { cpu: 'cpu' } }, { limits: { cpu: '+1' } }],
    ['sum writes the canonical spelling', pod([container('a', both('500m', '1Gi')), container('b', both('+1', '1Gi'))]), 'sum', { limits: { cpu: 'cpu' } }, { limits: { cpu: '1500m' } }],
    ['a sum of binary quantities stays binary', pod([container('a', both('1', '512Mi')), container('b', both('1', '512Mi'))]), 'sum', { limits: { memory: 'memory' } }, { limits: { memory: '1Gi' } }],
  ])('%s', (_name, input, mode, expressions, expected) => {
    expect(resourcesFromPolicy(policy(mode, expressions), input, NO_SIDECARS)).toEqual({ ok: true, resources: expected });
  });

  it("a container with a limit and no request counts the limit as its request, as the API server defaults it (the offline inject sees the pod before that)", () => {
    const asWritten = pod([container('a', { limits: { cpu: '1', memory: '1Gi' } }), container('b', { requests: { cpu: '250m' } })]);
    const asDefaulted = pod([container('a', { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }), container('b', { requests: { cpu: '250m' } })]);
    const expected = { ok: true, resources: { requests: { cpu: '1250m', memory: '1Gi' } } };
    expect(resourcesFromPolicy(policy('sum', IDENTITY), asWritten, NO_SIDECARS)).toEqual(expected);
    expect(resourcesFromPolicy(policy('sum', IDENTITY), asDefaulted, NO_SIDECARS)).toEqual(expected);
  });

  it('an expression that fails names its field', () => {
    const result = resourcesFromPolicy(policy('sum', { limits: { memory: 'memory * memory' } }), pod([container('a', both('1', '1Gi'))]), NO_SIDECARS);
    expect(result).toEqual({ ok: false, error: { path: 'resourcesExpr.limits.memory', reason: 'failed to evaluate "memory * memory": multiplication of two quantities' } });
  });

  it('a target quantity that is not one is an error, not a guess', () => {
    const result = resourcesFromPolicy(policy('sum', IDENTITY), pod([container('a', { limits: { cpu: 'lots' } })]), NO_SIDECARS);
    expect(result).toMatchObject({ ok: false, error: { path: '', reason: expect.stringContaining('container a: resources.limits.cpu') } });
  });
});

describe('resourcesFromPolicy: bounded work', () => {
  /** CPU time of this process in ms: a stall guard that the machine's other load does not move (speed is bench/'s job). */
  const cpuMs = (): number => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  };

  const names = (count: number) => Array.from({ length: count }, (_, i) => `${'ab'.repeat(29)}${String(i).padStart(5, '0')}`);
  const HEAVY = '(a|b|c)*(ab|cd){500}$'; // close to the program bound

  it('5,000 containers with 63-character names against a regex at the program bound: denied at once, naming the bound', () => {
    const input = pod(names(5000).map((name) => container(name, both('1m', '1Mi'))));
    const before = cpuMs();
    const result = resourcesFromPolicy(policy('sum', IDENTITY, HEAVY), input, NO_SIDECARS);
    expect(cpuMs() - before).toBeLessThan(1000); // matching them all took over a second of CPU
    expect(result).toMatchObject({ ok: false, error: { path: 'targetContainersNameRegex', reason: expect.stringContaining('more work than one admission may take') } });
  });

  it('the same regex against as many names as the work bound allows is matched', () => {
    const size = compileTargetRegex(HEAVY);
    if (!size.ok) throw new Error(size.reason);
    const allowed = Math.floor(TARGET_MATCH_MAX_WORK / (64 * size.regex.programSize()));
    const result = resourcesFromPolicy(policy('sum', IDENTITY, HEAVY), pod(names(allowed).map((name) => container(name, both('1m', '1Mi')))), NO_SIDECARS);
    expect(result).toMatchObject({ ok: false, error: { reason: expect.stringContaining('no containers match') } }); // matched, none ends in 1,000 letters
  });

  it('a plain regex sizes a sidecar from 5,000 containers', () => {
    const result = resourcesFromPolicy(policy('sum', IDENTITY, '^ab'), pod(names(5000).map((name) => container(name, both('1m', '1Mi')))), NO_SIDECARS);
    expect(result).toMatchObject({ ok: true });
  });
});
