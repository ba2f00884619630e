import { OneAtATime } from '../../src/delivery/one-at-a-time';

describe('OneAtATime', () => {
  test('each turn comes after the one before it and one more turn of the event loop, so what waits in between runs', async () => {
    // given two pieces of work that take their turns at once, and the first queueing something for the event loop
    const turns = new OneAtATime();
    const order: string[] = [];
    const first = turns.turn().then(() => {
      order.push('first');
      setImmediate(() => order.push('queued meanwhile'));
    });
    const second = turns.turn().then(() => order.push('second'));
    await Promise.all([first, second]);
    // then what the first queued ran before the second's turn came
    expect(order).toEqual(['first', 'queued meanwhile', 'second']);
  });
});
