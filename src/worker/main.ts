import { createServer } from 'node:http';
import { parseConfig } from '../../libs/platform/config/index.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from '../../libs/platform/observability/metrics.js';
import { createWorkerApp } from './worker-app.js';

async function main() {
  const config = parseConfig(process.env);
  await createWorkerApp();
  // Optional tiny port for orchestrators and Prometheus: GET /health or / (liveness) and GET /metrics
  // (this replica's own registry: job durations, emails, offers). It has no authentication on
  // purpose: it is a private port, reachable only inside the deployment's network — never publish
  // it. Nothing personal is in it; queue depth and database gauges are on the api's /metrics.
  if (config.WORKER_HEALTH_PORT > 0) {
    createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      // `/` stays a liveness answer too: docker-compose.yml's healthcheck asks for it.
      if (path === '/health' || path === '/')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      if (path === '/metrics') {
        return void renderMetrics().then(
          (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
          () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
        );
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"not found"}');
    }).listen(config.WORKER_HEALTH_PORT);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
