import { createServer } from 'node:http';
import { parseConfig } from '../../libs/config/index.js';
import { createWorkerApp } from './worker-app.js';

async function main() {
  const config = parseConfig(process.env);
  await createWorkerApp();
  // Optional tiny liveness port for orchestrators; the worker serves nothing else.
  if (config.WORKER_HEALTH_PORT > 0) {
    createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')).listen(config.WORKER_HEALTH_PORT);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
