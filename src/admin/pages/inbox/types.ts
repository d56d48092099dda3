/** What the inbox's admin routes answer (src/back-office/inbox). */
export const VIEWS = [
  { id: 'my', label: 'My open tickets' },
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'open', label: 'All open' },
  { id: 'resolved', label: 'Recently resolved' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];
export const isView = (value: string | null): value is ViewId => VIEWS.some((view) => view.id === value);

export type SortField = 'ticketNumber' | 'subject' | 'ticketStatus' | 'priority' | 'assignee' | 'lastActivityAt' | 'dueDate' | 'createdAt';

export interface InboxRow {
  documentId: string;
  ticketNumber: string;
  subject: string;
  requester: { name: string | null; email: string | null };
  ticketStatus: string;
  priority: string;
  category: string;
  assignee: { id: number; name: string } | null;
  lastActivityAt: string | null;
  dueDate: string | null;
  overdue: boolean;
}

export interface InboxPage {
  data: InboxRow[];
  meta: { pagination: { page: number; pageSize: number; total: number; pageCount: number }; agent: { id: number } | null };
}

export interface Agent {
  id: number;
  documentId: string;
  name: string;
  email: string;
  isMe: boolean;
}

export interface BulkResult {
  documentId: string;
  ticketNumber: string | null;
  ok: boolean;
  error?: string;
}

/** The message of a Strapi error answer, as useFetchClient throws it. */
export function errorMessage(error: unknown): string {
  const response = (error as { response?: { data?: { error?: { message?: string } } } }).response;
  return response?.data?.error?.message ?? (error instanceof Error ? error.message : 'Something went wrong');
}
