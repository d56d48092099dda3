import type { Actor } from '../audit/actor';
import { DONE_STATUSES, TICKET_STATUSES, type TicketStatus } from '../../../shared/contract';

/** The ticket fields whose changes are written to ticket history, and the action each records. */
export const TRACKED_FIELDS = {
  ticketStatus: 'status_changed',
  priority: 'priority_changed',
  category: 'category_changed',
  assignee: 'assigned',
  dueDate: 'due_date_changed',
  tags: 'tags_changed',
  ccAddresses: 'cc_changed',
} as const;

export type TrackedField = keyof typeof TRACKED_FIELDS;
export type HistoryAction = (typeof TRACKED_FIELDS)[TrackedField] | 'created' | 'commented' | 'attachment_added' | 'deleted' | 'contact_changed'
  // a super admin's change to the record in the Content Manager (refused for everyone else)
  | 'comment_edited' | 'comment_detached' | 'comment_deleted'
  // the team's tools used on the ticket (services/macros.ts)
  | 'macro_applied';

export interface HistoryChange {
  action: HistoryAction;
  fieldName?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
  /** Why, when the person making the change said (the status action's note). */
  note?: string | null;
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
  if (actor.type === 'admin' || actor.surface === 'admin') return 'admin';
  if (actor.type === 'agent') return 'api';
  const allowed = ['web', 'email', 'api', 'admin'] as const;
  return allowed.find((source) => source === requested) ?? 'api';
}

/** Stored form of an email address: trimmed and lower-cased, so one person is one contact. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

// the one status list, shared with the admin panel
export { DONE_STATUSES, TICKET_STATUSES, type TicketStatus };

const WORKING: readonly TicketStatus[] = ['open', 'in_progress', 'pending', 'on_hold', 'resolved', 'closed'];

/**
 * Where a ticket may go from each status. `new` is only ever a starting point; `reopened`
 * behaves as `open`; a resolved ticket is closed or reopened; a closed one can only be reopened.
 * Every origin (REST, the status action, the admin panel, server code, mail ingestion) passes here.
 */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: WORKING,
  open: WORKING.filter((s) => s !== 'open'),
  in_progress: WORKING.filter((s) => s !== 'in_progress'),
  pending: WORKING.filter((s) => s !== 'pending'),
  on_hold: WORKING.filter((s) => s !== 'on_hold'),
  reopened: WORKING,
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
};

export const isTicketStatus = (value: unknown): value is TicketStatus =>
  typeof value === 'string' && (TICKET_STATUSES as readonly string[]).includes(value);

/** Whether a ticket in `from` may move to `to` (staying put is always allowed). */
export const canMove = (from: TicketStatus, to: TicketStatus): boolean => from === to || TRANSITIONS[from].includes(to);

/** Where a requester's own reply moves their ticket: a ticket waiting on them is worked again, and
 * a finished one is reopened (unless settings say replies to finished tickets leave them be). */
export function statusAfterRequesterReply(status: string, reopenFinished: boolean): TicketStatus | null {
  if (status === 'pending') return 'open';
  if (reopenFinished && (DONE_STATUSES as readonly string[]).includes(status)) return 'reopened';
  return null;
}
