/** The sandbox's Slack request builders, for tests. */
export * from '../../src/sandbox/slack-requests';
