import type { Routing } from '../core/routing-types';

/** One problem in the routing file, located so the person can go straight to it. */
export interface RoutingError {
  readonly file: string;
  /** 1-based line of the offending key or value; undefined when the problem is the file as a whole. */
  readonly line: number | undefined;
  readonly message: string;
}

export type RoutingResult =
  | { readonly ok: true; readonly routing: Routing }
  | { readonly ok: false; readonly errors: readonly RoutingError[] };

/** `routing.yml:12: unknown role "lgal" in require (…)`, the shape editors and terminals turn into links. */
export function formatRoutingError(e: RoutingError): string {
  return e.line === undefined ? `${e.file}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
}
