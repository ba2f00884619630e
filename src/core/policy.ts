import type { Assignment, DecisionRecord, MomentView } from './moment';

/** Approvals that count now: current revision, current tier, one per person. */
export function countingApprovals(view: MomentView): DecisionRecord[] {
  const { moment } = view;
  const seen = new Set<string>();
  const result: DecisionRecord[] = [];
  for (const d of view.decisions) {
    if (d.action !== 'approve' || d.revision !== moment.revision || d.tier !== moment.tier) continue;
    if (d.userId === undefined || seen.has(d.userId)) continue;
    seen.add(d.userId);
    result.push(d);
  }
  return result;
}

/** Role -> distinct approvers so far, for the current tier's requirement. */
export function approvalsByRole(view: MomentView): Map<string, string[]> {
  const byRole = new Map<string, string[]>();
  for (const role of Object.keys(currentRequirement(view))) byRole.set(role, []);
  for (const d of countingApprovals(view)) {
    if (d.role === undefined || d.userId === undefined) continue;
    const list = byRole.get(d.role);
    if (list) list.push(d.userId);
  }
  return byRole;
}

export function currentRequirement(view: MomentView): Readonly<Record<string, number>> {
  return view.moment.plan.tiers[view.moment.tier]?.require ?? {};
}

export function isRequirementMet(view: MomentView): boolean {
  const byRole = approvalsByRole(view);
  return Object.entries(currentRequirement(view)).every(([role, needed]) => (byRole.get(role)?.length ?? 0) >= needed);
}

/** Assignments of the current tier, in requirement order. */
export function currentAssignments(view: MomentView): Assignment[] {
  const order = Object.keys(currentRequirement(view));
  return view.assignments
    .filter((a) => a.tier === view.moment.tier)
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

/**
 * Roles in which `userId` may decide now: assigned at the current tier and, when the
 * directory knows the person's roles, still a member of that role (someone removed from a
 * role after the ping can no longer decide).
 */
export function eligibleRoles(view: MomentView, userId: string, currentRoles: ReadonlySet<string> | undefined): string[] {
  const roles: string[] = [];
  for (const a of currentAssignments(view)) {
    if (a.userId !== userId) continue;
    if (currentRoles !== undefined && !currentRoles.has(a.role)) continue;
    if (!roles.includes(a.role)) roles.push(a.role);
  }
  return roles;
}

/** The role an approval counts for: the first of the person's roles that still needs approvals. */
export function roleForApproval(view: MomentView, roles: readonly string[]): string {
  const byRole = approvalsByRole(view);
  const requirement = currentRequirement(view);
  const open = roles.find((r) => (byRole.get(r)?.length ?? 0) < (requirement[r] ?? 0));
  return open ?? roles[0] ?? '';
}

/** Reviewers of the current tier who have not approved the current revision (the flagger excluded unless self-approval counts). */
export function undecidedReviewers(view: MomentView): string[] {
  const approved = new Set(countingApprovals(view).map((d) => d.userId));
  const users: string[] = [];
  for (const a of currentAssignments(view)) {
    const isOwn = a.userId === view.moment.flaggerId && !view.moment.plan.selfApproval;
    if (approved.has(a.userId) || isOwn || users.includes(a.userId)) continue;
    users.push(a.userId);
  }
  return users;
}
