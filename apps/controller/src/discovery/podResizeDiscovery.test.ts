import { describe, expect, it } from 'vitest';
import { servesPodResize } from './podResizeDiscovery.js';

describe('servesPodResize', () => {
  it('reads pods/resize with patch from the core group discovery', () => {
    expect(servesPodResize({ resources: [{ name: 'pods', verbs: ['get', 'patch'] }, { name: 'pods/resize', verbs: ['get', 'patch', 'update'] }] })).toBe(true);
  });
  it('an API server without it (before Kubernetes 1.33), or not patchable, does not serve it', () => {
    expect(servesPodResize({ resources: [{ name: 'pods', verbs: ['get', 'patch'] }, { name: 'pods/status', verbs: ['patch'] }] })).toBe(false);
    expect(servesPodResize({ resources: [{ name: 'pods/resize', verbs: ['get'] }] })).toBe(false);
    expect(servesPodResize({})).toBe(false);
  });
});
