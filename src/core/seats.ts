/** One person and the roles they may fill a seat in. */
export type Candidate = readonly [userId: string, roles: readonly string[]];

export interface Seating {
  /** Role -> the people seated in it (at most one seat each), every required role present. */
  readonly byRole: Map<string, string[]>;
  /**
   * Empty when every seat is filled. Otherwise roles, in requirement order, that together need more
   * approvals than there are distinct people among them: adding people to any of them is what helps.
   */
  readonly short: string[];
  /** Distinct people holding any of the short roles (fewer than their seats). */
  readonly shortOf: number;
}

/**
 * Seats a requirement ("comms: 1, legal: 1" is two seats) with distinct people, each in one of
 * their roles. It is a maximum matching: whether everyone fits never depends on the order people
 * come in, so a person holding two roles takes whichever seat the others leave. Used both for
 * approvals already given (the policy) and for who could still give them (flag time, escalation).
 */
export function fillSeats(requirement: Readonly<Record<string, number>>, candidates: Iterable<Candidate>): Seating {
  const seats: string[] = Object.entries(requirement).flatMap(([role, needed]) => Array<string>(needed).fill(role));
  const owners: (string | undefined)[] = seats.map(() => undefined);
  const rolesOf = new Map<string, readonly string[]>();
  let filled = 0;
  for (const [userId, roles] of candidates) {
    if (rolesOf.has(userId)) continue;
    rolesOf.set(userId, roles);
    // Once every seat is taken nobody else can change that (a large user group stays cheap to check).
    if (filled < seats.length && seat(userId, seats.map(() => false))) filled += 1;
  }
  const byRole = new Map<string, string[]>(Object.keys(requirement).map((role) => [role, []]));
  owners.forEach((owner, i) => {
    if (owner !== undefined) byRole.get(seats[i] ?? '')?.push(owner);
  });
  const short = shortRoles();
  const shortOf = [...rolesOf.values()].filter((roles) => roles.some((role) => short.includes(role))).length;
  return { byRole, short, shortOf };

  // Kuhn's augmenting path: take a free seat, or move its owner to another seat they can hold.
  function seat(userId: string, visited: boolean[]): boolean {
    const roles = rolesOf.get(userId) ?? [];
    for (let i = 0; i < seats.length; i += 1) {
      if (visited[i] || !roles.includes(seats[i] ?? '')) continue;
      visited[i] = true;
      const owner = owners[i];
      if (owner === undefined || seat(owner, visited)) {
        owners[i] = userId;
        return true;
      }
    }
    return false;
  }

  // From each empty seat, every holder of its role is seated (else the matching would have grown), so
  // their roles are short too (König): the roles reached need more seats than they have people.
  function shortRoles(): string[] {
    const reached = new Set<string>();
    const queue = seats.filter((_, i) => owners[i] === undefined);
    for (let role = queue.pop(); role !== undefined; role = queue.pop()) {
      if (reached.has(role)) continue;
      reached.add(role);
      for (const [userId, roles] of rolesOf) {
        if (!roles.includes(role)) continue;
        const held = owners.indexOf(userId);
        if (held >= 0) queue.push(seats[held] ?? '');
      }
    }
    return Object.keys(requirement).filter((role) => reached.has(role));
  }
}
