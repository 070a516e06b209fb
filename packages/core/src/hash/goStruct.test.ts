import { describe, expect, it } from 'vitest';
import { SIDECAR_CONTAINER_STRUCTS } from './goSidecarContainer.js';
import { goStructJson, goStructValue, type GoStructs } from './goStruct.js';

const json = (value: unknown, type: string): string => goStructJson(value, type, SIDECAR_CONTAINER_STRUCTS);
const value = (input: unknown, type: string): unknown => goStructValue(input, type, SIDECAR_CONTAINER_STRUCTS);

describe('goStructJson writes what encoding/json writes', () => {
  const cases: { name: string; type: string; input: unknown; text: string }[] = [
    { name: 'fields in declaration order, whatever the key order', type: 'VolumeMount', input: { mountPath: '/v', name: 'v', readOnly: true }, text: '{"name":"v","readOnly":true,"mountPath":"/v"}' },
    { name: 'omitempty leaves out "", 0, false and empty slices', type: 'Container', input: { name: 'c', image: '', command: [], stdin: false, ports: [] }, text: '{"name":"c","resources":{}}' },
    { name: 'an omitempty struct is still written', type: 'ResourcesExpr', input: undefined, text: '{}' },
    { name: 'a field without omitempty is written when absent', type: 'EnvVar', input: {}, text: '{"name":""}' },
    { name: 'an absent pointer without omitempty is null', type: 'GRPCAction', input: { port: 9090 }, text: '{"port":9090,"service":null}' },
    { name: 'an absent Quantity is "0", a present one canonical', type: 'ResourceFieldSelector', input: { resource: 'limits.cpu' }, text: '{"resource":"limits.cpu","divisor":"0"}' },
    { name: 'a Quantity in canonical form', type: 'ResourceFieldSelector', input: { resource: 'limits.memory', divisor: '1024Ki' }, text: '{"resource":"limits.memory","divisor":"1Mi"}' },
    { name: 'embedded structs write their fields in their place', type: 'Probe', input: { periodSeconds: 3, exec: { command: ['true'] } }, text: '{"exec":{"command":["true"]},"periodSeconds":3}' },
    { name: 'IntOrString as it was written', type: 'HTTPGetAction', input: { port: 'http', path: '/' }, text: '{"path":"/","port":"http"}' },
    { name: 'map keys sorted', type: 'ResourceRequirements', input: { limits: { memory: '1Gi', cpu: '1' } }, text: '{"limits":{"cpu":"1","memory":"1Gi"}}' },
    { name: 'a pointer to false is written', type: 'SecurityContext', input: { privileged: false }, text: '{"privileged":false}' },
    { name: 'members the Go type lacks are dropped', type: 'Lifecycle', input: { stopSignal: 'SIGUSR1', preStop: { exec: {} } }, text: '{"preStop":{"exec":{}}}' },
    { name: '<, > and & escaped as Go does', type: 'ExecAction', input: { command: ['a<b>&c'] }, text: '{"command":["a\\u003cb\\u003e\\u0026c"]}' },
    { name: 'nil slices are null where there is no omitempty', type: '[]EnvVar', input: undefined, text: 'null' },
  ];
  it.each(cases)('$name', ({ type, input, text }) => expect(json(input, type)).toBe(text));
});

describe('goStructValue gives what OpenKruise stores', () => {
  it('adds the zero structs and drops empty optional fields, keeping fields the Go type lacks', () => {
    expect(value({ name: 'c', stdin: false, command: [], lifecycle: { stopSignal: 'SIGUSR1' } }, 'SidecarContainer')).toEqual({
      name: 'c',
      resources: {},
      lifecycle: { stopSignal: 'SIGUSR1' },
      upgradeStrategy: {},
      shareVolumePolicy: {},
    });
  });

  it('is the value of goStructJson when nothing is unknown, without its nulls', () => {
    const container = { name: 'c', image: 'i', env: [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }], startupProbe: { grpc: { port: 1 } } };
    const text = json(container, 'SidecarContainer');
    expect(text).toContain('"grpc":{"port":1,"service":null}');
    expect(value(container, 'SidecarContainer')).toEqual(JSON.parse(text.replace(',"service":null', '')));
  });

  it('leaves a value of the wrong JSON type for validation to report', () => {
    expect(value({ name: 'c', command: 'sleep' }, 'Container')).toMatchObject({ command: 'sleep' });
  });

  it('refuses a type it has no layout for', () => {
    const structs: GoStructs = { A: [['b', 'B', false]] };
    expect(() => goStructJson({}, 'A', structs)).toThrow('no Go layout for B');
  });
});
