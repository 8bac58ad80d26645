/** What withTimeout rejects with; the exception filter maps the name to 503 (like AbortSignal.timeout's). */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Rejects when `work` takes longer than `ms`; the timer is always cleared (no open handles). */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
