import type { Routing } from '../core/routing-types';
import type { StructuredLogger } from '../log/logger';
import type { Store } from '../store/store';
import type { Directory } from './directory';

/** What every listener works with; built once at start and passed in (no globals). */
export interface Services {
  readonly store: Store;
  readonly routing: Routing;
  readonly directory: Pick<Directory, 'membersOf' | 'rolesOf'>;
  readonly clock: () => number;
  /** Tells the outbox worker that something was queued. */
  readonly notify: () => void;
  readonly logger: StructuredLogger;
  readonly flagEmoji: string;
}
