/**
 * Every job the worker runs. Payloads carry ids only: the database holds the state, so a retried
 * or duplicated job re-reads the truth.
 */
export enum JobName {
  VerificationEmail = 'email.verification',
  SignInEmail = 'email.sign-in',
  CoordinatorInviteEmail = 'email.coordinator-invite',
  GenerateSeriesShifts = 'series.generate',
  PurgeUnverifiedAccounts = 'maintenance.purge-unverified',
  ExtendAllSeries = 'maintenance.extend-series',
}

export interface JobPayloads {
  [JobName.VerificationEmail]: { accountId: string; requestId: string };
  [JobName.SignInEmail]: { accountId: string; requestId: string };
  [JobName.CoordinatorInviteEmail]: { accountId: string; requestId: string };
  [JobName.GenerateSeriesShifts]: { seriesId: string };
  [JobName.PurgeUnverifiedAccounts]: Record<string, never>;
  [JobName.ExtendAllSeries]: Record<string, never>;
}

export enum QueueName {
  Email = 'email',
  Work = 'work',
}

/** Which queue each job runs on: mail is isolated so a slow SMTP server never delays other work. */
export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.VerificationEmail]: QueueName.Email,
  [JobName.SignInEmail]: QueueName.Email,
  [JobName.CoordinatorInviteEmail]: QueueName.Email,
  [JobName.GenerateSeriesShifts]: QueueName.Work,
  [JobName.PurgeUnverifiedAccounts]: QueueName.Work,
  [JobName.ExtendAllSeries]: QueueName.Work,
};

/** Retries with exponential backoff; finished jobs are kept a bounded time so jobIds keep deduplicating. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10000 },
} as const;
