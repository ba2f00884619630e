import type { RecordedCall } from '../../src/sandbox/stand-in-types';
import { describeCall, nthTopLevel } from '../../src/sandbox/transcript';

/** The demo's transcript: what a person reading it in a terminal is told Slack showed. */

function update(channel: string, ts: string): RecordedCall {
  return { seq: 1, method: 'chat.update', params: { channel, ts, text: 'This moment is approved' }, token: undefined, headers: {}, at: 0, status: 200, response: { ok: true } } as RecordedCall;
}

test('two updates in one DM say which message of it each edits, so they do not read as one message twice', () => {
  const names = { DU0ANA: 'DM ana' };
  const nth = (_channel: string, ts: string) => (ts === '1.000002' ? 2 : ts === '1.000003' ? 3 : undefined);
  expect(describeCall(update('DU0ANA', '1.000002'), names, nth)?.split('\n')[0]).toBe('→ update in place in DM ana, message 2');
  expect(describeCall(update('DU0ANA', '1.000003'), names, nth)?.split('\n')[0]).toBe('→ update in place in DM ana, message 3');
  // and without a way to tell, the line is as before
  expect(describeCall(update('DU0ANA', '1.000002'), names)?.split('\n')[0]).toBe('→ update in place in DM ana');
});

test('a message is numbered as a reader counts down its channel: thread replies are folded under their parent', () => {
  const channel = [{ ts: '1.000001' }, { ts: '1.000002', threadTs: '1.000001' }, { ts: '1.000003' }];
  expect(nthTopLevel(channel, '1.000001')).toBe(1);
  expect(nthTopLevel(channel, '1.000003')).toBe(2);
  expect(nthTopLevel(channel, '1.000002')).toBeUndefined();
});
