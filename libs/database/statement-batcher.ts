/**
 * Group commit for a hot statement: calls that arrive while a batch is in flight wait and then go
 * together, as one statement (one round trip, one commit) for the whole group. A lone call goes at
 * once, so an idle process pays no extra latency; under load the batches grow by themselves, with
 * no timer. `run` gets the inputs in arrival order and must return one output per input, in the
 * same order. If it throws, every call of that batch fails with its error (the statement is one
 * transaction, so none of them took effect).
 */
export class StatementBatcher<In, Out> {
  private readonly waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private inFlight = 0;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly limits: { maxBatch: number; maxInFlight: number } = { maxBatch: 50, maxInFlight: 1 },
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.limits.maxBatch);
      this.inFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async runBatch(batch: typeof this.waiting): Promise<void> {
    let outputs: Out[];
    try {
      outputs = await this.run(batch.map((call) => call.input));
      if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} returned ${outputs.length} results`);
    } catch (error) {
      for (const call of batch) call.reject(error);
      return;
    }
    batch.forEach((call, i) => call.resolve(outputs[i]));
  }
}
