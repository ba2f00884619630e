import type { Backend } from '../backend/backend-ops';
import type { Routing } from '../core/routing-types';
import type { StructuredLogger } from '../log/logger';
import type { Directory } from './directory';

/** What every listener works with; built once at start and passed in (no globals). */
export interface Services {
  /** The store's operations, in this process or in the store thread; `notify` tells the outbox worker. */
  readonly backend: Backend;
  readonly routing: Routing;
  readonly directory: Pick<Directory, 'membersByRole' | 'rolesOf'>;
  readonly clock: () => number;
  readonly logger: StructuredLogger;
  readonly flagEmoji: string;
}
