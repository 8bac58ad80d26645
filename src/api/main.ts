import { parseConfig } from '../../libs/platform/config/index.js';
import { createApiApp } from './api-app.js';

async function main() {
  const config = parseConfig(process.env); // fail fast, naming the bad variable, before anything connects
  const app = await createApiApp();
  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
