import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { parseRouting, type AppConfig } from '../../src/config';
import type { Routing } from '../../src/core/routing-types';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import type { WorkerOptions } from '../../src/delivery/delivery-worker';
import Database from 'better-sqlite3';
import { sandboxConfig } from '../../src/sandbox/sandbox-config';
import { startSlackStandIn, type SlackStandIn, type StoredMessage } from '../../src/sandbox/slack-stand-in';
import type { StandInOptions } from '../../src/sandbox/stand-in-types';
import {
  blockActionBody,
  BOT_TOKEN,
  eventBody,
  signed,
  SIGNING_SECRET,
  slashCommandBody,
  viewSubmissionBody,
  type ClickOptions,
  type SignedRequest,
  type ViewValues,
} from './slack-requests';

/** The people of the test workspace. */
export const PEOPLE = {
  flagger: 'U0FLAG',
  ana: 'U0ANA', // brand
  bea: 'U0BEA', // brand
  leo: 'U0LEO', // legal (through the user group)
  cal: 'U0CAL', // comms
  lead: 'U0LEAD', // leads, the escalation tier
  outsider: 'U0OUT',
} as const;

export const REVIEW_CHANNEL = 'C0REVIEW';
export const CRISIS_CHANNEL = 'C0CRISIS';

export const TEST_ROUTING = `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 30m
  remind_at: 50%
  escalate_to: [leads]
roles:
  brand: { members: [${PEOPLE.ana}, bea@example.com] }
  legal: { usergroup: S0LEGAL }
  comms: { members: [${PEOPLE.cal}] }
  leads: { members: [${PEOPLE.lead}] }
topics:
  - name: crisis
    keywords: [outage, recall]
    channel: ${CRISIS_CHANNEL}
    require: { comms: 1, legal: 1 }
    decide_within: 10m
  - name: sports
    require: { brand: 1 }
  - name: default
    require: { brand: 1 }
`;

export interface HarnessOptions {
  readonly routingYaml?: string;
  readonly synchronous?: 'FULL' | 'NORMAL';
  readonly databasePath?: string;
  readonly postsPerSecondPerChannel?: number;
  readonly logLines?: string[];
  /** Overrides of the delivery worker's options. */
  readonly worker?: WorkerOptions;
  /** Read each review channel at start, as Greenlight does outside tests (see checkReviewChannels). */
  readonly checkChannels?: boolean;
  /** Sets the stand-in up before Greenlight starts on it (a fault Slack answers with from the first call). */
  readonly beforeStart?: (standIn: SlackStandIn) => void;
}

export interface Harness {
  readonly standIn: SlackStandIn;
  readonly app: Greenlight;
  readonly baseUrl: string;
  readonly databasePath: string;
  readonly routing: Routing;
  /** The app's clock: real time plus whatever the test advanced. */
  now(): number;
  advance(ms: number): void;
  post(request: SignedRequest, path?: string): Promise<{ status: number; text: string }>;
  command(userId: string, text: string, options?: { channel?: string; responseUrl?: string; triggerId?: string }): Promise<{ status: number; text: string }>;
  click(userId: string, actionId: string, value: string, options?: ClickOptions): Promise<{ status: number; text: string }>;
  submitView(userId: string, callbackId: string, values: ViewValues, privateMetadata: string, viewId?: string): Promise<{ status: number; text: string }>;
  event(event: Record<string, unknown>, eventId?: string): Promise<{ status: number; text: string }>;
  /** Waits until every queued notice is delivered. */
  settle(): Promise<void>;
  /** The one top-level card in `channel` (fails the test if there is not exactly one). */
  onlyCard(channel?: string): StoredMessage;
  /** Rows in a table, read through a separate read-only connection, as another process would see them. */
  countRows(table: string): number;
  /** Open moments (pending or sent back for changes), read the same way: the probe of what a request stored. */
  countOpenMoments(): number;
  close(): Promise<void>;
}

export function testConfig(options: { apiUrl: string; databasePath: string; databaseSynchronous?: 'FULL' | 'NORMAL' }): AppConfig {
  return sandboxConfig(options);
}

