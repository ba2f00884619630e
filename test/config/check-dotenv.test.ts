import { checkDotenv } from '../../src/config/check-dotenv';

describe('checkDotenv', () => {
  it('says where it looked when there is no .env, as a note rather than a problem', () => {
    expect(checkDotenv({ status: 'absent', path: '.env' }, '/srv/greenlight')).toEqual({
      problems: [],
      note: 'there is no /srv/greenlight/.env, so only the environment was read',
    });
  });

  it('stops the start when the .env cannot be read, naming the file and the reason', () => {
    expect(checkDotenv({ status: 'unreadable', path: '.env', reason: 'EACCES' }, '/srv/greenlight')).toEqual({
      problems: ['/srv/greenlight/.env cannot be read (EACCES): it must be a file the user running Greenlight can read'],
      note: undefined,
    });
  });

  it('stops the start when the .env is saved as UTF-16, saying to save it as UTF-8 (not "SLACK_BOT_TOKEN is missing")', () => {
    expect(checkDotenv({ status: 'utf16', path: '.env' }, '/srv/greenlight')).toEqual({
      problems: ['/srv/greenlight/.env is saved as UTF-16, which reads as no settings at all: save it as UTF-8 (in PowerShell, `Set-Content -Encoding utf8`)'],
      note: undefined,
    });
  });

  it('reports a misspelt or lower-case Greenlight variable with the name that was meant', () => {
    const keys = ['SLACK_BOT_TOKNE', 'ROUTNG_FILE', 'log_level', 'DATABSE_PATH', 'SLACK_API_TOKEN'];
    expect(checkDotenv({ status: 'loaded', path: '.env', keys }, '/srv/greenlight').problems).toEqual([
      'SLACK_BOT_TOKNE in /srv/greenlight/.env is not a Greenlight setting: did you mean SLACK_BOT_TOKEN?',
      'ROUTNG_FILE in /srv/greenlight/.env is not a Greenlight setting: did you mean ROUTING_FILE?',
      'log_level in /srv/greenlight/.env is not a Greenlight setting: did you mean LOG_LEVEL?',
      'DATABSE_PATH in /srv/greenlight/.env is not a Greenlight setting: did you mean DATABASE_PATH?',
      'SLACK_API_TOKEN in /srv/greenlight/.env is not a Greenlight setting: did you mean SLACK_APP_TOKEN?',
    ]);
  });

  it('leaves Greenlight\'s own names and other programs\' variables alone', () => {
    const keys = ['SLACK_BOT_TOKEN', 'SLACK_API_URL', 'PORT', 'DEADLINE_SCAN', 'NODE_OPTIONS', 'TZ', 'HOST', 'NODE_ENV', 'HTTPS_PROXY'];
    expect(checkDotenv({ status: 'loaded', path: '/etc/greenlight.env', keys })).toEqual({ problems: [], note: undefined });
  });
});
