/** Words staff read for the ticket enumerations (the schema keeps machine values). */
export const TICKET_STATUSES = ['new', 'open', 'in_progress', 'pending', 'on_hold', 'resolved', 'closed', 'reopened'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Most severe first: the order staff sort by. */
export const PRIORITIES = ['critical', 'urgent', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = ['support', 'technical', 'billing', 'product', 'feature_request', 'bug', 'general'] as const;
export type Category = (typeof CATEGORIES)[number];

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  in_progress: 'In progress',
  pending: 'Pending',
  on_hold: 'On hold',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  critical: 'Critical',
  urgent: 'Urgent',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  support: 'Support',
  technical: 'Technical',
  billing: 'Billing',
  product: 'Product',
  feature_request: 'Feature request',
  bug: 'Bug',
  general: 'General',
};

/** A label for any enumeration value, falling back to the value itself for one we do not know. */
export const labelOf = (labels: Record<string, string>, value: string | null | undefined): string =>
  value ? labels[value] ?? value : '—';
