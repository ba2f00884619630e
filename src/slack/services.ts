import type { Backend } from '../backend/backend-ops';
import type { Routing } from '../core/routing-types';
import type { PersonNames } from '../delivery/person-names';
import type { StructuredLogger } from '../log/logger';
import type { BackgroundWork } from './background-work';
import type { Directory } from './directory';

export interface Workspace {
  readonly teamId: string;
  readonly enterpriseId?: string;
}

/** What every listener works with; built once at start and passed in (no globals). */
export interface Services {
  /** The store's named operations; `notify` tells the outbox worker something was queued. */
  readonly backend: Backend;
  readonly routing: Routing;
  readonly directory: Pick<Directory, 'membersByRole' | 'roster' | 'rolesOf' | 'unreadRoles' | 'watchesGroup' | 'refresh' | 'leftGroup'>;
  readonly clock: () => number;
  readonly logger: StructuredLogger;
  readonly flagEmoji: string;
  /** Work done after Slack was answered, which stop() waits for. */
  readonly background: BackgroundWork;
  /**
   * The workspace the bot token belongs to (auth.test), and its Enterprise Grid org if any: someone of another
   * organisation in a channel shared with it (Slack Connect) flags nothing. Undefined: not known, anyone flags.
   */
  readonly workspace?: Workspace;
  /** People's names, for answers that cannot mention them (a form's error shows `<@U…>` as is). */
  readonly names: Pick<PersonNames, 'namesOf'>;
}
