import { describe, expect, it } from 'vitest';
import { buildHealthServer } from './healthServer.js';

describe('controller health server', () => {
  it.each([
    [true, 200],
    [false, 503],
  ])('readyz with ready=%s answers %i', async (ready, code) => {
    const app = buildHealthServer(() => ready);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(code);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });
});
