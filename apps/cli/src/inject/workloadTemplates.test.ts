import { describe, expect, it } from 'vitest';
import { injectionTarget, withValueAt } from './workloadTemplates.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [] } };

describe('injectionTarget', () => {
  it.each<[string, unknown, unknown]>([
    ['a v1 Pod is injected whole', { apiVersion: 'v1', kind: 'Pod' }, { type: 'pod' }],
    ['a Pod of another API group is not a Pod', { apiVersion: 'example.com/v1', kind: 'Pod' }, { type: 'none' }],
    ['a Deployment: spec.template', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template } }, { type: 'template', path: ['spec', 'template'], template }],
    ["an Advanced StatefulSet (apps.kruise.io): spec.template", { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', spec: { template } }, { type: 'template', path: ['spec', 'template'], template }],
    ['a Job: spec.template', { apiVersion: 'batch/v1', kind: 'Job', spec: { template } }, { type: 'template', path: ['spec', 'template'], template }],
    [
      'a CronJob: spec.jobTemplate.spec.template',
      { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } },
      { type: 'template', path: ['spec', 'jobTemplate', 'spec', 'template'], template },
    ],
    ['a Deployment without a template has nothing to inject', { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} }, { type: 'none' }],
    ['a Job of another API group is not a Job', { apiVersion: 'example.com/v1', kind: 'Job', spec: { template } }, { type: 'none' }],
    ['a Service passes through', { apiVersion: 'v1', kind: 'Service', spec: {} }, { type: 'none' }],
    ['a scalar passes through', 'hello', { type: 'none' }],
  ])('%s', (_name, document, expected) => {
    expect(injectionTarget(document)).toEqual(expected);
  });
});

describe('withValueAt', () => {
  it('replaces the value at a path, keeping key order and leaving the input alone', () => {
    const input = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1, template: { a: 1 }, paused: false } };
    const output = withValueAt(input, ['spec', 'template'], { b: 2 });
    expect(output).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1, template: { b: 2 }, paused: false } });
    expect(Object.keys(output.spec as object)).toEqual(['replicas', 'template', 'paused']);
    expect(input.spec.template).toEqual({ a: 1 });
  });
});
