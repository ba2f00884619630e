import { WebClient, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';

/**
 * The delivery worker's Web API client: every call first waits until all commits made so far are
 * durable. Under synchronous=FULL a commit is visible before its fsync ends (see GroupCommit), and a
 * notice renders the moment as it is when sent: without this, a card could show a decision that a power
 * cut then takes back. Under NORMAL, or with no fsync running, the wait is nothing.
 */
export class DurableFirstClient extends WebClient {
  constructor(
    token: string,
    options: WebClientOptions,
    private readonly durable: () => Promise<void>,
  ) {
    super(token, options);
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    await this.durable();
    return super.apiCall(method, options);
  }
}
