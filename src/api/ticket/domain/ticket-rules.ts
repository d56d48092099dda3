import type { Actor } from '../../../audit/actor';

/** The ticket fields whose changes are written to ticket history, and the action each records. */
export const TRACKED_FIELDS = {
  ticketStatus: 'status_changed',
  priority: 'priority_changed',
  category: 'category_changed',
  assignee: 'assigned',
  dueDate: 'due_date_changed',
} as const;

export type TrackedField = keyof typeof TRACKED_FIELDS;
export type HistoryAction = (typeof TRACKED_FIELDS)[TrackedField] | 'created' | 'commented' | 'attachment_added';

export interface HistoryChange {
  action: HistoryAction;
  fieldName?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
}

/** A ticket as far as history cares: each tracked field as a display string (or null). */
export type TrackedValues = Record<TrackedField, string | null>;

/** One change row per tracked field whose value differs. */
export function diffTrackedFields(before: TrackedValues, after: TrackedValues): HistoryChange[] {
  return (Object.keys(TRACKED_FIELDS) as TrackedField[])
    .filter((field) => before[field] !== after[field])
    .map((field) => ({
      action: TRACKED_FIELDS[field],
      fieldName: field,
      oldValue: before[field],
      newValue: after[field],
    }));
}

export interface StatusTimestamps {
  resolvedAt: Date | null;
  closedAt: Date | null;
}

/**
 * resolvedAt and closedAt follow the status: set when a ticket reaches resolved or closed,
 * cleared when it moves back to an open state. A ticket closed without being resolved first
 * counts as resolved at the same moment.
 */
export function statusTimestamps(
  newStatus: string,
  current: { resolvedAt?: Date | string | null },
  now: Date
): StatusTimestamps {
  if (newStatus === 'resolved') return { resolvedAt: now, closedAt: null };
  if (newStatus === 'closed') {
    return { resolvedAt: current.resolvedAt ? new Date(current.resolvedAt) : now, closedAt: now };
  }
  return { resolvedAt: null, closedAt: null };
}

/** The channel a change came through, from who made it; server code says its own source. */
export function sourceForActor(actor: Actor, requested: unknown): 'web' | 'email' | 'api' | 'admin' {
  if (actor.type === 'admin') return 'admin';
  if (actor.type === 'agent') return 'api';
  const allowed = ['web', 'email', 'api', 'admin'] as const;
  return allowed.find((source) => source === requested) ?? 'api';
}

/** Stored form of an email address: trimmed and lower-cased, so one person is one contact. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
