import { MikroORM } from '@mikro-orm/postgresql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mikroOrmConfig } from '../../entities.js';
import { ShiftsService } from '../../../libs/organisations/shifts.service.js';
import { createApiApp } from '../../api/api-app.js';
import { cpuPer, cpuSnapshot } from './cpu.js';
import { percentile } from './stats.js';
import type { CountingSink } from './sink.js';
import { Child, freePort } from './processes.js';
import { benchShift, type BenchOrganisation } from './world.js';

export interface PipelineRun {
  offers: number;
  seconds: number;
  perSecond: number;
  /** Publish → first offer delivered, per shift of the burst (queueing behind the other shifts' offers included). */
  firstOffer: { p50: number; p95: number; max: number };
  /** The same, each shift published alone on an idle pipeline. */
  idleFirstOffer: { p50: number; p95: number; max: number };
  /** Medians over shifts, ms: publish → wave written, → first offer job relayed, → first offer delivered. */
  phases: { wave: number; relay: number; send: number };
  /** Median ms from a shift's first to its last offer delivered. */
  spreadMs: number;
  avgBytes: number;
  /** CPU ms per offer during the burst: worker(s), PostgreSQL, Redis, this process (api + sink). */
  cpuPerOffer: Record<string, number>;
}

/**
 * Publish → match → outbox → queue → email, end to end: the real worker (compiled, its own
 * process — or `workers` replicas — production defaults) and the api's ShiftsService in this process, publishing every
 * shift at once (after one warm-up shift). Time runs from the first publish to the last offer
 * delivered to the sink. `organisations` has one more entry than shifts are timed: the warm-up's.
 */
