import fs from 'node:fs';
import os from 'node:os';

/**
 * Who holds a claim on an outbox row: the host, the process (its id and when it started) and a name
 * unique to one worker. After a crash, a restarted Greenlight on the same host can tell that a claim's
 * process is gone and take its rows back at once, instead of waiting out the lease.
 */
export interface Claimer {
  /** The host and its process-id namespace (see `hostIdentity`): pids are compared only within one. */
  readonly host: string;
  readonly pid: number;
  /** When the process started (ms since the epoch): a restart that gets the same pid is told apart by it. */
  readonly since: number;
  readonly worker: string;
}

/**
 * This host as claims name it: the host name and, on Linux, the process-id namespace. Two containers can
 * share a host name (host networking) while each has its own pids; with the namespace in the name, their
 * claims never look like one another's dead processes.
 */
export function hostIdentity(): string {
  try {
    return `${os.hostname()}:${fs.readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return os.hostname();
  }
}

export function claimerName(claimer: Claimer): string {
  return `${claimer.host}/${claimer.pid}/${claimer.since}/${claimer.worker}`;
}

/** The claimer a name stands for; undefined for a name it cannot read (another version's, say). */
export function readClaimer(name: string): Claimer | undefined {
  const match = /^(.+)\/(\d+)\/(\d+)\/([^/]+)$/.exec(name);
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
  return { host: match[1], pid: Number(match[2]), since: Number(match[3]), worker: match[4] };
}

/**
 * True only when the claim's process is certainly gone: it ran on this host, and either no process has
 * its id now, or its id is this process's but this process started later (a restart that got the same
 * pid, as a container's first process does). A claim from another host, from a running process, or one
 * that cannot be read, is left to its lease.
 */
export function claimerIsGone(name: string, here: Claimer, isRunning: (pid: number) => boolean): boolean {
  const claimer = readClaimer(name);
  if (!claimer || claimer.host !== here.host) return false;
  if (claimer.pid === here.pid) return claimer.since !== here.since;
  return !isRunning(claimer.pid);
}

/** Whether a process with this id exists (signal 0 tests without sending; EPERM means it exists, as someone else's). */
export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}
