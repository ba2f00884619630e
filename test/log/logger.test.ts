import { LogLevel } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';

describe('createLogger', () => {
  test('a payload logged by a Slack library loses its response_url and trigger_id, however deep its JSON is quoted', () => {
    // given a logger at debug, and a Socket Mode message and a request body as the Slack libraries log them
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.DEBUG, write: (line) => lines.push(line) });
    const payload = { type: 'block_actions', trigger_id: '123.456.abcdef', response_url: 'https://hooks.slack.com/actions/T1/2/secret', user: { id: 'U0ANA' } };
    logger.debug(`Received a message on the WebSocket: ${JSON.stringify({ payload: JSON.stringify(payload) })}`);
    logger.debug('http request body:', JSON.stringify(payload));
    logger.log(LogLevel.INFO, 'answer posted', { to: 'https://hooks.slack.com/commands/T1/2/secret' });
    // then neither value is written, and the rest of the line is
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain('123.456.abcdef');
      expect(line).not.toContain('secret');
    }
    expect(lines[0]).toContain('U0ANA');
    expect(lines[2]).toContain('https://hooks.slack.com/[redacted]');
  });

  test('a Socket Mode message logged as Slack sent it, its slashes escaped as \\/, loses them too', () => {
    // given the raw text of a WebSocket message (Slack's JSON writes "/" as "\/")
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.DEBUG, write: (line) => lines.push(line) });
    const raw =
      '{"envelope_id":"e1","payload":{"type":"block_actions","trigger_id":"123.456.abcdef","response_url":"https:\\/\\/hooks.slack.com\\/actions\\/T1\\/2\\/SECRETPATH","user":{"id":"U0ANA"}},"type":"interactive"}';
    logger.debug(`Received a message on the WebSocket: ${raw}`);
    logger.log(LogLevel.INFO, 'told', { text: 'see https:\\/\\/hooks.slack.com\\/commands\\/T1\\/2\\/SECRETPATH now' });
    // then neither the trigger_id nor the response_url's path is written, and the rest is
    for (const line of lines) {
      expect(line).not.toContain('123.456.abcdef');
      expect(line).not.toContain('SECRETPATH');
    }
    expect(lines[0]).toContain('U0ANA');
    expect(lines[1]).toContain(' now');
  });

  test('the configured tokens and signing secret, and anything shaped like a Slack token, never reach a line', () => {
    // given a logger told Greenlight's secrets, and lines that carry them (an error message, a field, an object, a Bolt-style call)
    const lines: string[] = [];
    const secrets = ['xoxb-1111-2222-botTokenPart', 'xapp-1-A0APP-3333-appTokenPart', 'aSigningSecretValue1234'];
    const logger = createLogger({ level: LogLevel.DEBUG, secrets, write: (line) => lines.push(line) });
    logger.log(LogLevel.ERROR, 'Slack call failed', { error: 'An API error occurred: Bearer xoxb-1111-2222-botTokenPart refused' });
    logger.log(LogLevel.WARN, 'config', { signingSecret: 'aSigningSecretValue1234' });
    logger.debug('connecting with', { token: 'xapp-1-A0APP-3333-appTokenPart' });
    logger.error(new Error('token xoxp-9999-8888-someoneElsesToken was refused'));
    // then no line holds any of them, or their distinctive parts, and each says where one was
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      for (const part of ['botTokenPart', 'appTokenPart', 'aSigningSecretValue1234', 'someoneElsesToken']) expect(line).not.toContain(part);
      expect(line).toContain('[redacted]');
    }
  });
});
