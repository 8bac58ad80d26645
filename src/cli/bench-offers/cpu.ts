import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far, per group of processes, read from /proc (Linux). */
export type CpuSnapshot = Map<string, number>;

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on

/**
 * `groups` names processes by pid (the worker, the floor worker) and the rest by command name
 * (postgres, redis-server); this process counts as 'bench' (api + SMTP sink).
 */
export function cpuSnapshot(pids: Record<string, number[]>): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const add = (group: string, seconds: number) => snapshot.set(group, (snapshot.get(group) ?? 0) + seconds);
  const byPid = new Map(Object.entries(pids).flatMap(([group, list]) => list.map((pid) => [pid, group] as const)));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
    const pid = Number(entry);
    const group =
      pid === process.pid
        ? 'bench'
        : (byPid.get(pid) ??
          (command.startsWith('postgres') ? 'postgres' : command.startsWith('redis-server') ? 'redis' : undefined));
    if (group) add(group, seconds);
  }
  return snapshot;
}

/** CPU milliseconds per unit of work between two snapshots, per group. Postgres backends that exited in between are missed (a pool keeps them). */
export function cpuPer(before: CpuSnapshot, after: CpuSnapshot, units: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [group, seconds] of after) result[group] = ((seconds - (before.get(group) ?? 0)) * 1000) / units;
  return result;
}