export async function measurePipeline(options: {
  url: string;
  env: Record<string, string>;
  sink: CountingSink;
  organisations: BenchOrganisation[];
  capacity: number;
  fanout: number;
  workers: number;
}): Promise<PipelineRun> {
  const { sink, organisations, capacity } = options;
  const workers: Child[] = [];
  let api: NestFastifyApplication | undefined;
  try {
    for (let i = 0; i < options.workers; i += 1) {
      const healthPort = await freePort();
      const worker = new Child('dist/src/worker/main.js', { ...options.env, WORKER_HEALTH_PORT: String(healthPort) });
      workers.push(worker);
      await worker.waitFor(
        async () => (await fetch(`http://127.0.0.1:${healthPort}/health`).catch(() => null))?.ok === true,
        30_000,
        'worker start',
      );
    }
    Object.assign(process.env, options.env, { LOG_LEVEL: 'warn' });
    api = await createApiApp();
    await api.init();
    const shifts = api.get(ShiftsService);
    const isOffer = (a: { messageId: string }) => a.messageId.startsWith('<offer-');

    // Warm-up: one shift of its own, so the timed burst does not measure the JIT compiler.
    const [warmUp, ...timed] = organisations;
    sink.reset();
    await shifts.create(warmUp.organisationId, benchShift(0, capacity) as never, warmUp.coordinatorId);
    await sink.waitForCount(Math.ceil(capacity * options.fanout), isOffer, 30_000, 'warm-up offer emails');
    sink.reset();

    const pids = { worker: workers.map((w) => w.pid) };
    const cpuBefore = cpuSnapshot(pids);
    const started = Date.now();
    const publishedAt = new Map<string, number>();
    await Promise.all(
      timed.map(async (org, i) => {
        const shift = await shifts.create(org.organisationId, benchShift(i + 1, capacity) as never, org.coordinatorId);
        publishedAt.set(shift.id, Date.now());
      }),
    );
    const expected = timed.length * Math.ceil(capacity * options.fanout);
    await sink.waitForCount(expected, isOffer, 30_000, 'offer emails');
    const cpuPerOffer = cpuPer(cpuBefore, cpuSnapshot(pids), expected);
    const arrivals = sink.arrivals.filter(isOffer);
    const finished = Math.max(...arrivals.map((a) => a.at));

    const timeline = await offerTimeline(options.url);
    const firstByShift = new Map<string, number>();
    const lastByShift = new Map<string, number>();
    for (const arrival of arrivals) {
      const offer = timeline.offers.get(arrival.messageId.slice('<offer-'.length, arrival.messageId.indexOf('@')));
      if (!offer) throw new Error(`sink got ${arrival.messageId}, not an offer of this run`);
      firstByShift.set(offer.shiftId, Math.min(firstByShift.get(offer.shiftId) ?? Infinity, arrival.at));
      lastByShift.set(offer.shiftId, Math.max(lastByShift.get(offer.shiftId) ?? 0, arrival.at));
    }
    const latencies = [...publishedAt].map(([shiftId, at]) => (firstByShift.get(shiftId) ?? NaN) - at);

    // Idle latency: the same organisations publish a second shift each, one at a time, each once
    // the previous one's offers are all out — publish → first offer with no backlog ahead of it.
    const perShift = Math.ceil(capacity * options.fanout);
    const idleLatencies: number[] = [];
    for (const [i, org] of timed.entries()) {
      sink.reset();
      await shifts.create(org.organisationId, benchShift(1000 + i, capacity, 1) as never, org.coordinatorId);
      const published = Date.now();
      await sink.waitForCount(1, isOffer, 30_000, 'idle first offer');
      idleLatencies.push(Math.min(...sink.arrivals.filter(isOffer).map((a) => a.at)) - published);
      await sink.waitForCount(perShift, isOffer, 30_000, 'idle offers');
    }
    const phase = (pick: (shiftId: string, published: number) => number) =>
      percentile(
        [...publishedAt].map(([id, at]) => pick(id, at)),
        50,
      );
    const seconds = (finished - started) / 1000;
    return {
      offers: arrivals.length,
      seconds,
      perSecond: arrivals.length / seconds,
      firstOffer: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) },
      idleFirstOffer: {
        p50: percentile(idleLatencies, 50),
        p95: percentile(idleLatencies, 95),
        max: Math.max(...idleLatencies),
      },
      phases: {
        wave: phase((id, at) => (timeline.waveAt.get(id) ?? NaN) - at),
        relay: phase((id) => (timeline.relayedAt.get(id) ?? NaN) - (timeline.waveAt.get(id) ?? NaN)),
        send: phase((id) => (firstByShift.get(id) ?? NaN) - (timeline.relayedAt.get(id) ?? NaN)),
      },
      spreadMs: percentile(
        [...firstByShift].map(([id, first]) => (lastByShift.get(id) ?? first) - first),
        50,
      ),
      avgBytes: arrivals.reduce((sum, a) => sum + a.bytes, 0) / arrivals.length,
      cpuPerOffer,
    };
  } finally {
    await api?.close();
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

/** When each shift's wave was written and its first offer email job relayed (from the database). */
async function offerTimeline(url: string) {
  const orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 1 }));
  try {
    const rows = await orm.em.fork().execute(
      `select f.id, f.shift_id, extract(epoch from f.created_at) * 1000 as created_ms, extract(epoch from o.relayed_at) * 1000 as relayed_ms
       from offers f left join outbox o on o.job_id = 'email.offer-' || f.id`,
    );
    const offers = new Map<string, { shiftId: string }>();
    const waveAt = new Map<string, number>();
    const relayedAt = new Map<string, number>();
    for (const row of rows) {
      offers.set(String(row.id), { shiftId: String(row.shift_id) });
      waveAt.set(row.shift_id, Math.min(waveAt.get(row.shift_id) ?? Infinity, Number(row.created_ms)));
      if (row.relayed_ms !== null)
        relayedAt.set(row.shift_id, Math.min(relayedAt.get(row.shift_id) ?? Infinity, Number(row.relayed_ms)));
    }
    return { offers, waveAt, relayedAt };
  } finally {
    await orm.close(true);
  }
}
