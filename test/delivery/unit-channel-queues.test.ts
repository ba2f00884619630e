import { ChannelQueues } from '../../src/delivery/channel-queues';
import type { OutboxRow } from '../../src/store/outbox';
import { PEOPLE, T0 } from '../core/fixtures';

/** A row whose channel is the key given (the queues only file rows under the key they are told). */
function rowOf(id: number): OutboxRow {
  return { id, momentId: undefined, lane: undefined, notice: { kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' }, attempts: 0, firstAttemptAt: undefined, uncertain: false, createdAt: T0 };
}

const keys = new Map<number, string>();
const keyOf = (row: OutboxRow) => keys.get(row.id) ?? 'none';
const notPaused = () => 0;

function queuesWith(rows: Record<number, string>): ChannelQueues {
  keys.clear();
  for (const [id, key] of Object.entries(rows)) keys.set(Number(id), key);
  const queues = new ChannelQueues();
  queues.add(Object.keys(rows).map((id) => rowOf(Number(id))), keyOf);
  return queues;
}

const ids = (taken: readonly { row: OutboxRow }[]) => taken.map(({ row }) => row.id);

test('one head per channel, oldest first, however the rows arrived', () => {
  const queues = queuesWith({ 7: 'C1', 3: 'C2', 5: 'C1', 4: 'C3' });
  expect(ids(queues.takeHeads(10, notPaused, T0))).toEqual([3, 4, 5]);
  // what is left is the next row of C1, the rest having gone
  expect(ids(queues.takeHeads(10, notPaused, T0))).toEqual([7]);
  expect(queues.waitingCount).toBe(0);
});

test('a row already waiting or in flight is not filed twice', () => {
  const queues = queuesWith({ 1: 'C1', 2: 'C2' });
  queues.add([rowOf(1)], keyOf);
  const [first] = queues.takeHeads(1, notPaused, T0);
  if (!first) throw new Error('nothing taken');
  queues.setInFlight(first, true);
  queues.add([rowOf(1), rowOf(2)], keyOf);
  expect(queues.waitingCount).toBe(1);
  expect(queues.inFlightCount).toBe(1);
});

test('a channel with a call in flight or paused waits; the others go', () => {
  const queues = queuesWith({ 1: 'C1', 2: 'C1', 3: 'C2', 4: 'C3' });
  const [busy] = queues.takeHeads(1, notPaused, T0);
  if (!busy) throw new Error('nothing taken');
  queues.setInFlight(busy, true);
  const paused = (key: string) => (key === 'C2' ? T0 + 1000 : 0);
  expect(ids(queues.takeHeads(10, paused, T0))).toEqual([4]);
  // once the call is over and the pause has run out, both go
  queues.setInFlight(busy, false);
  expect(ids(queues.takeHeads(10, paused, T0 + 1000))).toEqual([2, 3]);
});

test('no more heads than free slots, the oldest first', () => {
  const queues = queuesWith({ 1: 'C1', 2: 'C2', 3: 'C3' });
  expect(ids(queues.takeHeads(0, notPaused, T0))).toEqual([]);
  expect(ids(queues.takeHeads(2, notPaused, T0))).toEqual([1, 2]);
  expect([...queues.waitingKeys()]).toEqual(['C3']);
});
