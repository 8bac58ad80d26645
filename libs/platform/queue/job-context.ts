import { AsyncLocalStorage } from 'node:async_hooks';

const jobContext = new AsyncLocalStorage<{ jobId: string }>();

/** Runs `work` as the given job, so code deep inside (e.g. the delivery log) knows which job it serves. */
export function runAsJob<T>(jobId: string, work: () => Promise<T>): Promise<T> {
  return jobContext.run({ jobId }, work);
}

/** The id of the BullMQ job the caller runs in, if any. Deterministic ids make it stable across retries. */
export function currentJobId(): string | undefined {
  return jobContext.getStore()?.jobId;
}
