// Talks to the running webhook as the API server does: HTTPS to 127.0.0.1 with its CA, one kept-alive
// connection, a deadline per request (the webhook configurations' timeoutSeconds).
import { Agent, request } from 'node:https';

export interface HttpAnswer {
  status: number;
  text: string;
  ms: number;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; error: string; ms: number };

export class WebhookClient {
  private readonly agent: Agent;

  constructor(
    readonly url: string,
    private readonly ca: string,
    private readonly timeoutMs: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, ca });
  }

  post(path: string, body: string, contentType = 'application/json'): Promise<HttpOutcome> {
    return this.send('POST', path, body, contentType);
  }

  get(path: string): Promise<HttpOutcome> {
    return this.send('GET', path);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body?: string, contentType?: string): Promise<HttpOutcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = {};
      if (body !== undefined) {
        headers['content-type'] = contentType ?? 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request(`${this.url}${path}`, { method, agent: this.agent, ca: this.ca, headers, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ ok: true, answer: { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: ms() } }));
        res.on('error', (error) => resolve({ ok: false, error: `response: ${error.message}`, ms: ms() }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error: error.code ? `${error.code}: ${error.message}` : error.message, ms: ms() }));
      req.end(body);
    });
  }
}
