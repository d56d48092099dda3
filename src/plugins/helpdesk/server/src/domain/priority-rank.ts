/**
 * Severity order of the priorities, stored on each ticket as `priorityRank` so that lists sort by
 * severity (the enumeration's text sorts alphabetically). The ticket hook writes it from `priority`
 * on every create and update; no client writes it. The migration
 * database/migrations/2026.11.24T00.00.00.ticket-inbox-fields.js holds its own copy (a snapshot).
 */
export const PRIORITY_RANK = { critical: 5, urgent: 4, high: 3, medium: 2, low: 1 } as const;

export type RankedPriority = keyof typeof PRIORITY_RANK;

/** The rank of a priority; the schema's default (medium) for a missing one, null for an unknown one. */
export function priorityRank(priority: unknown): number | null {
  if (priority === undefined || priority === null) return PRIORITY_RANK.medium;
  return typeof priority === 'string' && priority in PRIORITY_RANK ? PRIORITY_RANK[priority as RankedPriority] : null;
}
