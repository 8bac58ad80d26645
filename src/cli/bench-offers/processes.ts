import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** The REQUIRED block of .env.example as a base, so a new required variable never breaks the bench. */
export function exampleEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2].replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** What every bench's api and worker share: their own database, Redis prefix and SMTP sink. */
export function benchEnv(options: {
  url: string;
  redisUrl: string;
  prefix: string;
  smtpPort: number;
}): Record<string, string> {
  return {
    ...exampleEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: options.url,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    MAIL_FROM: 'Kindshift <hello@kindshift.test>',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    SESSION_SECRET: 'bench-session-secret-0123456789',
  };
}

/** NAME=value pairs from a variable such as BENCH_WORKER_ENV="EMAIL_CONCURRENCY=50 OFFER_FANOUT=3" (a value may hold '='). */
export function envPairs(variable: string): Record<string, string> {
  const pairs = (process.env[variable] ?? '').split(' ').filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** A numeric `--name=value` flag; `atLeast` 'zero' also allows 0. */
export function numberFlag(
  argv: string[],
  name: string,
  fallback: number,
  atLeast: 'positive' | 'zero' = 'positive',
): number {
  const raw = argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0 || (atLeast === 'positive' && value === 0)) {
    throw new Error(`--${name} must be ${atLeast === 'positive' ? 'a positive number' : 'a number ≥ 0'}`);
  }
  return value;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A child Node process running a compiled script, with its output kept for error messages. */
export class Child {
  private readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<void>;

  constructor(script: string, env: Record<string, string>, extraNodeArgs: string[] = []) {
    // BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the worker processes.
    const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, ...extraNodeArgs, join(ROOT, script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // BENCH_CHILD_LOG=<file> keeps everything the children print (e.g. with BENCH_WORKER_LOG_LEVEL=debug).
    const logFile = process.env.BENCH_CHILD_LOG;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-10_000);
      if (logFile) appendFileSync(logFile, chunk);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    const reap = () => this.child.kill('SIGKILL');
    process.once('exit', reap);
    this.child.once('exit', () => process.removeListener('exit', reap));
  }

  get log(): string {
    return this.output;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (!this.running) throw new Error(`${what}: the process exited\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${what}: timed out after ${timeoutMs} ms\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown hooks; open transactions and SMTP sessions just drop. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 10_000)));
    if ((await Promise.race([this.exited, late])) === 'late') this.child.kill('SIGKILL');
    clearTimeout(timer);
    await this.exited;
  }
}

/** Deletes the keys under `prefix:` — only what this benchmark created. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
