import fc from 'fast-check';
import { StatementBatcher } from './statement-batcher.js';

/** A `run` whose batches finish only when the test says so, recording what each batch held. */
function controlledRun<T>() {
  const batches: T[][] = [];
  const finish: Array<(fail?: Error) => void> = [];
  const run = (inputs: T[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(inputs);
      finish.push((fail) => (fail ? reject(fail) : resolve(inputs.map((x) => `out:${String(x)}`))));
    });
  return { batches, finish, run };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StatementBatcher', () => {
  it('groups the calls of one event-loop turn, then those that arrive while a batch is in flight', async () => {
    const { batches, finish, run } = controlledRun<number>();
    const batcher = new StatementBatcher(run);
    const first = [batcher.submit(0), batcher.submit(1)];
    expect(batches).toEqual([]); // gathering until the turn ends
    await flush();
    expect(batches).toEqual([[0, 1]]);
    const rest = [2, 3, 4].map((x) => batcher.submit(x));
    await flush();
    expect(batches).toHaveLength(1); // waiting for the first batch
    finish[0]();
    await expect(Promise.all(first)).resolves.toEqual(['out:0', 'out:1']);
    await flush();
    expect(batches).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    finish[1]();
    await expect(Promise.all(rest)).resolves.toEqual(['out:2', 'out:3', 'out:4']);
  });

  it('fails every call of a failed batch, and later batches still run', async () => {
    const { batches, finish, run } = controlledRun<string>();
    const batcher = new StatementBatcher(run);
    const a = batcher.submit('a');
    await flush();
    const b = batcher.submit('b');
    const c = batcher.submit('c');
    finish[0]();
    await a;
    await flush();
    finish[1](new Error('connection lost'));
    await expect(b).rejects.toThrow('connection lost');
    await expect(c).rejects.toThrow('connection lost');
    const d = batcher.submit('d');
    await flush();
    finish[2]();
    await expect(d).resolves.toBe('out:d');
    expect(batches).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('refuses a run that returns the wrong number of results', async () => {
    const batcher = new StatementBatcher(async (inputs: number[]) => inputs.slice(1));
    await expect(batcher.submit(1)).rejects.toThrow('a batch of 1 returned 0 results');
  });

  it('answers every call with its own result, within the batch and flight limits, whatever the timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(3), { minLength: 1, maxLength: 60 }), // ticks to wait before each call
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        async (gaps, maxBatch, maxInFlight) => {
          let inFlight = 0;
          let peak = 0;
          const sizes: number[] = [];
          const batcher = new StatementBatcher(
            async (inputs: number[]) => {
              inFlight += 1;
              peak = Math.max(peak, inFlight);
              sizes.push(inputs.length);
              await flush();
              inFlight -= 1;
              return inputs.map((x) => x * 10);
            },
            { maxBatch, maxInFlight },
          );
          const calls: Array<Promise<number>> = [];
          for (const [i, gap] of gaps.entries()) {
            for (let t = 0; t < gap; t += 1) await flush();
            calls.push(batcher.submit(i));
          }
          expect(await Promise.all(calls)).toEqual(gaps.map((_, i) => i * 10));
          expect(peak).toBeLessThanOrEqual(maxInFlight);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(maxBatch);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(gaps.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