export function parseTestRouting(yaml = TEST_ROUTING): Routing {
  const parsed = parseRouting(yaml, 'routing.yml');
  if (!parsed.ok) throw new Error(`test routing is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.routing;
}

/** The Slack stand-in as the tests' workspace: PEOPLE as its users, leo in the legal user group. */
export function startTestStandIn(options: Partial<StandInOptions> = {}): Promise<SlackStandIn> {
  return startSlackStandIn({
    port: 0,
    token: BOT_TOKEN,
    users: Object.entries(PEOPLE).map(([name, id]) => ({ id, name, email: `${name}@example.com` })),
    usergroups: { S0LEGAL: [PEOPLE.leo] },
    ...options,
  });
}

/** Starts the Slack stand-in and the real Greenlight app (HTTP mode, port 0) on a fresh database. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = await startTestStandIn({ postsPerSecondPerChannel: options.postsPerSecondPerChannel });
  options.beforeStart?.(standIn);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-test-'));
  const databasePath = options.databasePath ?? path.join(dir, 'greenlight.db');
  let offset = 0;
  const now = () => Date.now() + offset;
  const routing = parseTestRouting(options.routingYaml);
  const logLines = options.logLines;
  const logger = createLogger({
    level: LogLevel.DEBUG,
    secrets: [BOT_TOKEN, SIGNING_SECRET],
    write: (line) => {
      logLines?.push(line);
    },
  });
  const app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath, databaseSynchronous: options.synchronous ?? 'NORMAL' }),
    routing,
    logger,
    clock: now,
    host: '127.0.0.1',
    startScanner: false,
    // Tests count Slack's calls (conversations.history looks for lost posts): the start's channel check is left out.
    checkChannels: options.checkChannels ?? false,
    worker: { postGapMs: options.postsPerSecondPerChannel ? 1050 : 0, pollMs: 50, ...options.worker },
  });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  const post = async (request: SignedRequest, urlPath = '/slack/events') => {
    const response = await fetch(`${baseUrl}${urlPath}`, { method: 'POST', headers: request.headers, body: request.body });
    return { status: response.status, text: await response.text() };
  };
  const form = 'application/x-www-form-urlencoded';
  return {
    standIn,
    app,
    baseUrl,
    databasePath,
    routing,
    now,
    advance: (ms) => {
      offset += ms;
    },
    post,
    command: (userId, text, opts) =>
      post(signed(slashCommandBody(userId, text, { responseUrl: standIn.responseUrl(`cmd-${userId}`), ...opts }), form)),
    click: (userId, actionId, value, opts) =>
      post(signed(blockActionBody(userId, actionId, value, { responseUrl: standIn.responseUrl(`click-${userId}`), ...opts }), form)),
    submitView: (userId, callbackId, values, privateMetadata, viewId) =>
      post(signed(viewSubmissionBody(userId, callbackId, values, privateMetadata, viewId), form)),
    event: (event, eventId) => post(signed(eventBody(event, eventId), 'application/json')),
    settle: () => app.worker.settled(10_000),
    onlyCard: (channel = REVIEW_CHANNEL) => {
      const cards = standIn.messages(channel).filter((m) => m.threadTs === undefined);
      expect(cards).toHaveLength(1);
      const card = cards[0];
      if (!card) throw new Error(`no card in ${channel}`);
      return card;
    },
    countRows: (table) => countWhere(databasePath, table, '1'),
    countOpenMoments: () => countWhere(databasePath, 'moments', "status IN ('pending', 'changes_requested')"),
    close: async () => {
      await app.stop();
      await standIn.close();
      if (!options.databasePath) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function countWhere(databasePath: string, table: string, condition: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${condition}`).get()?.n ?? 0;
  } finally {
    db.close();
  }
}

/** A Web API client on the stand-in with the bot's token, as tests post the messages people flag (no retries). */
export function slackClient(h: Pick<Harness, 'standIn'>): WebClient {
  return new WebClient(BOT_TOKEN, { slackApiUrl: h.standIn.url, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
}
