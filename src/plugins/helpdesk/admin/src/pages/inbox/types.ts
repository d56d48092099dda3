/** What the inbox's admin routes answer (src/back-office/inbox; the types are src/shared/contract.ts). */
import type { InboxSortField } from '../../../../shared/contract';

export const VIEWS = [
  { id: 'my', label: 'My open tickets' },
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'open', label: 'All open' },
  { id: 'resolved', label: 'Recently resolved' },
  { id: 'all', label: 'All tickets' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];
export const isView = (value: string | null): value is ViewId => VIEWS.some((view) => view.id === value);

export type SortField = InboxSortField;

export type { Agent, BulkResult, InboxPage, InboxRow } from '../../../../shared/contract';

/** The message of a Strapi error answer, as useFetchClient throws it. */
export function errorMessage(error: unknown): string {
  const response = (error as { response?: { data?: { error?: { message?: string } } } }).response;
  return response?.data?.error?.message ?? (error instanceof Error ? error.message : 'Something went wrong');
}
