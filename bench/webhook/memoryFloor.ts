// What a Node.js process costs in resident memory before the webhook does anything: bare Node, then
// with the libraries the webhook loads, each in a fresh process (after a full GC), with the heap
// flags the webhook is deployed with and without them. The floor the RSS target has to be read
// against: OpenKruise's manager is one Go binary. Run: node bench/webhook/memoryFloor.ts
import { execFileSync } from 'node:child_process';
import { printTable } from '../stats.ts';
import { deployedNodeOptions } from '@sidecarset/envtest';

const STEPS: { what: string; imports: string[] }[] = [
  { what: 'bare node', imports: [] },
  { what: '+ fastify, pino, prom-client, undici, yaml', imports: ['fastify', 'pino', 'prom-client', 'undici', 'yaml'] },
  { what: '+ @kubernetes/client-node', imports: ['fastify', 'pino', 'prom-client', 'undici', 'yaml', '@kubernetes/client-node'] },
  { what: '+ @sidecarset/webhook (api, core, schemas)', imports: ['fastify', 'pino', 'prom-client', 'undici', 'yaml', '@kubernetes/client-node', '@sidecarset/webhook'] },
];

function rssAfterImports(imports: string[], flags: string[]): number {
  const script = `${imports.map((name) => `await import(${JSON.stringify(name)});`).join('')}
for (let i = 0; i < 3; i++) globalThis.gc(); await new Promise((r) => setTimeout(r, 300));
process.stdout.write(String(process.memoryUsage().rss));`;
  const out = execFileSync(process.execPath, [...flags, '--expose-gc', '--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8' });
  return Number(out) / 2 ** 20;
}

const deployed = deployedNodeOptions('webhook.yaml', 'webhook');
const rows = STEPS.map(({ what, imports }) => [what, rssAfterImports(imports, []).toFixed(1), rssAfterImports(imports, deployed).toFixed(1)]);
printTable(['loaded', 'RSS MiB', `RSS MiB with ${deployed.join(' ')}`], rows);
