/**
 * Group commit for a hot statement: the calls made in one turn of the event loop, and those that
 * arrive while a batch is in flight, go together as one statement (one round trip, one commit). A
 * lone call waits only for the end of the current turn (setImmediate), so an idle process pays
 * next to nothing; under load the batches grow by themselves, with no timer.
 *
 * `run` gets the inputs in arrival order and must return one output per input, in the same order.
 * If it throws, every call of that batch fails with its error (the statement is one transaction,
 * so none of them took effect).
 */
export class StatementBatcher<In, Out> {
  private readonly waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private inFlight = 0;
  private gathering = false;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly limits: { maxBatch: number; maxInFlight: number } = { maxBatch: 50, maxInFlight: 1 },
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.gather();
    });
  }

  /** Lets the rest of this turn of the event loop add their calls before the statement goes. */
  private gather(): void {
    if (this.gathering || this.inFlight >= this.limits.maxInFlight) return;
    this.gathering = true;
    setImmediate(() => {
      this.gathering = false;
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
      if (outputs.length !== batch.length)
        throw new Error(`a batch of ${batch.length} returned ${outputs.length} results`);
    } catch (error) {
      for (const call of batch) call.reject(error);
      return;
    }
    batch.forEach((call, i) => call.resolve(outputs[i]));
  }
}
