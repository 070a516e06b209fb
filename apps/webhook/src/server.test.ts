import { describe, expect, it } from 'vitest';
import { buildWebhookServer } from './server.js';

describe('webhook server', () => {
  it('answers /healthz', async () => {
    const app = buildWebhookServer();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await app.close();
  });
});
