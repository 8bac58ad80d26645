import { Worker } from 'bullmq';
import nodemailer from 'nodemailer';

/**
 * The floor of `npm run bench:offers`, run as its own process like the real worker: a bare BullMQ
 * worker (concurrency 10) whose jobs each send one message through a pooled nodemailer transport
 * (maxConnections 10). No database, no templates, no delivery log — the least any mail worker does.
 *
 * Env: FLOOR_REDIS_URL, FLOOR_PREFIX, FLOOR_QUEUE, FLOOR_SMTP_URL, FLOOR_TEXT_BYTES, FLOOR_HTML_BYTES.
 * Prints "ready" once it consumes jobs; exits on SIGTERM.
 */
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const textBytes = Number(env('FLOOR_TEXT_BYTES'));
const htmlBytes = Number(env('FLOOR_HTML_BYTES'));
const text = 'Hello, a shift near you needs a hand. '.repeat(Math.ceil(textBytes / 38)).slice(0, textBytes);
const html = `<p>${'Hello, a shift near you needs a hand. '.repeat(Math.ceil(htmlBytes / 38))}</p>`.slice(0, htmlBytes);

const transport = nodemailer.createTransport({ url: env('FLOOR_SMTP_URL'), pool: true, maxConnections: 10 } as never);
const url = new URL(env('FLOOR_REDIS_URL'));
const worker = new Worker(
  env('FLOOR_QUEUE'),
  async (job) => {
    const i = Number(job.data.i);
    await transport.sendMail({
      from: 'Kindshift <hello@kindshift.test>',
      to: `volunteer${i}@bench.invalid`,
      subject: `A shift near you needs a hand (${i})`,
      text,
      html,
      messageId: `<floor-${i}@bench.invalid>`,
    });
  },
  {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      maxRetriesPerRequest: null,
    },
    prefix: env('FLOOR_PREFIX'),
    concurrency: 10,
    removeOnComplete: { count: 100 },
  },
);
worker.on('error', (error) => console.error(error));

await worker.waitUntilReady();
console.log('ready');

process.once('SIGTERM', () => {
  void worker.close().finally(() => {
    transport.close();
    process.exit(0);
  });
});
