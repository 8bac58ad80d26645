import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import { waitUntil } from '../support/harness.js';

// `npm run dev:services` for real: the script starts its own Redis and mail catcher on free ports
// (the machine's PostgreSQL already answers, so it is only checked), and `stop` ends them again.
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm run dev:services (no Docker)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let ports: { redis: number; smtp: number; http: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kindshift-dev-services-'));
    ports = { redis: await freePort(), smtp: await freePort(), http: await freePort() };
    env = {
      ...process.env,
      REDIS_PORT: String(ports.redis),
      MAIL_CATCHER_SMTP_PORT: String(ports.smtp),
      MAIL_CATCHER_HTTP_PORT: String(ports.http),
      DEV_SERVICES_DIR: dir,
    };
  });
  afterAll(async () => {
    await run('bash', ['scripts/dev-services.sh', 'stop'], { env }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('starts Redis and a mail catcher, prints the env to use, and stops them again', async () => {
    const { stdout } = await run('bash', ['scripts/dev-services.sh'], { env, timeout: 30_000 });
    expect(stdout).toContain('PostgreSQL already answers on 127.0.0.1:5432');
    expect(stdout).toContain(`REDIS_URL=redis://127.0.0.1:${ports.redis}/0`);
    expect(stdout).toContain(`SMTP_URL=smtp://127.0.0.1:${ports.smtp}`);

    const redis = new Redis({ port: ports.redis, host: '127.0.0.1', lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      redis.disconnect();
    }

    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: ports.smtp,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Kindshift <hello@kindshift.test>',
      to: 'sam@example.org',
      subject: 'Sign in <b>now</b>',
      text: 'Open http://localhost:3000/links/sign-in?token=abc123 to sign in.',
      html: '<p><a href="http://localhost:3000/links/sign-in?token=abc123">Sign in</a></p><script>alert(1)</script>',
    });
    transport.close();

    const base = `http://127.0.0.1:${ports.http}`;
    const messages = await waitUntil(
      async () => {
        const list = (await (await fetch(`${base}/api/messages`)).json()) as Array<{
          id: number;
          subject: string;
          to: string;
          links: string[];
        }>;
        return list.length ? list : undefined;
      },
      5_000,
      'the mail in the catcher',
    );
    expect(messages[0]).toMatchObject({
      subject: 'Sign in <b>now</b>',
      to: 'sam@example.org',
      links: ['http://localhost:3000/links/sign-in?token=abc123'],
    });
    const inbox = await (await fetch(`${base}/`)).text();
    expect(inbox).toContain('Sign in &lt;b&gt;now&lt;/b&gt;');
    const one = await (await fetch(`${base}/messages/${messages[0].id}`)).text();
    expect(one).toContain('<a href="http://localhost:3000/links/sign-in?token=abc123">');
    expect(one).not.toContain('<script>');

    const { stdout: stopped } = await run('bash', ['scripts/dev-services.sh', 'stop'], { env, timeout: 30_000 });
    expect(stopped).toMatch(/stopped Redis/);
    expect(stopped).toMatch(/stopped mail catcher/);
    await waitUntil(
      async () => !(await answers(ports.redis)) && !(await answers(ports.smtp)),
      5_000,
      'both ports to close',
    );
  });

  it("leaves a service that already answers alone (here: the machine's Redis on 6379)", async () => {
    const { stdout } = await run('bash', ['scripts/dev-services.sh'], {
      env: { ...env, REDIS_PORT: '6379' },
      timeout: 30_000,
    });
    expect(stdout).toContain('Redis (or something) already answers on 127.0.0.1:6379');
    const { stdout: stopped } = await run('bash', ['scripts/dev-services.sh', 'stop'], {
      env: { ...env, REDIS_PORT: '6379' },
      timeout: 30_000,
    });
    expect(stopped).toContain('Redis was not started by this script');
    expect(await answers(6379)).toBe(true);
  });
});
