import os from 'node:os';
import { claimerIsGone, claimerName, hostIdentity, processIsRunning, readClaimer, type Claimer } from '../../src/delivery/claimer';

const HERE: Claimer = { host: 'bot-1', pid: 4242, since: 1_764_000_000_000, worker: 'w-now' };
const running = (pids: readonly number[]) => (pid: number) => pids.includes(pid);

test('a claimer name reads back as the claimer it was made from; a name in another form is not read', () => {
  expect(readClaimer(claimerName(HERE))).toEqual(HERE);
  expect(readClaimer('bot.example.com/7/1764000000000/0b5c-uuid')).toEqual({ host: 'bot.example.com', pid: 7, since: 1_764_000_000_000, worker: '0b5c-uuid' });
  expect(readClaimer('6f1d2c9e-9c1e-4a43-8a8e-1f0f1d1e1a2b')).toBeUndefined();
  expect(readClaimer('worker-a')).toBeUndefined();
});

test('a claim of a process no longer running on this host is gone', () => {
  expect(claimerIsGone(claimerName({ ...HERE, pid: 99, worker: 'w-old' }), HERE, running([]))).toBe(true);
});

test('a claim of this pid from an earlier start is gone (a restart that got the same pid)', () => {
  expect(claimerIsGone(claimerName({ ...HERE, since: HERE.since - 60_000, worker: 'w-old' }), HERE, running([HERE.pid]))).toBe(true);
});

test('a claim of a running process, of another worker in this process, or from another host is left to its lease', () => {
  expect(claimerIsGone(claimerName({ ...HERE, pid: 99 }), HERE, running([99]))).toBe(false);
  expect(claimerIsGone(claimerName({ ...HERE, worker: 'w-other' }), HERE, running([]))).toBe(false);
  expect(claimerIsGone(claimerName({ ...HERE, host: 'bot-2', pid: 99 }), HERE, running([]))).toBe(false);
  expect(claimerIsGone('6f1d2c9e-9c1e-4a43-8a8e-1f0f1d1e1a2b', HERE, running([]))).toBe(false);
});

test('this process is running; an id no process has is not', () => {
  expect(processIsRunning(process.pid)).toBe(true);
  // Above Linux's largest pid (2^22), so certainly free.
  expect(processIsRunning(2 ** 22 + 12345)).toBe(false);
});

test('this host is named with its process-id namespace where the system has one, so containers sharing a host name differ', () => {
  const identity = hostIdentity();
  expect(identity.startsWith(os.hostname())).toBe(true);
  if (process.platform === 'linux') expect(identity).toMatch(/:pid:\[\d+\]$/);
  // a claimer named with it reads back whole
  const claimer: Claimer = { host: identity, pid: 7, since: 1, worker: 'w' };
  expect(readClaimer(claimerName(claimer))).toEqual(claimer);
  // and a process with the same host name in another namespace is another host: its claims wait for their lease
  expect(claimerIsGone(claimerName({ ...claimer, host: `${os.hostname()}:pid:[1]` }), claimer, () => false)).toBe(false);
});
