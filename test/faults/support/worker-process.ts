import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const WORKER_ENTRY = join(ROOT, 'dist', 'src', 'worker', 'main.js');

/**
 * The COMPILED worker (`node dist/src/worker/main.js`) as a real child process, so the tests can
 * kill -9 it. Its output is kept (the last lines) to explain a failure.
 */
export class WorkerProcess {
  private child?: ChildProcess;
  private output = '';
  private exit?: Promise<void>;
  starts = 0;

  constructor(private readonly env: Record<string, string>) {
    if (!existsSync(WORKER_ENTRY))
      throw new Error(`${WORKER_ENTRY} is missing: run "npm run build" first (npm run test:faults does)`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  get log(): string {
    return this.output;
  }

  start(): void {
    if (this.running) throw new Error('worker already running');
    const child = spawn(process.execPath, [WORKER_ENTRY], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        keep(Buffer.from(`\n[worker ${child.pid} exited: code ${code} signal ${signal}]\n`));
        resolve();
      }),
    );
    this.child = child;
    this.starts += 1;
    // Never outlive the test process, even when it exits abruptly.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
  }

  /** kill -9: no shutdown hooks, open transactions and SMTP sessions just drop. */
  async kill9(): Promise<void> {
    if (!this.running) throw new Error(`worker is not running:\n${this.output}`);
    this.child!.kill('SIGKILL');
    await this.exit;
  }

  /** Graceful stop (SIGTERM), then SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([this.exit, late]);
    clearTimeout(timer);
    if (outcome === 'late' && this.running) {
      this.child!.kill('SIGKILL');
      await this.exit;
    }
  }
}
